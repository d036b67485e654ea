using System.Globalization;
using LanguageExt;
using MtaSts.Functional.Syntax;

namespace MtaSts.Functional;

/// <summary>One field of an input, as the grammar read it: where, which ABNF rule, and what it means.</summary>
/// <param name="Line">1-based line.</param>
/// <param name="Column">1-based column.</param>
/// <param name="Rule">The ABNF rule that matched, e.g. <c>sts-policy-mx</c>.</param>
/// <param name="Text">The field's text as written.</param>
/// <param name="Meaning">What the library read, and what it does with it.</param>
public sealed record ExplainedField(int Line, int Column, string Rule, string Text, string Meaning);

/// <summary>
/// For teaching: each field of a valid policy or record with the rule that matched it and its
/// meaning, including the fields the prose rules ignore (D-03 duplicates) and why.
/// </summary>
public static class Explain
{
    /// <summary>Explains a policy file.</summary>
    /// <param name="text">The policy text.</param>
    /// <param name="mode">Strict or lenient.</param>
    /// <returns>The fields in order, or the error when the policy is not valid.</returns>
    public static Either<MtaStsError, Seq<ExplainedField>> Policy(string? text, ParseMode mode = ParseMode.Strict)
    {
        var input = text ?? string.Empty;
        return MtaSts.Functional.Policy.Parse(input, mode).Bind(_ =>
        {
            // Stryker disable once Conditional : equivalent: repairing strictly valid input changes nothing (L-03).
            var (parsed, map, _) = mode == ParseMode.Lenient ? PolicyLenient.Repair(input) : (input, new SourceMap(input), Seq<ParseWarning>.Empty);
            // Stryker disable once String : equivalent: the input parsed already, so the grammar cannot fail here.
            return Grammar.Run(PolicyGrammar.PolicyRecord, parsed, "sts-policy-record", map).Map(lines => Fields(lines, map));
        });
    }

    /// <summary>Explains one TXT record.</summary>
    /// <param name="text">The record text.</param>
    /// <param name="mode">Strict or lenient.</param>
    /// <returns>The fields in order, or the error when the record is not valid.</returns>
    public static Either<MtaStsError, Seq<ExplainedField>> Record(string? text, ParseMode mode = ParseMode.Strict)
    {
        var input = text ?? string.Empty;
        return StsRecord.Parse(input, mode).Bind(_ =>
        {
            // Stryker disable once Conditional : equivalent: repairing strictly valid input changes nothing (L-03).
            var (parsed, map, _) = mode == ParseMode.Lenient ? RecordLenient.Repair(input) : (input, new SourceMap(input), Seq<ParseWarning>.Empty);
            // Stryker disable once String : equivalent: the input parsed already, so the grammar cannot fail here.
            return Grammar.Run(RecordGrammar.TextRecord, parsed, "sts-text-record", map).Map(fields => Fields(fields, parsed, map));
        });
    }

    private static Seq<ExplainedField> Fields(Seq<PolicyLine> lines, SourceMap map)
    {
        var seen = new System.Collections.Generic.HashSet<string>(StringComparer.Ordinal);
        var patterns = new Dictionary<MxPattern, int>();
        var result = new List<ExplainedField>();
        foreach (var line in lines)
        {
            var at = map.OriginalOffset(line.Offset);
            var (row, column) = map.Position(at);
            var text = map.LineText(at)[(column - 1)..].TrimEnd(' ', '\t');
            var (rule, meaning) = line switch
            {
                PolicyLine.VersionField => ("sts-policy-version", First(seen, "version", "version STSv1, the only version (RFC 8461 §3.2)")),
                PolicyLine.ModeField m => ("sts-policy-mode", First(seen, "mode", Mode(m.Mode))),
                PolicyLine.MaxAgeField a => ("sts-policy-max-age", First(seen, "max_age", MaxAge(a.Seconds))),
                PolicyLine.MxField x => ("sts-policy-mx", patterns.TryGetValue(x.Pattern, out var first)
                    ? $"ignored: the same pattern as line {first} (D-03, F-04)"
                    : Pattern(x.Pattern, patterns, row)),
                PolicyLine.ExtField e => ("sts-policy-extension", $"extension '{e.Extension.Name}' = '{e.Extension.Value}': kept, no effect on delivery (D-08)"),
                _ => throw new System.Diagnostics.UnreachableException(),
            };
            result.Add(new ExplainedField(row, column, rule, text, meaning));
        }

        return result.ToSeq().Strict();
    }

    private static Seq<ExplainedField> Fields(Seq<RecordField> fields, string parsed, SourceMap map)
    {
        var seen = new System.Collections.Generic.HashSet<string>(StringComparer.Ordinal);
        var result = new List<ExplainedField>();
        for (var i = 0; i < fields.Count; i++)
        {
            var field = fields[i];
            var end = i + 1 < fields.Count ? fields[i + 1].Offset : parsed.Length;
            var text = parsed[field.Offset..end].TrimEnd(' ', '\t', ';');
            var (row, column) = map.Position(map.OriginalOffset(field.Offset));
            var (rule, meaning) = field switch
            {
                RecordField.Version => ("sts-version", First(seen, "v", "v=STSv1: an MTA-STS record, version 1 (RFC 8461 §3.1)")),
                RecordField.Id id => ("sts-id", First(seen, "id", $"id {id.Value}: the policy instance; a sender fetches the policy when it differs from the cached id (equality only, C-03)")),
                RecordField.Ext e => ("sts-extension", $"extension '{e.Extension.Name}' = '{e.Extension.Value}': kept, no effect (D-08)"),
                _ => throw new System.Diagnostics.UnreachableException(),
            };
            result.Add(new ExplainedField(row, column, rule, text, meaning));
        }

        return result.ToSeq().Strict();
    }

    /// <summary>D-03: the first of a repeated field counts; the others are ignored.</summary>
    private static string First(System.Collections.Generic.HashSet<string> seen, string field, string meaning) =>
        seen.Add(field) ? meaning : $"ignored: '{field}' appeared before, and the first one counts (D-03)";

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
            ? $"max_age {seconds}: clamped to {kept} seconds ({human}), the maximum (D-04)"
            : $"max_age {seconds} seconds ({human}): cache the policy this long after fetching it (§3.2)";
    }

    private static string Pattern(MxPattern pattern, Dictionary<MxPattern, int> patterns, int row)
    {
        patterns[pattern] = row;
        return pattern switch
        {
            MxPattern.Exact e => $"mx {e.Host}: an MX host named exactly {e.Host} may receive mail (§4.1)",
            MxPattern.Wildcard w => $"mx *.{w.Parent}: an MX host one label below {w.Parent} (e.g. mail.{w.Parent}) may receive mail; not {w.Parent} itself, not two labels below (§4.1, M-02)",
            _ => throw new System.Diagnostics.UnreachableException(),
        };
    }
}
