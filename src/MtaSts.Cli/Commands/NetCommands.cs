using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using LanguageExt;
using MtaSts.Functional.Resolver;
using Spectre.Console;

namespace MtaSts.Cli;

/// <summary>Network settings shared by <c>check</c> and <c>scan</c>.</summary>
internal sealed record NetSettings(IReadOnlyList<string> Dns, IReadOnlyList<string> Trust, int? PolicyPort, double TimeoutSeconds, string? CachePath, string? Redis = null);

/// <summary>One domain's live check, as text and as JSON, with its exit code.</summary>
internal sealed record DomainCheck(string Domain, int Code, string Text, JsonObject Json, string? Mode, Seq<string> ResultTypes);

/// <summary><c>check</c> and <c>scan</c>: live discovery through the resolver.</summary>
internal static class NetCommands
{
    public static Either<CliFailure, MtaStsOptions> Options(NetSettings settings)
    {
        var options = new MtaStsOptions
        {
            FetchTimeout = TimeSpan.FromSeconds(settings.TimeoutSeconds),
            DnsTimeout = TimeSpan.FromSeconds(Math.Min(5, settings.TimeoutSeconds)),
            DnsRetries = 0,
            CachePath = settings.CachePath,
            ProactiveRefresh = false,
        };
        if (settings.TimeoutSeconds <= 0)
        {
            return new CliFailure(ExitCodes.Usage, "--timeout must be a positive number of seconds");
        }

        foreach (var server in settings.Dns)
        {
            if (IPEndPoint.TryParse(server, out var endPoint))
            {
                options.NameServers.Add(endPoint.Port == 0 ? new IPEndPoint(endPoint.Address, 53) : endPoint);
            }
            else
            {
                return new CliFailure(ExitCodes.Usage, $"--dns '{server}': not an IP address with an optional :PORT");
            }
        }

        foreach (var file in settings.Trust)
        {
            try
            {
                var before = options.TrustAnchors.Count;
                options.TrustAnchors.ImportFromPemFile(file);
                if (options.TrustAnchors.Count == before)
                {
                    return new CliFailure(ExitCodes.Usage, $"--trust '{file}': no certificate in the file");
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException or ArgumentException)
            {
                return new CliFailure(ExitCodes.Usage, $"--trust '{file}': cannot read certificates: {e.Message}");
            }
        }

        if (settings.PolicyPort is { } port)
        {
            if (port is < 1 or > 65535)
            {
                return new CliFailure(ExitCodes.Usage, $"--policy-port {port}: not a TCP port");
            }

            options.PolicyPort = port;
        }

        return options;
    }

    public static async Task<int> Check(CliConsole console, IReadOnlyList<string> domains, NetSettings settings, bool json, CancellationToken cancellationToken)
    {
        var options = Options(settings);
        if (options.Case is CliFailure failure)
        {
            return FileCommands.Fail(console, failure);
        }

        var created = await RedisCli.ResolverAsync((MtaStsOptions)options.Case!, settings.Redis).ConfigureAwait(false);
        if (created.Case is CliFailure unreachable)
        {
            return FileCommands.Fail(console, unreachable);
        }

        var (resolver, owner) = ((MtaStsResolver, IAsyncDisposable))created.Case!;
        await using var _ = owner.ConfigureAwait(false);
        var code = ExitCodes.Ok;
        foreach (var domain in domains)
        {
            var check = await CheckAsync(resolver, domain, cancellationToken).ConfigureAwait(false);
            if (json)
            {
                console.Out.WriteLine(Json.Line(check.Json));
            }
            else if (check.Code == ExitCodes.Usage)
            {
                console.Error.WriteLine($"mta-sts: {check.Text}");
            }
            else
            {
                FileCommands.Write(console, check.Text);
            }

            code = Math.Max(code, check.Code);
        }

        return code;
    }

    public static async Task<DomainCheck> CheckAsync(MtaStsResolver resolver, string domain, CancellationToken cancellationToken)
    {
        var normalized = MtaStsResolver.Normalize(domain);
        if (normalized.Case is MtaStsError invalid)
        {
            var message = $"'{domain}': {invalid.Render().Replace("error[", "[", StringComparison.Ordinal)}";
            return new DomainCheck(domain, ExitCodes.Usage, message, new JsonObject { ["domain"] = domain, ["error"] = invalid.Render() }, null, Seq<string>.Empty);
        }

        var name = (string)normalized.Case!;
        var records = await resolver.Dns.LookupTxtRecordsAsync(name, cancellationToken).ConfigureAwait(false);
        var resolution = (Resolution)(await resolver.ResolveAsync(name, cancellationToken).ConfigureAwait(false)).Case!;
        var mx = await resolver.Dns.LookupMxAsync(name, cancellationToken).ConfigureAwait(false);

        var text = new StringBuilder($"{name}\n");
        var jsonRecords = new JsonArray();
        records.Match(
            Right: rs =>
            {
                foreach (var r in rs)
                {
                    text.Append($"  TXT _mta-sts.{name}: \"{string.Concat(r)}\"\n");
                    jsonRecords.Add(string.Concat(r));
                }
            },
            Left: f => text.Append($"  TXT _mta-sts.{name}: {(f.Kind == DnsFailureKind.NoRecord ? "no record" : "DNS failure: " + f.Detail)}\n"));
        text.Append(resolution.Txt switch
        {
            TxtOutcome.Found f => $"  record: valid, id {f.Record.Id}\n",
            TxtOutcome.NoRecord => "  record: none — the domain does not publish MTA-STS\n",
            TxtOutcome.Unusable u => $"  record: unusable — {u.Error.Render().Replace("\n", "\n    ", StringComparison.Ordinal)}\n",
            TxtOutcome.TemporaryFailure t => $"  record: DNS temporary failure — {t.Detail}\n",
            _ => throw new System.Diagnostics.UnreachableException(),
        });
        var url = Enforcement.PolicyUrl(name).Map(static u => u.AbsoluteUri).IfLeft(string.Empty);
        text.Append($"  policy URL: {url}\n");
        resolution.Fetch.IfSome(fetch => text.Append(fetch switch
        {
            FetchOutcome.Fetched f => $"  fetch: HTTP 200, text/plain, {Encoding.UTF8.GetByteCount(f.Text)} bytes\n",
            FetchOutcome.Failed f => $"  fetch: failed — {f.Failure.ResultType}: {f.Failure.Detail}\n",
            _ => throw new System.Diagnostics.UnreachableException(),
        }));
        resolution.Policy.IfSome(p => text.Append($"  policy: mode {p.Policy.Mode.ToKeyword()}, max_age {p.Policy.MaxAge.Seconds}, mx {string.Join(", ", p.Policy.Mx.Map(static m => m.Render()))}\n"));
        var jsonMx = new JsonArray();
        mx.Match(
            Right: hosts =>
            {
                foreach (var host in hosts)
                {
                    var decision = resolution.Decide(host.Host);
                    text.Append($"  MX {host.Preference} {host.Host}: {decision}\n");
                    var entry = Json.Decision(host.Host, decision);
                    entry["preference"] = host.Preference;
                    jsonMx.Add(entry);
                }
            },
            Left: f => text.Append($"  MX: {(f.Kind == DnsFailureKind.NoRecord ? "none" : "DNS failure: " + f.Detail)}\n"));

        var errors = resolution.Reports.Choose(static r => r switch
        {
            LifecycleReport.FetchFailed f => Prelude.Some((Type: f.Failure.ResultType, f.Failure.Detail, Network: f.Failure.Kind is FetchFailureKind.Network or FetchFailureKind.Timeout)),
            LifecycleReport.DnsTemporaryFailure d => Prelude.Some((Type: "dns-temporary-failure", d.Detail, Network: true)),
            LifecycleReport.TxtUnusable u => Prelude.Some((Type: "txt-unusable", Detail: u.Error.Render(), Network: false)),
            _ => Option<(string Type, string Detail, bool Network)>.None,
        }).Strict();
        foreach (var (type, detail, _) in errors)
        {
            text.Append($"  error[{type}]: {detail.Replace("\n", "\n    ", StringComparison.Ordinal)}\n");
        }

        var code = errors.Exists(static e => e.Network) ? ExitCodes.Network : errors.IsEmpty ? ExitCodes.Ok : ExitCodes.Invalid;
        var mode = resolution.Policy.Map(static p => p.Policy.Mode.ToKeyword()).IfNone("no policy");
        var json = new JsonObject
        {
            ["domain"] = name,
            ["txt"] = new JsonObject
            {
                ["records"] = jsonRecords,
                ["status"] = resolution.Txt switch
                {
                    TxtOutcome.Found => "found",
                    TxtOutcome.NoRecord => "none",
                    TxtOutcome.Unusable => "unusable",
                    _ => "temporary-failure",
                },
                ["id"] = resolution.Txt is TxtOutcome.Found found ? found.Record.Id.Value : null,
            },
            ["policyUrl"] = url,
            ["fetch"] = Json.OrNull(resolution.Fetch, static f => f is FetchOutcome.Failed failed
                ? new JsonObject { ["status"] = "failed", ["resultType"] = failed.Failure.ResultType, ["detail"] = failed.Failure.Detail }
                : new JsonObject { ["status"] = "ok", ["http"] = 200, ["contentType"] = "text/plain" }),
            ["mode"] = mode,
            ["policy"] = Json.OrNull(resolution.Policy, static p => p.Text),
            ["mx"] = jsonMx,
            ["errors"] = new JsonArray([.. errors.Map(static e => new JsonObject { ["resultType"] = e.Type, ["detail"] = e.Detail })]),
        };
        return new DomainCheck(name, code, text.ToString(), json, mode, errors.Map(static e => e.Type));
    }

    public static async Task<int> Scan(CliConsole console, string path, int concurrency, string? output, NetSettings settings, CancellationToken cancellationToken)
    {
        if (concurrency is < 1 or > 256)
        {
            return FileCommands.Fail(console, new CliFailure(ExitCodes.Usage, "--concurrency is 1 to 256"));
        }

        var input = InputFiles.Read(path, console, InputFiles.MaxListBytes);
        var options = Options(settings);
        if (input.Case is CliFailure badInput)
        {
            return FileCommands.Fail(console, badInput);
        }

        if (options.Case is CliFailure badOptions)
        {
            return FileCommands.Fail(console, badOptions);
        }

        var domains = (((string, string))input.Case!).Item2.Split('\n')
            .Select(static l => l.Trim())
            .Where(static l => l.Length > 0 && !l.StartsWith('#'))
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .ToList();
        var done = output is not null && File.Exists(output) ? Done(output) : [];
        var todo = domains.Where(d => !done.Contains(MtaStsResolver.Normalize(d).IfLeft(d))).ToList();

        var created = await RedisCli.ResolverAsync((MtaStsOptions)options.Case!, settings.Redis).ConfigureAwait(false);
        if (created.Case is CliFailure unreachable)
        {
            return FileCommands.Fail(console, unreachable);
        }

        var (resolver, owner) = ((MtaStsResolver, IAsyncDisposable))created.Case!;
        await using var _ = owner.ConfigureAwait(false);
        EndWithNewLine(output);
        using var file = output is null ? null : new StreamWriter(output, append: true, new UTF8Encoding(false)) { AutoFlush = true };
        var results = file ?? console.Out;
        var summaryTo = file is null ? console.Error : console.Out;
        var modes = new ConcurrentDictionary<string, int>();
        var errorTypes = new ConcurrentDictionary<string, int>();
        var gate = new object();

        async Task RunAll(Action step)
        {
            await Parallel.ForEachAsync(todo, new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = cancellationToken }, async (domain, ct) =>
            {
                var check = await CheckAsync(resolver, domain, ct).ConfigureAwait(false);
                lock (gate)
                {
                    results.WriteLine(Json.Line(check.Json));
                }

                modes.AddOrUpdate(check.Code == ExitCodes.Usage ? "invalid domain" : check.Mode ?? "no policy", 1, static (_, n) => n + 1);
                foreach (var type in check.ResultTypes)
                {
                    errorTypes.AddOrUpdate(type, 1, static (_, n) => n + 1);
                }

                step();
            }).ConfigureAwait(false);
        }

        if (console.Rich)
        {
            var ansi = Spectre.Console.AnsiConsole.Create(new Spectre.Console.AnsiConsoleSettings { Out = new Spectre.Console.AnsiConsoleOutput(console.Error) });
            await ansi.Progress().StartAsync(async context =>
            {
                var task = context.AddTask($"scanning {todo.Count} domains", maxValue: Math.Max(1, todo.Count));
                await RunAll(() => task.Increment(1)).ConfigureAwait(false);
            }).ConfigureAwait(false);
        }
        else
        {
            await RunAll(static () => { }).ConfigureAwait(false);
        }

        var summary = new StringBuilder($"scanned {todo.Count} domain(s), skipped {domains.Count - todo.Count} already in the output\n");
        foreach (var (mode, count) in modes.OrderBy(static m => m.Key, StringComparer.Ordinal))
        {
            summary.Append($"  mode {mode}: {count}\n");
        }

        foreach (var (type, count) in errorTypes.OrderBy(static m => m.Key, StringComparer.Ordinal))
        {
            summary.Append($"  error {type}: {count}\n");
        }

        if (console.Rich && file is not null)
        {
            var table = new Spectre.Console.Table().AddColumn("what").AddColumn("count");
            foreach (var (mode, count) in modes.OrderBy(static m => m.Key, StringComparer.Ordinal))
            {
                table.AddRow($"mode {Spectre.Console.Markup.Escape(mode)}", count.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }

            foreach (var (type, count) in errorTypes.OrderBy(static m => m.Key, StringComparer.Ordinal))
            {
                table.AddRow($"error {Spectre.Console.Markup.Escape(type)}", count.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }

            Spectre.Console.AnsiConsole.Create(new Spectre.Console.AnsiConsoleSettings { Out = new Spectre.Console.AnsiConsoleOutput(console.Out) }).Write(table);
        }
        else
        {
            summaryTo.Write(summary.ToString());
        }

        return ExitCodes.Ok;
    }

    /// <summary>A results file whose last line was cut short gets its line ended, so that new lines stay whole.</summary>
    private static void EndWithNewLine(string? output)
    {
        if (output is null || !File.Exists(output) || new FileInfo(output).Length == 0)
        {
            return;
        }

        using var stream = new FileStream(output, FileMode.Open, FileAccess.ReadWrite);
        stream.Seek(-1, SeekOrigin.End);
        if (stream.ReadByte() != '\n')
        {
            stream.WriteByte((byte)'\n');
        }
    }

    /// <summary>The domains already in a results file (its lines that parse as JSON with a "domain").</summary>
    private static System.Collections.Generic.HashSet<string> Done(string output)
    {
        var done = new System.Collections.Generic.HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in File.ReadLines(output))
        {
            try
            {
                if (JsonNode.Parse(line)?["domain"]?.GetValue<string>() is { } domain)
                {
                    done.Add(domain);
                }
            }
            catch (JsonException)
            {
                // A line cut short by an interrupted run: that domain is scanned again.
            }
        }

        return done;
    }
}
