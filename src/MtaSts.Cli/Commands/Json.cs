using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using MtaSts.Functional.Tooling;

namespace MtaSts.Cli;

/// <summary>The JSON shapes of <c>--json</c> (one object per line where there are many).</summary>
internal static class Json
{
    private static readonly JsonSerializerOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Line(JsonNode node) => node.ToJsonString(Compact);

    /// <summary>The JSON of an optional value, or JSON null (LanguageExt's Match refuses a null result).</summary>
    public static JsonNode? OrNull<T>(LanguageExt.Option<T> value, Func<T, JsonNode?> json) => value.IsSome ? json((T)value) : null;

    public static JsonObject Error(MtaStsError error) => error switch
    {
        MtaStsError.Syntax s => new JsonObject
        {
            ["line"] = s.Line,
            ["column"] = s.Column,
            ["code"] = s.Code,
            ["rule"] = s.Rule,
            ["message"] = s.Message ?? $"expected {string.Join(" or ", s.Expected)}, found {s.Found}",
            ["source"] = s.SourceLine,
            ["hint"] = MtaSts.Functional.Tooling.Lint.Hint(s)?.Text,
        },
        _ => new JsonObject
        {
            ["line"] = null,
            ["column"] = null,
            ["code"] = error.Code,
            ["rule"] = error.Code,
            ["message"] = error.Render(),
            ["source"] = null,
            ["hint"] = MtaSts.Functional.Tooling.Lint.Hint(error)?.Text,
        },
    };

    public static JsonObject Hint(LintHint h) => new()
    {
        ["line"] = h.Line == 0 ? null : h.Line,
        ["column"] = h.Column == 0 ? null : h.Column,
        ["rule"] = h.Rule,
        ["text"] = h.Text,
    };

    public static JsonObject Warning(ParseWarning w) => new()
    {
        ["line"] = w.Line,
        ["column"] = w.Column,
        ["kind"] = w.Kind.ToString(),
        ["message"] = w.Message,
    };

    public static JsonObject Decision(string mx, Decision decision) => new()
    {
        ["mx"] = mx,
        ["decision"] = decision switch
        {
            MtaSts.Functional.Decision.Deliver => "deliver",
            MtaSts.Functional.Decision.DeliverAndReport => "deliver-and-report",
            MtaSts.Functional.Decision.Refuse => "refuse",
            MtaSts.Functional.Decision.NotApplied => "not-applied",
            _ => throw new System.Diagnostics.UnreachableException(),
        },
        ["section"] = decision.Section,
        ["resultType"] = decision switch
        {
            MtaSts.Functional.Decision.DeliverAndReport r => r.Failure.ResultType(),
            MtaSts.Functional.Decision.Refuse r => r.Failure.ResultType(),
            _ => null,
        },
        ["detail"] = decision.ToString(),
    };
}
