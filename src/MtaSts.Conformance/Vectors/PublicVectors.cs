using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace MtaSts.Conformance.Vectors;

/// <summary>
/// The public corpus (conformance/corpus/*.json, embedded; byte-identical to ../shared/conformance) as protocol
/// vectors: each corpus vector's input becomes the request, its <c>expect</c> the judged answer fields, its
/// <c>cite</c> the decision ids and RFC section, its <c>note</c> the reason.
/// </summary>
internal static partial class PublicVectors
{
    /// <summary>The corpus files, in report order.</summary>
    public static readonly IReadOnlyList<string> Files =
        ["record.json", "recordset.json", "policy.json", "lenient.json", "match.json", "policy-url.json", "cert-name.json", "tlsrpt-record.json"];

    private static readonly Lazy<IReadOnlyList<Vector>> Loaded = new(Load);

    /// <summary>Every public vector.</summary>
    public static IReadOnlyList<Vector> All => Loaded.Value;

    /// <summary>The requirement of the RFC each kind's vectors also test (digest §2), beside the decisions their cite names.</summary>
    private static string? KindRequirement(string kind) => kind switch
    {
        Kinds.RecordSet => "N-06",
        Kinds.Match => "N-46",
        Kinds.CertName => "N-56",
        Kinds.PolicyUrl => "N-15",
        _ => null,
    };

    private static List<Vector> Load()
    {
        var vectors = new List<Vector>();
        foreach (var file in Files)
        {
            using var stream = typeof(PublicVectors).Assembly.GetManifestResourceStream("corpus/" + file)
                ?? throw new InvalidOperationException($"corpus/{file} is not embedded");
            foreach (var node in JsonNode.Parse(stream)!.AsArray())
            {
                vectors.Add(FromCorpus(node!.AsObject()));
            }
        }

        return vectors;
    }

    /// <summary>One corpus vector (shapes: conformance/corpus/README.md) as a protocol vector.</summary>
    internal static Vector FromCorpus(JsonObject v)
    {
        var corpusKind = Str(v, "kind");
        var expect = v["expect"]!.AsObject();
        var lenient = Str(v, "mode") == "lenient" || corpusKind == "tlsrpt-lenient";
        var (kind, request, expected) = corpusKind switch
        {
            "record" => (Kinds.Record, Request(Kinds.Record, ("input", v["input"])), Parsed(expect, "valid", "id", "extensions")),
            "recordset" => (Kinds.RecordSet, Request(Kinds.RecordSet, ("records", v["records"])), Parsed(expect, "policy", "id")),
            "policy" => (Kinds.Policy, Request(Kinds.Policy, v.ContainsKey("input") ? ("input", v["input"]) : ("input_hex", v["input_hex"])), Parsed(expect, "valid", "mode", "mx", "max_age", "version", "extensions")),
            "match" => (Kinds.Match, Request(Kinds.Match, ("patterns", v["patterns"] ?? new JsonArray(v["pattern"]!.DeepClone())), ("host", v["host"])), Matches(expect)),
            "policy-url" => (Kinds.PolicyUrl, Request(Kinds.PolicyUrl, ("domain", v["domain"])), expect.ContainsKey("url") ? new JsonObject { ["accepted"] = true, ["url"] = expect["url"]!.DeepClone() } : Rejected()),
            "cert-name" => (Kinds.CertName, Request(Kinds.CertName, ("dns_ids", v["dns_ids"]), ("cn", v["cn"]), ("host", v["host"])), Matches(expect)),
            "tlsrpt-record" or "tlsrpt-lenient" => (Kinds.TlsRptRecord, Request(Kinds.TlsRptRecord, ("input", v["input"])), Parsed(expect, "valid", "rua", "extensions", "usable")),
            "tlsrpt-recordset" => (Kinds.TlsRptRecordSet, Request(Kinds.TlsRptRecordSet, ("records", v["records"])), TlsRptSet(expect)),
            _ => throw new InvalidOperationException($"unknown corpus kind {corpusKind}"),
        };

        // Strict vectors whose input is valid hold in the lenient profile too (L-03); record sets, matching, URLs
        // and certificate names have no lenient variant.
        var hasMode = kind is Kinds.Record or Kinds.Policy or Kinds.TlsRptRecord;
        var profiles = !hasMode ? Profiles.Both
            : lenient ? Profiles.Lenient
            : expected["accepted"]!.GetValue<bool>() ? Profiles.Both
            : Profiles.Strict;

        var cite = Str(v, "cite") ?? string.Empty;
        var slash = cite.IndexOf(" / ", StringComparison.Ordinal);
        var ids = CiteIds().Matches(slash < 0 ? cite : cite[..slash]).Select(static m => m.Value).ToList();
        if (KindRequirement(kind) is { } requirement && !ids.Contains(requirement))
        {
            ids.Add(requirement);
        }

        var note = Str(v, "note");
        return new Vector(
            Str(v, "id")!,
            kind,
            profiles,
            request,
            expected,
            ids,
            slash < 0 ? string.Empty : cite[(slash + 3)..].Trim(),
            string.IsNullOrEmpty(note) ? Str(v, "source") ?? string.Empty : note,
            "public");
    }

    /// <summary>A request of the kind with the given inputs (absent ones left out), copied.</summary>
    private static JsonObject Request(string kind, params (string Name, JsonNode? Value)[] inputs)
    {
        var request = new JsonObject { ["kind"] = kind };
        foreach (var (name, value) in inputs)
        {
            if (value is not null)
            {
                request[name] = value.DeepClone();
            }
        }

        return request;
    }

    /// <summary>A parse outcome: <c>accepted</c> from the corpus flag, and when accepted the listed fields the corpus gives.</summary>
    private static JsonObject Parsed(JsonObject expect, string flag, params string[] fields)
    {
        if (!expect[flag]!.GetValue<bool>())
        {
            return Rejected();
        }

        var answer = new JsonObject { ["accepted"] = true };
        foreach (var field in fields)
        {
            if (expect[field] is { } value)
            {
                answer[field] = value.DeepClone();
            }
        }

        return answer;
    }

    /// <summary><c>{"matches":…}</c>; an invalid pattern (<c>pattern_valid: false</c>) matches nothing (D-06, M-02).</summary>
    private static JsonObject Matches(JsonObject expect) =>
        new() { ["matches"] = expect.ContainsKey("pattern_valid") ? false : expect["matches"]!.GetValue<bool>() };

    private static JsonObject TlsRptSet(JsonObject expect) =>
        Str(expect, "outcome") == "valid"
            ? new JsonObject { ["accepted"] = true, ["rua"] = expect["rua"]!.DeepClone(), ["extensions"] = expect["extensions"]!.DeepClone() }
            : Rejected();

    private static JsonObject Rejected() => new() { ["accepted"] = false };

    private static string? Str(JsonObject o, string name) => o[name]?.GetValue<string>();

    [GeneratedRegex(@"\b[A-Z]-\d{2}\b")]
    private static partial Regex CiteIds();
}
