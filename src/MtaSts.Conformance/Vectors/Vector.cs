using System.Text.Json.Nodes;

namespace MtaSts.Conformance.Vectors;

/// <summary>Which judgement a run applies: RFC 8461/8460 read strictly (the default) or the project's lenient mode (L-01..L-03, T-07).</summary>
[Flags]
internal enum Profiles
{
    /// <summary>No profile (never on a vector).</summary>
    None = 0,

    /// <summary>Strict: the decisions D-, M-, F-, T-01..T-06, T-08.</summary>
    Strict = 1,

    /// <summary>Lenient: L-01 deviations are repaired, L-02 ones still rejected, L-03 strict-valid inputs read the same.</summary>
    Lenient = 2,

    /// <summary>The vector's expectation holds in both profiles.</summary>
    Both = Strict | Lenient,
}

/// <summary>
/// One conformance vector (docs/conformance-protocol.md, "Vectors"): what is sent, the judged fields of the expected
/// answer, the requirement and decision ids it tests, the RFC section, one line of why, and where it comes from.
/// </summary>
internal sealed record Vector(
    string Id,
    string Kind,
    Profiles Profiles,
    JsonObject Request,
    JsonObject Expect,
    IReadOnlyList<string> Tests,
    string Rfc,
    string Reason,
    string Origin)
{
    /// <summary>The export line (one JSON object).</summary>
    public JsonObject ToJson() => new()
    {
        ["id"] = Id,
        ["kind"] = Kind,
        ["profiles"] = new JsonArray([.. ProfileNames(Profiles).Select(static p => (JsonNode)p)]),
        ["request"] = Request.DeepClone(),
        ["expect"] = Expect.DeepClone(),
        ["tests"] = new JsonArray([.. Tests.Select(static t => (JsonNode)t)]),
        ["rfc"] = Rfc,
        ["reason"] = Reason,
        ["origin"] = Origin,
    };

    /// <summary>The profile names, as the protocol writes them.</summary>
    public static IEnumerable<string> ProfileNames(Profiles profiles)
    {
        if (profiles.HasFlag(Profiles.Strict))
        {
            yield return "strict";
        }

        if (profiles.HasFlag(Profiles.Lenient))
        {
            yield return "lenient";
        }
    }
}
