using System.Diagnostics;
using System.Text;
using MtaSts.Functional.Tests.Docs;

namespace MtaSts.Cli.Tests;

/// <summary>What one run of the tool gave.</summary>
public sealed record Result(int Code, string Out, string Error)
{
    public override string ToString() => $"exit {Code}\n--- stdout\n{Out}--- stderr\n{Error}";
}

/// <summary>Runs mta-sts in process (through the command tree) or as a real process.</summary>
public static class Run
{
    public static string Samples => Path.Combine(Repo.Root, "samples");

    public static async Task<Result> InProcess(params string[] args) => await InProcessWithStdin(null, args);

    public static async Task<Result> InProcessWithStdin(byte[]? stdin, params string[] args)
    {
        var output = new StringWriter { NewLine = "\n" };
        var error = new StringWriter { NewLine = "\n" };
        var console = new CliConsole(output, error, () => new MemoryStream(stdin ?? []), Rich: false);
        var code = await MtaStsCli.RunAsync(args, console);
        return new Result(code, output.ToString(), error.ToString());
    }

    public static async Task<Result> Process(params string[] args)
    {
        var tool = Path.Combine(AppContext.BaseDirectory, "mta-sts.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Repo.Root, StandardOutputEncoding = Encoding.UTF8 };
        start.ArgumentList.Add(tool);
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        start.Environment["NO_COLOR"] = "1";
        using var process = System.Diagnostics.Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return new Result(process.ExitCode, await stdout, await stderr);
    }
}
