using System.CommandLine;
using MtaSts.Conformance;
using MtaSts.Conformance.Run;
using MtaSts.Conformance.Vectors;

namespace MtaSts.Cli;

/// <summary>
/// <c>mta-sts conformance export|run</c> (issue 18): the public and generated vectors as JSON lines, and a run of them
/// through an implementation's adapter in a child process (docs/conformance-protocol.md), reported as text, JSON or
/// JUnit XML. Exit codes: 0 all passed, 1 failures, 2 usage, 3 the implementation could not be run.
/// </summary>
internal static class ConformanceCommands
{
    public static Command Conformance(CliConsole console)
    {
        var kind = new Option<string[]>("--kind")
        {
            Description = $"Only these kinds (repeatable or comma-separated): {string.Join(", ", Kinds.All)}",
            AllowMultipleArgumentsPerToken = true,
        };
        var profile = new Option<string>("--profile") { Description = "strict (default): RFC 8461/8460 as DECISIONS.md reads them; lenient: the project's lenient mode (L-01..L-03, T-07)", DefaultValueFactory = static _ => "strict" };
        profile.AcceptOnlyFromAmong("strict", "lenient");
        var generated = new Option<int>("--generated") { Description = "Add N vectors from the property laws' generators (valid values, layouts, one-point mutations)", DefaultValueFactory = static _ => 0 };
        var seed = new Option<ulong?>("--seed") { Description = "The generators' seed (default: a random one, printed in the report); the same seed gives the same vectors" };
        var output = new Option<string?>("--out") { Description = "Write to this file instead of standard output" };

        var export = new Command("export", "The vectors as JSON lines: kind, request, expected answer, the requirement/decision ids, the RFC section, why") { kind, profile, generated, seed, output };
        export.SetAction((r, ct) => MtaStsCli.Guard(console, () => Task.FromResult(Export(console, Settings(r)))));

        var format = new Option<string>("--format") { Description = "text (default), json or junit", DefaultValueFactory = static _ => "text" };
        format.AcceptOnlyFromAmong("text", "json", "junit");
        var timeout = new Option<double>("--timeout") { Description = "Seconds the implementation has for each answer (default 5)", DefaultValueFactory = static _ => 5 };
        var command = new Argument<string[]>("command") { Description = "The implementation's adapter, after --: COMMAND ARGS…", Arity = ArgumentArity.OneOrMore };
        var run = new Command("run", "Run the vectors through an implementation (a child process speaking docs/conformance-protocol.md) and report per requirement") { kind, profile, generated, seed, format, output, timeout, command };
        run.SetAction((r, ct) => MtaStsCli.Guard(console, () => Run(console, Settings(r), r.GetValue(format)!, r.GetValue(timeout), r.GetRequiredValue(command), ct)));

        return new Command("conformance", "Test an MTA-STS implementation against RFC 8461/8460: export the vectors, or run them through its adapter") { export, run };

        Settings Settings(ParseResult r) => new(r.GetValue(kind) ?? [], r.GetValue(profile)!, r.GetValue(generated), r.GetValue(seed), r.GetValue(output));
    }

    private static int Export(CliConsole console, Settings settings)
    {
        if (Check(console, settings) is not { } selection)
        {
            return ExitCodes.Usage;
        }

        var (publicVectors, generatedVectors) = Kit.Vectors(selection.Kinds, selection.Profile, settings.Generated, selection.Seed);
        var lines = new System.Text.StringBuilder();
        foreach (var vector in publicVectors.Concat(generatedVectors))
        {
            lines.Append(vector.ToJson().ToJsonString()).Append('\n');
        }

        if (settings.Generated > 0)
        {
            console.Error.WriteLine($"mta-sts: conformance export: {publicVectors.Count} public + {generatedVectors.Count} generated vectors (seed {selection.Seed})");
        }

        return Write(console, settings.Output, lines.ToString()) ? ExitCodes.Ok : ExitCodes.Usage;
    }

    private static async Task<int> Run(CliConsole console, Settings settings, string format, double timeout, string[] command, CancellationToken cancellationToken)
    {
        if (Check(console, settings) is not { } selection)
        {
            return ExitCodes.Usage;
        }

        if (timeout is <= 0 or > 3600)
        {
            console.Error.WriteLine("mta-sts: conformance run: --timeout must be between 0 and 3600 seconds");
            return ExitCodes.Usage;
        }

        var (publicVectors, generatedVectors) = Kit.Vectors(selection.Kinds, selection.Profile, settings.Generated, selection.Seed);
        var options = new RunOptions(command[0], command[1..], selection.Profile, TimeSpan.FromSeconds(timeout));
        var (result, error) = await Runner.RunAsync([.. publicVectors, .. generatedVectors], options, cancellationToken).ConfigureAwait(false);
        if (result is null)
        {
            console.Error.WriteLine($"mta-sts: conformance run: the implementation could not be run: {error}");
            return ExitCodes.Network;
        }

        var header = new ReportHeader(string.Join(' ', command), selection.Profile, publicVectors.Count, generatedVectors.Count, selection.Seed);
        var report = format switch
        {
            "json" => Reports.Json(result, header),
            "junit" => Reports.Junit(result, header),
            _ => Reports.Text(result, header),
        };
        if (!Write(console, settings.Output, report))
        {
            return ExitCodes.Usage;
        }

        if (settings.Output is not null || format != "text")
        {
            console.Error.WriteLine($"mta-sts: conformance run: {result.Implementation.Name}: {Reports.Summary(result)}");
        }

        return result.ExitCode;
    }

    /// <summary>The kinds, the profile and the seed, or null (after one line on stderr) for bad usage.</summary>
    private static Selection? Check(CliConsole console, Settings settings)
    {
        var kinds = settings.Kinds.SelectMany(static k => k.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToHashSet(StringComparer.Ordinal);
        if (kinds.FirstOrDefault(k => !Kinds.All.Contains(k)) is { } unknown)
        {
            console.Error.WriteLine($"mta-sts: conformance: --kind {unknown}: not a kind ({string.Join(", ", Kinds.All)})");
            return null;
        }

        if (settings.Generated is < 0 or > 10_000_000)
        {
            console.Error.WriteLine("mta-sts: conformance: --generated must be between 0 and 10,000,000");
            return null;
        }

        // Not the core: the tool may draw a seed; it is printed so that the run can be repeated.
        var seed = settings.Seed ?? (ulong)System.Random.Shared.NextInt64(1, int.MaxValue);
        return new Selection(kinds.Count == 0 ? [.. Kinds.All] : kinds, settings.Profile == "lenient" ? Profiles.Lenient : Profiles.Strict, seed);
    }

    private static bool Write(CliConsole console, string? path, string text)
    {
        if (path is null)
        {
            console.Out.Write(text);
            return true;
        }

        try
        {
            File.WriteAllText(path, text, new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            console.Error.WriteLine($"mta-sts: conformance: --out {path}: {e.Message}");
            return false;
        }
    }

    private sealed record Settings(string[] Kinds, string Profile, int Generated, ulong? Seed, string? Output);

    private sealed record Selection(IReadOnlyCollection<string> Kinds, Profiles Profile, ulong Seed);
}
