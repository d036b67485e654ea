namespace MtaSts.Cli;

/// <summary>Where the tool reads and writes, so that tests can run the commands in process.</summary>
/// <param name="Out">Standard output (results).</param>
/// <param name="Error">Standard error (one-line failures, progress).</param>
/// <param name="OpenStdin">Opens standard input (for <c>-</c>).</param>
/// <param name="Rich">Colour, tables and progress: stdout is a terminal and <c>NO_COLOR</c> is unset.</param>
internal sealed record CliConsole(TextWriter Out, TextWriter Error, Func<Stream> OpenStdin, bool Rich)
{
    /// <summary>The process's console.</summary>
    public static CliConsole System() =>
        new(Console.Out, Console.Error, Console.OpenStandardInput, !Console.IsOutputRedirected && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR")));
}

/// <summary>The exit codes (documented in <c>--help</c> and README).</summary>
internal static class ExitCodes
{
    /// <summary>Success; the input is valid; every MX may receive mail.</summary>
    public const int Ok = 0;

    /// <summary>The input is invalid, or the policy refuses an MX.</summary>
    public const int Invalid = 1;

    /// <summary>Bad usage: unknown option, missing argument, unreadable file, invalid domain.</summary>
    public const int Usage = 2;

    /// <summary>A network or temporary failure (DNS, HTTPS).</summary>
    public const int Network = 3;

    /// <summary>An unexpected exception: a bug in mta-sts (EX_SOFTWARE of sysexits.h), never a verdict on the input.</summary>
    public const int Bug = 70;

    public const string Help = "Exit codes: 0 success or valid; 1 invalid input or a refused MX; 2 usage error (bad option, unreadable file, invalid domain); 3 network or temporary failure; 70 a bug in mta-sts (please report it).";
}

/// <summary>A failure the tool reports in one line, with its exit code.</summary>
/// <param name="Code">The exit code.</param>
/// <param name="Message">The line.</param>
internal sealed record CliFailure(int Code, string Message);
