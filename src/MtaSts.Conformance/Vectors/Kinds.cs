using System.Text.Json.Nodes;

namespace MtaSts.Conformance.Vectors;

/// <summary>The JSON type of an answer field.</summary>
internal enum FieldType
{
    /// <summary>A JSON string.</summary>
    String,

    /// <summary>A JSON integer.</summary>
    Integer,

    /// <summary>An array of strings, compared exactly.</summary>
    Strings,

    /// <summary>An array of strings compared ASCII case-insensitively (mx patterns, M-01, F-04).</summary>
    NamesIgnoringCase,

    /// <summary>An array of [name, value] string pairs.</summary>
    Pairs,
}

/// <summary>An answer field judged when the vector expects it; a required one must be present in an accepting answer.</summary>
internal sealed record AnswerField(string Name, FieldType Type, bool Required);

/// <summary>The request kinds of the protocol (docs/conformance-protocol.md) and the answer fields each is judged on.</summary>
internal static class Kinds
{
    public const string Record = "record";
    public const string RecordSet = "recordset";
    public const string Policy = "policy";
    public const string Match = "match";
    public const string PolicyUrl = "policy-url";
    public const string CertName = "cert-name";
    public const string TlsRptRecord = "tlsrpt-record";
    public const string TlsRptRecordSet = "tlsrpt-recordset";

    /// <summary>Every kind, in report order.</summary>
    public static readonly IReadOnlyList<string> All = [Record, RecordSet, Policy, Match, PolicyUrl, CertName, TlsRptRecord, TlsRptRecordSet];

    private static readonly AnswerField[] Extensions = [new("extensions", FieldType.Pairs, Required: false)];

    /// <summary>The boolean every answer of the kind carries: <c>matches</c> for the matching kinds, <c>accepted</c> otherwise.</summary>
    public static string Primary(string kind) => kind is Match or CertName ? "matches" : "accepted";

    /// <summary>The further fields of an accepting answer.</summary>
    public static IReadOnlyList<AnswerField> Fields(string kind) => kind switch
    {
        Record or RecordSet => [new("id", FieldType.String, Required: true), .. Extensions],
        Policy =>
        [
            new("mode", FieldType.String, Required: true),
            new("mx", FieldType.NamesIgnoringCase, Required: true),
            new("max_age", FieldType.Integer, Required: true),
            new("version", FieldType.String, Required: false),
            .. Extensions,
        ],
        PolicyUrl => [new("url", FieldType.String, Required: true)],
        TlsRptRecord => [new("rua", FieldType.Strings, Required: true), .. Extensions, new("usable", FieldType.Strings, Required: false)],
        TlsRptRecordSet => [new("rua", FieldType.Strings, Required: true), .. Extensions],
        _ => [],
    };

    /// <summary>Whether <paramref name="node"/> has the field's JSON type.</summary>
    public static bool HasType(AnswerField field, JsonNode node) => field.Type switch
    {
        FieldType.String => IsString(node),
        FieldType.Integer => Integer(node) is not null,
        FieldType.Strings or FieldType.NamesIgnoringCase => node is JsonArray a && a.All(IsString),
        FieldType.Pairs => node is JsonArray a && a.All(static p => p is JsonArray { Count: 2 } pair && IsString(pair[0]) && IsString(pair[1])),
        _ => false,
    };

    /// <summary>Whether the actual value equals the expected one, as the field compares.</summary>
    public static bool Same(AnswerField field, JsonNode expected, JsonNode actual) => field.Type switch
    {
        FieldType.NamesIgnoringCase => expected is JsonArray e && actual is JsonArray a && e.Count == a.Count
            && Enumerable.Range(0, e.Count).All(i => SameName(e[i]!.GetValue<string>(), a[i]!.GetValue<string>())),
        FieldType.Integer => Integer(expected) == Integer(actual),
        _ => JsonNode.DeepEquals(expected, actual),
    };

    /// <summary>ASCII case-insensitive, anything else exact (M-01: host names compare ASCII case-insensitively).</summary>
    private static bool SameName(string a, string b) => a == b || (System.Text.Ascii.IsValid(a) && System.Text.Ascii.EqualsIgnoreCase(a, b));

    /// <summary>The node as an integer, whether it was parsed from text or built from an int or a long; null when it is not one.</summary>
    private static long? Integer(JsonNode node) =>
        node is not JsonValue v ? null
        : v.TryGetValue<long>(out var l) ? l
        : v.TryGetValue<int>(out var i) ? i
        : null;

    private static bool IsString(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out _);
}
