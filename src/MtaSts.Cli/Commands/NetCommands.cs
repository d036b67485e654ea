using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using LanguageExt;
using MtaSts.Functional.Lifecycle;
using MtaSts.Functional.Resolver;
using Spectre.Console;

namespace MtaSts.Cli;

/// <summary>Network settings shared by <c>check</c> and <c>scan</c>.</summary>
internal sealed record NetSettings(IReadOnlyList<string> Dns, IReadOnlyList<string> Trust, int? PolicyPort, double TimeoutSeconds, string? CachePath, string? Redis = null);

/// <summary>One error of a domain's check: its RFC 8460 result type (or DNS/TXT kind), the detail, and whether it is a network failure.</summary>
internal sealed record CheckError(string Type, string Detail, bool Network);

/// <summary>
/// One domain's live check as one value: the domain as given, why it cannot have a policy or the
/// resolution (with the raw TXT strings, so one TXT query per domain) and the MX answer; text and
/// JSON are two renderings of it (<see cref="NetCommands.Text"/>, <see cref="NetCommands.ToJson"/>).
/// </summary>
internal sealed record DomainReport(string Input, MtaStsError? Invalid, Resolution? Resolution, Either<DnsFailure, Seq<MxRecord>> Mx)
{
    /// <summary>The errors to show, each with its type.</summary>
    public Seq<CheckError> Errors => Resolution is null ? Seq<CheckError>.Empty : Resolution.Reports.Choose(static r => r switch
    {
        LifecycleReport.FetchFailed f => Prelude.Some(new CheckError(f.Failure.ResultType, f.Failure.Detail, f.Failure.Kind is FetchFailureKind.Network or FetchFailureKind.Timeout)),
        LifecycleReport.DnsTemporaryFailure d => Prelude.Some(new CheckError("dns-temporary-failure", d.Detail, true)),
        LifecycleReport.TxtUnusable u => Prelude.Some(new CheckError("txt-unusable", u.Error.Render(), false)),
        _ => Option<CheckError>.None,
    }).Strict();

    /// <summary>The exit code: usage for an invalid domain, network for a network failure, invalid for any other error.</summary>
    public int Code => Invalid is not null ? ExitCodes.Usage
        : Errors.Exists(static e => e.Network) ? ExitCodes.Network
        : Errors.IsEmpty ? ExitCodes.Ok : ExitCodes.Invalid;

    /// <summary>The policy mode applied, or <c>no policy</c> (null for an invalid domain).</summary>
    public string? Mode => Resolution?.Policy.Map(static p => p.Policy.Mode.ToKeyword()).IfNone("no policy");
}

/// <summary><c>check</c> and <c>scan</c>: live discovery through the resolver.</summary>
internal static class NetCommands
{
    /// <summary>The longest <c>--timeout</c>: one hour (RFC 8461 §3.3 suggests a minute for the fetch).</summary>
    public const double MaxTimeoutSeconds = 3600;

    public static Either<CliFailure, MtaStsOptions> Options(NetSettings settings)
    {
        // Validated before use: NaN, infinities, 1e300, 0 and negatives are usage errors, never a TimeSpan exception.
        if (!double.IsFinite(settings.TimeoutSeconds) || settings.TimeoutSeconds <= 0 || settings.TimeoutSeconds > MaxTimeoutSeconds)
        {
            return new CliFailure(ExitCodes.Usage, $"--timeout '{settings.TimeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)}': a number of seconds above 0 and at most {MaxTimeoutSeconds}");
        }

        var options = new MtaStsOptions
        {
            FetchTimeout = TimeSpan.FromSeconds(settings.TimeoutSeconds),
            DnsTimeout = TimeSpan.FromSeconds(Math.Min(5, settings.TimeoutSeconds)),
            DnsRetries = 0,
            CachePath = settings.CachePath,
            ProactiveRefresh = false,
        };

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
        var parsed = Options(settings);
        if (parsed.IsLeft)
        {
            return FileCommands.Fail(console, (CliFailure)parsed);
        }

        var options = (MtaStsOptions)parsed;
        var created = await RedisCli.ResolverAsync(options, settings.Redis).ConfigureAwait(false);
        if (created.IsLeft)
        {
            return FileCommands.Fail(console, (CliFailure)created);
        }

        var (resolver, owner) = ((MtaStsResolver, IAsyncDisposable))created;
        await using var _ = owner.ConfigureAwait(false);
        var dns = new DnsDiscovery(options);
        SayCacheProblem(console, resolver);
        return await EachDomainAsync(console, domains, json, d => CheckAsync(resolver, dns, d, cancellationToken), ToJson, Text, static r => r.Invalid is not null, static r => r.Code).ConfigureAwait(false);
    }

    /// <summary>
    /// Checks each domain in turn and writes its report as it comes: one JSON line, or the text (an invalid domain in one
    /// line on stderr). The exit code is the highest of the reports'.
    /// </summary>
    public static async Task<int> EachDomainAsync<T>(CliConsole console, IReadOnlyList<string> domains, bool json, Func<string, Task<T>> check, Func<T, JsonObject> toJson, Func<T, string> text, Func<T, bool> invalid, Func<T, int> code)
    {
        var highest = ExitCodes.Ok;
        foreach (var domain in domains)
        {
            var report = await check(domain).ConfigureAwait(false);
            if (json)
            {
                console.Out.WriteLine(Json.Line(toJson(report)));
            }
            else if (invalid(report))
            {
                console.Error.WriteLine($"mta-sts: {text(report)}");
            }
            else
            {
                FileCommands.Write(console, text(report));
            }

            highest = Math.Max(highest, code(report));
        }

        return highest;
    }

    /// <summary>A cache that cannot be used is said once, on stderr, before the results.</summary>
    private static void SayCacheProblem(CliConsole console, MtaStsResolver resolver)
    {
        if (resolver.CacheProblem is { } problem)
        {
            console.Error.WriteLine($"mta-sts: warning: the cache cannot be used ({problem}); answering without it");
        }
    }

    /// <summary>One domain: one TXT query (through the resolver), the MX lookup, no rendering.</summary>
    public static async Task<DomainReport> CheckAsync(MtaStsResolver resolver, DnsDiscovery dns, string domain, CancellationToken cancellationToken)
    {
        var parsed = PolicyDomain.Parse(domain);
        if (parsed.IsLeft)
        {
            return new DomainReport(domain, (MtaStsError)parsed, null, new DnsFailure(DnsFailureKind.NoRecord, "invalid domain"));
        }

        var name = (PolicyDomain)parsed;
        var resolution = await resolver.ResolveAsync(name, cancellationToken).ConfigureAwait(false);
        var mx = await dns.LookupMxAsync(name.Value, cancellationToken).ConfigureAwait(false);
        return new DomainReport(domain, null, resolution, mx);
    }

    /// <summary>The text rendering of a report.</summary>
    public static string Text(DomainReport report)
    {
        if (report.Invalid is { } invalid || report.Resolution is not { } resolution)
        {
            return $"'{report.Input}': {report.Invalid?.Render().Replace("error[", "[", StringComparison.Ordinal)}";
        }

        var name = resolution.Domain;
        var text = new StringBuilder($"{name}\n");
        foreach (var r in resolution.Txt.Records)
        {
            text.Append($"  TXT {name.TxtName}: \"{string.Concat(r)}\"\n");
        }

        if (resolution.Txt.Records.IsEmpty)
        {
            text.Append($"  TXT {name.TxtName}: {(resolution.Txt is TxtOutcome.TemporaryFailure t ? "DNS failure: " + t.Detail : "no record")}\n");
        }

        text.Append(resolution.Txt switch
        {
            TxtOutcome.Found f => $"  record: valid, id {f.Record.Id}\n",
            TxtOutcome.NoRecord => "  record: none — the domain does not publish MTA-STS\n",
            TxtOutcome.Unusable u => $"  record: unusable — {u.Error.Render().Replace("\n", "\n    ", StringComparison.Ordinal)}\n",
            TxtOutcome.TemporaryFailure t => $"  record: DNS temporary failure — {t.Detail}\n",
            _ => throw new System.Diagnostics.UnreachableException(),
        });
        text.Append($"  policy URL: {name.PolicyUrl.AbsoluteUri}\n");
        if (resolution.Source == PolicySource.Live)
        {
            resolution.Policy.IfSome(p => text.Append($"  fetch: HTTP 200, text/plain, {Encoding.UTF8.GetByteCount(p.Text)} bytes\n"));
        }

        foreach (var f in resolution.Reports.OfType<LifecycleReport.FetchFailed>())
        {
            text.Append($"  fetch: failed — {f.Failure.ResultType}: {f.Failure.Detail}\n");
        }

        resolution.Policy.IfSome(p => text.Append($"  policy: mode {p.Policy.Mode.ToKeyword()}, max_age {p.Policy.MaxAge.Seconds}, mx {string.Join(", ", p.Policy.Mx.Map(static m => m.Render()))}\n"));
        report.Mx.Match(
            Right: hosts =>
            {
                foreach (var host in hosts)
                {
                    text.Append($"  MX {host.Preference} {host.Host}: {resolution.Decide(host.Host)}\n");
                }
            },
            Left: f => text.Append($"  MX: {(f.Kind == DnsFailureKind.NoRecord ? "none" : "DNS failure: " + f.Detail)}\n"));
        foreach (var e in report.Errors)
        {
            text.Append($"  error[{e.Type}]: {e.Detail.Replace("\n", "\n    ", StringComparison.Ordinal)}\n");
        }

        return text.ToString();
    }

    /// <summary>The JSON rendering of a report.</summary>
    public static JsonObject ToJson(DomainReport report)
    {
        if (report.Invalid is { } invalid || report.Resolution is not { } resolution)
        {
            return new JsonObject { ["domain"] = report.Input, ["error"] = report.Invalid?.Render() };
        }

        var failed = resolution.Reports.OfType<LifecycleReport.FetchFailed>().FirstOrDefault();
        var jsonMx = new JsonArray();
        report.Mx.IfRight(hosts =>
        {
            foreach (var host in hosts)
            {
                var entry = Json.Decision(host.Host, resolution.Decide(host.Host));
                entry["preference"] = host.Preference;
                jsonMx.Add(entry);
            }
        });
        return new JsonObject
        {
            ["domain"] = resolution.Domain.Value,
            ["txt"] = new JsonObject
            {
                ["records"] = new JsonArray([.. resolution.Txt.Records.Select(static r => (JsonNode?)JsonValue.Create(string.Concat(r)))]),
                ["status"] = resolution.Txt switch
                {
                    TxtOutcome.Found => "found",
                    TxtOutcome.NoRecord => "none",
                    TxtOutcome.Unusable => "unusable",
                    _ => "temporary-failure",
                },
                ["id"] = resolution.Txt is TxtOutcome.Found found ? found.Record.Id.Value : null,
            },
            ["policyUrl"] = resolution.Domain.PolicyUrl.AbsoluteUri,
            ["fetch"] = failed is not null
                ? new JsonObject { ["status"] = "failed", ["resultType"] = failed.Failure.ResultType, ["detail"] = failed.Failure.Detail }
                : resolution.Source == PolicySource.Live ? new JsonObject { ["status"] = "ok", ["http"] = 200, ["contentType"] = "text/plain" } : null,
            ["mode"] = report.Mode,
            ["policy"] = Json.OrNull(resolution.Policy, static p => p.Text),
            ["mx"] = jsonMx,
            ["errors"] = new JsonArray([.. report.Errors.Map(static e => new JsonObject { ["resultType"] = e.Type, ["detail"] = e.Detail })]),
        };
    }

    public static async Task<int> Scan(CliConsole console, string path, int concurrency, string? output, NetSettings settings, CancellationToken cancellationToken)
    {
        if (concurrency is < 1 or > 256)
        {
            return FileCommands.Fail(console, new CliFailure(ExitCodes.Usage, "--concurrency is 1 to 256"));
        }

        var input = InputFiles.Read(path, console, InputFiles.MaxListBytes);
        var parsed = Options(settings);
        if (input.IsLeft)
        {
            return FileCommands.Fail(console, (CliFailure)input);
        }

        if (parsed.IsLeft)
        {
            return FileCommands.Fail(console, (CliFailure)parsed);
        }

        var options = (MtaStsOptions)parsed;
        var domains = (((string, string))input).Item2.Split('\n')
            .Select(static l => l.Trim())
            .Where(static l => l.Length > 0 && !l.StartsWith('#'))
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .ToList();
        var done = output is not null && File.Exists(output) ? Done(output) : [];
        var todo = domains.Where(d => !done.Contains(PolicyDomain.Parse(d).Match(static n => n.Value, _ => d))).ToList();

        var created = await RedisCli.ResolverAsync(options, settings.Redis).ConfigureAwait(false);
        if (created.IsLeft)
        {
            return FileCommands.Fail(console, (CliFailure)created);
        }

        var (resolver, owner) = ((MtaStsResolver, IAsyncDisposable))created;
        await using var _ = owner.ConfigureAwait(false);
        var dns = new DnsDiscovery(options);
        SayCacheProblem(console, resolver);
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
                var report = await CheckAsync(resolver, dns, domain, ct).ConfigureAwait(false);
                var line = Json.Line(ToJson(report));
                lock (gate)
                {
                    results.WriteLine(line);
                }

                modes.AddOrUpdate(report.Code == ExitCodes.Usage ? "invalid domain" : report.Mode ?? "no policy", 1, static (_, n) => n + 1);
                foreach (var error in report.Errors)
                {
                    errorTypes.AddOrUpdate(error.Type, 1, static (_, n) => n + 1);
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
