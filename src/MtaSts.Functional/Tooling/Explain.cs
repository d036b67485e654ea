using System.Globalization;
using LanguageExt;
using MtaSts.Functional.Syntax;

namespace MtaSts.Functional.Tooling;

/// <summary>One field of an input, as the grammar read it: where, which ABNF rule, and what it means.</summary>
/// <param name="Line">1-based line.</param>
/// <param name="Column">1-based column.</param>
/// <param name="Rule">The ABNF rule that matched, e.g. <c>sts-policy-mx</c>.</param>
/// <param name="Text">The field's text as written.</param>
/// <param name="Meaning">What the library read, and what it does with it.</param>
public sealed record ExplainedField(int Line, int Column, string Rule, string Text, string Meaning);

/// <summary>An explained input: its fields, and the canonical text of the value they make.</summary>
/// <param name="Fields">Each field in input order, with its rule and meaning.</param>
/// <param name="Canonical">The canonical text (<see cref="StsRecord.Render"/>, <see cref="MtaSts.Functional.Policy.Render"/>).</param>
public sealed record Explanation(Seq<ExplainedField> Fields, string Canonical);

/// <summary>
/// For teaching: each field of a valid policy or record with the rule that matched it and its
/// meaning, including the fields the prose rules ignore (D-03 duplicates) and why.
/// </summary>
public static partial class Explain
{
    /// <summary>Explains a policy file.</summary>
    /// <param name="text">The policy text.</param>
    /// <param name="mode">Strict or lenient.</param>
    /// <returns>The fields in order and the canonical text, or the error when the policy is not valid (the input is read once).</returns>
    public static Either<MtaStsError, Explanation> Policy(string? text, ParseMode mode = ParseMode.Strict) =>
        PolicyReader.Read(text, mode).Bind(static r => r.Policy.Map(p => new Explanation(Fields(r), p.Value.Render())));

    /// <summary>Explains one TXT record.</summary>
    /// <param name="text">The record text.</param>
    /// <param name="mode">Strict or lenient.</param>
    /// <returns>The fields in order and the canonical text, or the error when the record is not valid (the input is read once).</returns>
    public static Either<MtaStsError, Explanation> Record(string? text, ParseMode mode = ParseMode.Strict) =>
        RecordReader.Read(text, mode).Map(static r => new Explanation(Fields(r), r.Parsed.Value.Render()));

    /// <summary>Each line with its rule and meaning; a line the prose rules ignore says why (its verdict, from <see cref="PolicySemantics"/>).</summary>
    private static Seq<ExplainedField> Fields(PolicyReading reading)
    {
        var (lines, verdicts, map, _) = reading;
        var result = new List<ExplainedField>(lines.Count);
        for (var i = 0; i < lines.Count; i++)
        {
            var at = map.OriginalOffset(lines[i].Offset);
            var (row, column) = map.Position(at);
            var text = map.LineText(at)[(column - 1)..].TrimEnd(' ', '\t');
            var (rule, meaning) = lines[i] switch
            {
                PolicyLine.VersionField => (RuleNames.PolicyVersion, "version STSv1, the only version (RFC 8461 §3.2)"),
                PolicyLine.ModeField m => (RuleNames.PolicyMode, Mode(m.Mode)),
                PolicyLine.MaxAgeField a => (RuleNames.PolicyMaxAge, MaxAge(a.Seconds)),
                PolicyLine.MxField x => (RuleNames.PolicyMx, Pattern(x.Pattern)),
                PolicyLine.ExtField e => (RuleNames.PolicyExtension, $"extension '{e.Extension.Name}' = '{e.Extension.Value}': kept, no effect on delivery (RFC 8461 §3.2: unknown fields are ignored [D-08])"),
                _ => throw new System.Diagnostics.UnreachableException(),
            };
            result.Add(new ExplainedField(row, column, rule, text, verdicts[i] is Verdict.Repeat r ? Ignored(lines[i], r, reading.PositionOf(r.First).Line) : meaning));
        }

        return result.ToSeq().Strict();
    }

    /// <summary>What a repeated policy line's verdict says: ignored, and why (D-03).</summary>
    private static string Ignored(PolicyLine line, Verdict.Repeat repeat, int firstLine) => (line, repeat.Why) switch
    {
        (PolicyLine.MxField, RepeatReason.SamePattern) => $"ignored: the same pattern as line {firstLine} (RFC 8461 §3.2, patterns compared lower-cased [D-03, F-04])",
        (PolicyLine.VersionField, _) => Repeated("version"),
        (PolicyLine.ModeField, _) => Repeated("mode"),
        (PolicyLine.MaxAgeField, _) => Repeated("max_age"),
        _ => throw new System.Diagnostics.UnreachableException(),
    };

    /// <summary>Each field with its rule and meaning; a repeated <c>v</c> or <c>id</c> says it is ignored (D-03).</summary>
    private static Seq<ExplainedField> Fields(RecordReading reading)
    {
        var (fields, verdicts, parsed, map, _) = reading;
        var result = new List<ExplainedField>(fields.Count);
        for (var i = 0; i < fields.Count; i++)
        {
            var field = fields[i];
            var end = i + 1 < fields.Count ? fields[i + 1].Offset : parsed.Length;
            var text = parsed[field.Offset..end].TrimEnd(' ', '\t', ';');
            var (row, column) = map.Position(map.OriginalOffset(field.Offset));
            var applied = verdicts[i] is Verdict.Applied;
            var (rule, meaning) = field switch
            {
                RecordField.Version => (RuleNames.Version, applied ? "v=STSv1: an MTA-STS record, version 1 (RFC 8461 §3.1)" : Repeated("v")),
                RecordField.Id id => (RuleNames.Id, applied ? $"id {id.Value}: the policy instance; a sender fetches the policy when it differs from the cached id (RFC 8461 §3.1: compared for equality only [C-03])" : Repeated("id")),
                RecordField.Ext e => (RuleNames.Extension, $"extension '{e.Extension.Name}' = '{e.Extension.Value}': kept, no effect (RFC 8461 §3.1: unknown fields are ignored [D-08])"),
                _ => throw new System.Diagnostics.UnreachableException(),
            };
            result.Add(new ExplainedField(row, column, rule, text, meaning));
        }

        return result.ToSeq().Strict();
    }

    /// <summary>D-03: the first of a repeated field counts; the others are ignored.</summary>
    private static string Repeated(string field) => $"ignored: '{field}' appeared before, and the first one counts (RFC 8461 §3.2 [D-03])";

    private static string Mode(PolicyMode mode) => mode switch
    {
        PolicyMode.Enforce => "mode enforce: deliver only to MX hosts that match a pattern, over STARTTLS with a valid certificate (§5)",
        PolicyMode.Testing => "mode testing: report failures (TLSRPT) but deliver anyway (§5)",
        PolicyMode.None => "mode none: no active policy; senders do not apply MTA-STS (§5, §8.3)",
        _ => throw new System.Diagnostics.UnreachableException(),
    };

    private static string MaxAge(long seconds)
    {
        var kept = Math.Min(seconds, MtaSts.Functional.MaxAge.MaximumSeconds);
        var human = TimeSpan.FromSeconds(kept).ToString(kept >= 86400 ? @"d\d\ hh\hmm\m" : @"hh\hmm\mss\s", CultureInfo.InvariantCulture);
        return seconds > MtaSts.Functional.MaxAge.MaximumSeconds
            ? $"max_age {seconds}: clamped to {kept} seconds ({human}), the maximum (RFC 8461 §3.2 [D-04])"
            : $"max_age {seconds} seconds ({human}): cache the policy this long after fetching it (§3.2)";
    }

    private static string Pattern(MxPattern pattern) => pattern switch
    {
        MxPattern.Exact e => $"mx {e.Host}: an MX host named exactly {e.Host} may receive mail (§4.1)",
        MxPattern.Wildcard w => $"mx *.{w.Parent}: an MX host one label below {w.Parent} (e.g. mail.{w.Parent}) may receive mail; not {w.Parent} itself, not two labels below (RFC 8461 §4.1 [M-02])",
        _ => throw new System.Diagnostics.UnreachableException(),
    };
}
