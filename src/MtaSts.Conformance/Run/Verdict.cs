using System.Text.Json.Nodes;
using MtaSts.Conformance.Vectors;

namespace MtaSts.Conformance.Run;

/// <summary>What happened to one vector (docs/conformance-protocol.md, "Judging").</summary>
internal enum Outcome
{
    /// <summary>Every judged field as expected.</summary>
    Passed,

    /// <summary>A well-formed answer with another outcome.</summary>
    Wrong,

    /// <summary>A required field missing, or of the wrong JSON type.</summary>
    MissingField,

    /// <summary>Not one JSON object, or another <c>seq</c>.</summary>
    Garbled,

    /// <summary>No answer within the time bound.</summary>
    Hang,

    /// <summary>The adapter exited (or closed stdout) before answering.</summary>
    Crash,

    /// <summary>The adapter does not support the kind, or answered <c>unsupported</c>.</summary>
    NotSupported,

    /// <summary>Not sent: the adapter could not be restarted.</summary>
    NotRun,
}

/// <summary>The judgement of one vector: the outcome, what differed, and the answer line as received.</summary>
internal sealed record Verdict(Outcome Outcome, string Detail, string? Answer)
{
    /// <summary>Whether the outcome counts as a failure (not passed, not "not supported").</summary>
    public bool Failed => Outcome is Outcome.Wrong or Outcome.MissingField or Outcome.Garbled or Outcome.Hang or Outcome.Crash;
}

/// <summary>Judges one answer against a vector (docs/conformance-protocol.md, "Judging").</summary>
internal static class Judge
{
    /// <summary>The verdict on <paramref name="line"/>, the answer to the request with <paramref name="seq"/>.</summary>
    public static Verdict Answer(Vector vector, long seq, string line)
    {
        JsonObject answer;
        try
        {
            if (JsonNode.Parse(line) is not JsonObject parsed)
            {
                return new Verdict(Outcome.Garbled, "the answer is not a JSON object", line);
            }

            answer = parsed;
        }
        catch (System.Text.Json.JsonException e)
        {
            return new Verdict(Outcome.Garbled, $"the answer is not JSON: {e.Message}", line);
        }

        if (answer["seq"] is not JsonValue s || !s.TryGetValue<long>(out var answered) || answered != seq)
        {
            return new Verdict(Outcome.Garbled, $"the answer's seq is {answer["seq"]?.ToJsonString() ?? "missing"}, the request's {seq}", line);
        }

        if (answer["unsupported"] is JsonValue u && u.TryGetValue<bool>(out var unsupported) && unsupported)
        {
            return new Verdict(Outcome.NotSupported, "the adapter answered unsupported", line);
        }

        var primary = Kinds.Primary(vector.Kind);
        if (answer[primary] is not JsonValue p || !p.TryGetValue<bool>(out var actual))
        {
            return new Verdict(Outcome.MissingField, $"'{primary}' (true or false) is missing", line);
        }

        var expected = vector.Expect[primary]!.GetValue<bool>();
        if (actual != expected)
        {
            return new Verdict(Outcome.Wrong, $"{primary}: expected {Bool(expected)}, got {Bool(actual)}", line);
        }

        if (!actual)
        {
            return new Verdict(Outcome.Passed, string.Empty, line);
        }

        var missing = new List<string>();
        var wrong = new List<string>();
        foreach (var field in Kinds.Fields(vector.Kind))
        {
            if (!vector.Expect.TryGetPropertyValue(field.Name, out var want) || want is null)
            {
                continue;
            }

            if (!answer.TryGetPropertyValue(field.Name, out var got) || got is null)
            {
                if (field.Required)
                {
                    missing.Add($"'{field.Name}' is missing");
                }

                continue;
            }

            if (!Kinds.HasType(field, got))
            {
                missing.Add($"'{field.Name}' is not {TypeName(field.Type)}: {got.ToJsonString()}");
            }
            else if (!Kinds.Same(field, want, got))
            {
                wrong.Add($"{field.Name}: expected {want.ToJsonString()}, got {got.ToJsonString()}");
            }
        }

        return missing.Count > 0 ? new Verdict(Outcome.MissingField, string.Join("; ", missing), line)
            : wrong.Count > 0 ? new Verdict(Outcome.Wrong, string.Join("; ", wrong), line)
            : new Verdict(Outcome.Passed, string.Empty, line);
    }

    private static string Bool(bool b) => b ? "true" : "false";

    private static string TypeName(FieldType type) => type switch
    {
        FieldType.String => "a string",
        FieldType.Integer => "an integer",
        FieldType.Pairs => "an array of [name, value] string pairs",
        _ => "an array of strings",
    };
}
