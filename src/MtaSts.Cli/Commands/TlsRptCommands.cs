using System.CommandLine;
using System.Text;
using System.Text.Json.Nodes;
using MtaSts.Functional.Resolver;

namespace MtaSts.Cli;

/// <summary>
/// One domain's TLSRPT lookup as one value: the domain as given, why it cannot be looked up, or the
/// normalised domain and what <c>_smtp._tls.&lt;domain&gt;</c> gave; text and JSON are two renderings
/// of it (<see cref="TlsRptCommands.Text"/>, <see cref="TlsRptCommands.ToJson"/>).
/// </summary>
/// <param name="Input">The domain as given.</param>
/// <param name="Invalid">Why the domain cannot be looked up, or null.</param>
/// <param name="Domain">The normalised domain, or null when invalid.</param>
/// <param name="Outcome">The lookup's outcome, or null when invalid.</param>
internal sealed record TlsRptCheck(string Input, MtaStsError? Invalid, PolicyDomain? Domain, TlsRptOutcome? Outcome)
{
    /// <summary>The record's DNS name, or null when the domain is invalid.</summary>
    public string? Name => Domain is null ? null : ITlsRptLookup.NamePrefix + Domain.Value;

    /// <summary>
    /// The exit code, as <c>check</c> has them: usage for an invalid domain, network for a DNS temporary failure,
    /// invalid for an unusable record set (several records, or an invalid one), 0 for a record or for none (a domain
    /// without TLSRPT is not an error, as a domain without MTA-STS is not for <c>check</c>).
    /// </summary>
    public int Code => Invalid is not null ? ExitCodes.Usage
        : Outcome switch
        {
            TlsRptOutcome.TemporaryFailure => ExitCodes.Network,
            TlsRptOutcome.Unusable => ExitCodes.Invalid,
            _ => ExitCodes.Ok,
        };

    /// <summary>The outcome's status word in the JSON: <c>found</c>, <c>none</c>, <c>unusable</c>, <c>temporary-failure</c>.</summary>
    public string? Status => Outcome switch
    {
        TlsRptOutcome.Found => "found",
        TlsRptOutcome.NoRecord => "none",
        TlsRptOutcome.Unusable => "unusable",
        TlsRptOutcome.TemporaryFailure => "temporary-failure",
        _ => null,
    };
}

/// <summary>
/// The <c>tlsrpt</c> command group (RFC 8460): <c>check</c> here; <c>report</c> and <c>send</c> live in
/// <c>TlsRptReportCommands</c> and are added to the group returned by <see cref="Group"/>.
/// </summary>
internal static class TlsRptCommands
{
    /// <summary>The default DNS timeout of <c>tlsrpt check</c>, in seconds.</summary>
    public const double DefaultTimeoutSeconds = 5;

    /// <summary>The <c>tlsrpt</c> group with its <c>check</c> command.</summary>
    /// <param name="console">Where output goes.</param>
    /// <param name="dns">The shared <c>--dns</c> option.</param>
    /// <param name="json">The root's recursive <c>--json</c> option.</param>
    /// <returns>The group; further subcommands may be added to it.</returns>
    public static Command Group(CliConsole console, Option<string[]> dns, Option<bool> json)
    {
        var domains = new Argument<string[]>("domain") { Description = "Policy domains (U- or A-labels)", Arity = ArgumentArity.OneOrMore };
        var timeout = new Option<double>("--timeout") { Description = $"Seconds for the DNS lookup (default {DefaultTimeoutSeconds})", DefaultValueFactory = static _ => DefaultTimeoutSeconds };
        var check = new Command("check", "Look up the domain's TLSRPT record at _smtp._tls.<domain> (RFC 8460 §3): the record-set rule, each reporting URI and whether a report can be sent there") { domains, dns, timeout };
        check.SetAction((r, ct) => MtaStsCli.Guard(console, () => Check(console, r.GetRequiredValue(domains), r.GetValue(dns) ?? [], r.GetValue(timeout), r.GetValue(json), ct)));
        return new Command("tlsrpt", "TLSRPT (RFC 8460): the reporting record; daily reports of TLS sessions") { check };
    }

    public static async Task<int> Check(CliConsole console, IReadOnlyList<string> domains, IReadOnlyList<string> dns, double timeoutSeconds, bool json, CancellationToken cancellationToken)
    {
        var parsed = NetCommands.Options(new NetSettings(dns, [], null, timeoutSeconds, null));
        if (parsed.IsLeft)
        {
            return FileCommands.Fail(console, (CliFailure)parsed);
        }

        var options = (MtaStsOptions)parsed;
        options.DnsTimeout = TimeSpan.FromSeconds(timeoutSeconds);
        var lookup = TlsRptLookup.Create(options);
        return await NetCommands.EachDomainAsync(console, domains, json, d => CheckAsync(lookup, d, cancellationToken), ToJson, Text, static r => r.Invalid is not null, static r => r.Code).ConfigureAwait(false);
    }

    /// <summary>One domain: one TXT lookup (CNAMEs followed), no rendering; an invalid domain makes no query.</summary>
    public static async Task<TlsRptCheck> CheckAsync(ITlsRptLookup lookup, string domain, CancellationToken cancellationToken)
    {
        var parsed = PolicyDomain.Parse(domain);
        if (parsed.IsLeft)
        {
            return new TlsRptCheck(domain, (MtaStsError)parsed, null, null);
        }

        var name = (PolicyDomain)parsed;
        return new TlsRptCheck(domain, null, name, await lookup.LookupTlsRptAsync(name, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>The text rendering of a check.</summary>
    public static string Text(TlsRptCheck report)
    {
        if (report.Invalid is not null || report.Outcome is not { } outcome)
        {
            return $"'{report.Input}': {report.Invalid?.Render().Replace("error[", "[", StringComparison.Ordinal)}";
        }

        var text = new StringBuilder($"{report.Domain}\n");
        foreach (var r in outcome.Records)
        {
            text.Append($"  TXT {report.Name}: \"{string.Concat(r)}\"\n");
        }

        if (outcome.Records.IsEmpty)
        {
            text.Append($"  TXT {report.Name}: {(outcome is TlsRptOutcome.TemporaryFailure t ? "DNS failure: " + t.Detail : "no record")}\n");
        }

        switch (outcome)
        {
            case TlsRptOutcome.Found found:
                text.Append($"  record: valid — {found.Record.Render()}\n");
                foreach (var d in found.Record.Destinations)
                {
                    text.Append($"  rua {d.Text}: {Describe(d.Scheme)}\n");
                }

                foreach (var e in found.Record.Extensions)
                {
                    text.Append($"  extension {e.Name}={e.Value}: ignored (RFC 8460 §3, T-05)\n");
                }

                if (found.Record.Usable.IsEmpty)
                {
                    text.Append("  warning[tlsrpt-rua]: no usable destination (only mailto: and https: are used, T-04): no report can be delivered\n");
                }

                break;
            case TlsRptOutcome.NoRecord:
                text.Append("  record: none — the domain does not implement TLSRPT (RFC 8460 §3)\n");
                break;
            case TlsRptOutcome.Unusable u:
                text.Append($"  record: unusable — the sender MUST assume no TLSRPT (RFC 8460 §3)\n  {u.Error.Render().Replace("\n", "\n    ", StringComparison.Ordinal)}\n");
                break;
            case TlsRptOutcome.TemporaryFailure t:
                text.Append($"  error[dns-temporary-failure]: {t.Detail}\n");
                break;
        }

        return text.ToString();
    }

    /// <summary>The JSON rendering of a check: one object per domain.</summary>
    public static JsonObject ToJson(TlsRptCheck report)
    {
        if (report.Invalid is not null || report.Outcome is not { } outcome)
        {
            return new JsonObject { ["domain"] = report.Input, ["error"] = report.Invalid?.Render() };
        }

        var found = outcome as TlsRptOutcome.Found;
        return new JsonObject
        {
            ["domain"] = report.Domain!.Value,
            ["name"] = report.Name,
            ["status"] = report.Status,
            ["records"] = new JsonArray([.. outcome.Records.Select(static r => (JsonNode?)JsonValue.Create(string.Concat(r)))]),
            ["record"] = found?.Record.Render(),
            ["rua"] = found is null ? null : new JsonArray([.. found.Record.Destinations.Map(static d => (JsonNode?)new JsonObject
            {
                ["uri"] = d.Text,
                ["scheme"] = SchemeWord(d.Scheme),
                ["usable"] = d.IsUsable,
            })]),
            ["extensions"] = found is null ? null : new JsonArray([.. found.Record.Extensions.Map(static e => (JsonNode?)new JsonObject { ["name"] = e.Name, ["value"] = e.Value })]),
            ["error"] = outcome switch
            {
                TlsRptOutcome.Unusable u => Json.Error(u.Error),
                TlsRptOutcome.TemporaryFailure t => new JsonObject { ["code"] = "dns-temporary-failure", ["message"] = t.Detail },
                _ => null,
            },
        };
    }

    private static string SchemeWord(ReportingScheme scheme) => scheme switch
    {
        ReportingScheme.Mailto => "mailto",
        ReportingScheme.Https => "https",
        _ => "unsupported",
    };

    private static string Describe(ReportingScheme scheme) => scheme switch
    {
        ReportingScheme.Mailto => "mailto, reports are mailed here",
        ReportingScheme.Https => "https, reports are POSTed here",
        _ => "unsupported, kept and ignored (T-04, T-08)",
    };
}
