using System.CommandLine;

namespace MtaSts.Cli;

/// <summary>The <c>mta-sts</c> command tree (System.CommandLine), runnable in process for tests.</summary>
internal static class MtaStsCli
{
    public static async Task<int> RunAsync(string[] args, CliConsole console, CancellationToken cancellationToken = default)
    {
        var root = Build(console);
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors)
            {
                console.Error.WriteLine($"mta-sts: {error.Message}");
            }

            console.Error.WriteLine("Run 'mta-sts --help' for usage.");
            return ExitCodes.Usage;
        }

        return await parsed.InvokeAsync(new InvocationConfiguration { Output = console.Out, Error = console.Error }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The <c>--tls</c> values, by name without hyphens: not-negotiated, valid, and each TLS failure (§4.2).</summary>
    private static readonly (string Name, TlsOutcome Outcome)[] TlsOutcomes =
    [
        ("notnegotiated", TlsOutcome.NotNegotiated),
        ("valid", TlsOutcome.Valid),
        .. Enum.GetValues<FailureKind>().Where(static k => k != FailureKind.MxMismatch).Select(static k => (k.ToString(), TlsOutcome.Failed(k))),
    ];

    internal static RootCommand Build(CliConsole console)
    {
        var json = new Option<bool>("--json") { Description = "Machine-readable JSON output", Recursive = true };
        var record = new Option<bool>("--record") { Description = "The input is a TXT record (detected when it starts with v=STSv1, or v=TLSRPTv1 for an RFC 8460 TLSRPT record)" };
        var lenient = new Option<bool>("--lenient") { Description = "Lenient mode: what DECISIONS.md L-01 allows becomes a warning" };

        var lintFile = new Argument<string>("file") { Description = "A policy file or TXT record, or - for standard input" };
        var lint = new Command("lint", "Check a policy file or TXT record against RFC 8461: every problem, compiler style") { lintFile, record, lenient };
        lint.SetAction((r, ct) => Guard(console, () => Task.FromResult(FileCommands.Lint(console, r.GetRequiredValue(lintFile), r.GetValue(record), r.GetValue(lenient), r.GetValue(json)))));

        var explainFile = new Argument<string>("file") { Description = "A policy file or TXT record, or - for standard input" };
        var explain = new Command("explain", "Show each field with the ABNF rule that matched it and what it means, then the canonical form") { explainFile, record, lenient };
        explain.SetAction((r, ct) => Guard(console, () => Task.FromResult(FileCommands.Explain(console, r.GetRequiredValue(explainFile), r.GetValue(record), r.GetValue(lenient), r.GetValue(json)))));

        var policy = new Option<string>("--policy") { Description = "The policy file (- for standard input)", Required = true };
        var mx = new Option<string[]>("--mx") { Description = "MX hosts, in the order to try", Required = true, AllowMultipleArgumentsPerToken = true };
        var tls = new Option<TlsOutcome>("--tls")
        {
            Description = "What happened at STARTTLS: not-negotiated (default), valid, starttls-not-supported, certificate-host-mismatch, certificate-expired, certificate-not-trusted, validation-failure",
            DefaultValueFactory = static _ => TlsOutcome.NotNegotiated,
            CustomParser = static result =>
            {
                var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty;
                if (TlsOutcomes.FirstOrDefault(o => o.Name.Equals(text.Replace("-", string.Empty, StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase)) is { Name: not null } found)
                {
                    return found.Outcome;
                }

                result.AddError($"--tls '{text}': not a TLS outcome (try --help)");
                return default;
            },
        };
        var evaluate = new Command("evaluate", "The decision for each MX under a policy (RFC 8461 §4, §5), with the section that decided it") { policy, mx, tls };
        evaluate.SetAction((r, ct) => Guard(console, () => Task.FromResult(FileCommands.Evaluate(console, r.GetRequiredValue(policy), r.GetRequiredValue(mx), r.GetValue(tls), r.GetValue(json)))));

        var dns = new Option<string[]>("--dns") { Description = "DNS server IP[:PORT] for every lookup, the policy host's address included (repeatable)", AllowMultipleArgumentsPerToken = false };
        var trust = new Option<string[]>("--trust") { Description = "A PEM file of extra CA certificates for the policy host; validation stays on (repeatable)" };
        var port = new Option<int?>("--policy-port") { Description = "Connect to the policy host on this port (test or private infrastructure; RFC 8461 uses 443)" };
        var timeout = new Option<double>("--timeout") { Description = "Seconds for the policy fetch (default 60)", DefaultValueFactory = static _ => 60 };
        var cache = new Option<string?>("--cache") { Description = "A SQLite cache file to use and fill (default for check/scan: none)" };
        var redis = RedisCli.Create();

        var domains = new Argument<string[]>("domain") { Description = "Policy domains", Arity = ArgumentArity.OneOrMore };
        var check = new Command("check", "Live discovery: TXT record, policy URL, fetch, policy, MX hosts and their decisions, errors with RFC 8460 result types") { domains, dns, trust, port, timeout, cache, redis };
        check.SetAction((r, ct) => Guard(console, () => NetCommands.Check(console, r.GetRequiredValue(domains), Settings(r), r.GetValue(json), ct)));

        var list = new Argument<string>("file") { Description = "Domains, one per line (# comments), or - for standard input" };
        var concurrency = new Option<int>("--concurrency") { Description = "Domains checked at once (default 8)", DefaultValueFactory = static _ => 8 };
        var output = new Option<string?>("--output") { Description = "Append one JSON line per domain here; domains already in it are skipped" };
        var scan = new Command("scan", "Check many domains: one JSON line each, then a summary") { list, concurrency, output, dns, trust, port, timeout, cache, redis };
        scan.SetAction((r, ct) => Guard(console, () => NetCommands.Scan(console, r.GetRequiredValue(list), r.GetValue(concurrency), r.GetValue(output), Settings(r), ct)));

        var cacheList = new Command("list", "Every cached domain");
        var showDomain = new Argument<string>("domain");
        var cacheShow = new Command("show", "One domain's entry and policy text") { showDomain };
        var purgeDomain = new Argument<string?>("domain") { Arity = ArgumentArity.ZeroOrOne };
        var cachePurge = new Command("purge", "Remove one domain, or every entry") { purgeDomain };
        var cacheCommand = new Command("cache", $"The resolver's persistent cache (--cache PATH, default {CacheCommands.DefaultPath})") { cacheList, cacheShow, cachePurge };
        cacheCommand.Options.Add(cache);
        cacheCommand.Options.Add(redis);
        cacheList.SetAction((r, ct) => Guard(console, () => CacheCommands.List(console, r.GetValue(cache), r.GetValue(json), ct, r.GetValue(redis))));
        cacheShow.SetAction((r, ct) => Guard(console, () => CacheCommands.Show(console, r.GetRequiredValue(showDomain), r.GetValue(cache), r.GetValue(json), ct, r.GetValue(redis))));
        cachePurge.SetAction((r, ct) => Guard(console, () => CacheCommands.Purge(console, r.GetValue(purgeDomain), r.GetValue(cache), r.GetValue(json), ct, r.GetValue(redis))));
        cache.Recursive = true;
        redis.Recursive = true;

        var root = new RootCommand("mta-sts: RFC 8461 (SMTP MTA-STS) policies and records: lint, explain, evaluate, check, scan, cache.\n" + ExitCodes.Help)
        {
            lint, explain, evaluate, check, scan, cacheCommand,
        };
        root.Options.Add(json);
        root.Subcommands.Add(ServeCommands.Serve(console, dns, trust, port, timeout, cache, redis));
        root.Subcommands.Add(ServeCommands.Query(console));
        root.Subcommands.Add(ConformanceCommands.Conformance(console)); // issue 18
        var tlsrpt = TlsRptCommands.Group(console, dns, json);
        tlsrpt.Subcommands.Add(TlsRptReportCommands.Report(console)); // issue 16a
        tlsrpt.Subcommands.Add(TlsRptReportCommands.Send(console, dns, trust, json)); // issue 16a
        root.Subcommands.Add(tlsrpt);
        return root;

        NetSettings Settings(ParseResult r) =>
            new(r.GetValue(dns) ?? [], r.GetValue(trust) ?? [], r.GetValue(port), r.GetValue(timeout), r.GetValue(cache), r.GetValue(redis));
    }

    /// <summary>Never a stack trace, never a verdict: an unexpected exception is reported as a bug, in one line, with exit code 70.</summary>
    internal static async Task<int> Guard(CliConsole console, Func<Task<int>> body)
    {
        try
        {
            return await body().ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            console.Error.WriteLine("mta-sts: cancelled");
            return ExitCodes.Network;
        }
        catch (Exception e)
        {
            console.Error.WriteLine($"mta-sts: bug: unexpected {e.GetType().Name}: {e.Message} (please report it; exit {ExitCodes.Bug})");
            return ExitCodes.Bug;
        }
    }
}
