using System.Text;
using LanguageExt;

namespace MtaSts.Functional.Syntax;

/// <summary>A policy file as read once: its lines, the prose rules' verdict on each, and the policy they make.</summary>
/// <param name="Lines">The lines as the grammar read them (offsets in the parsed text).</param>
/// <param name="Verdicts">For each line, what the prose rules made of it: applied, or a repeat of which line and why (D-03).</param>
/// <param name="Map">From the parsed text back to the caller's (lenient repairs, L-01).</param>
/// <param name="Policy">The policy and its warnings, or every violation of the prose rules (D-07).</param>
internal sealed record PolicyReading(IReadOnlyList<PolicyLine> Lines, Verdict[] Verdicts, SourceMap Map, Either<MtaStsError, Parsed<Policy>> Policy)
{
    /// <summary>The 1-based line and column, in the caller's text, where line <paramref name="index"/> starts.</summary>
    public (int Line, int Column) PositionOf(int index) => Map.Position(Map.OriginalOffset(Lines[index].Offset));
}

/// <summary>
/// A policy read by the linter (<see cref="PolicyReader.Survey"/>): the parser stops at the first syntax error,
/// so the line it is on is set aside and the rest read again, until what is left parses (policy lines are
/// independent in the §3.2 grammar).
/// </summary>
/// <param name="Lines">Each line of the input, in order (line = index + 1).</param>
/// <param name="Rest">The reading of the lines kept, or the error that ended the survey (one that is not a line's syntax error, or the syntax error past <see cref="PolicyReader.MaxSetAside"/>).</param>
/// <param name="LineOf">A 1-based line of the text last read (the kept lines) as a line of the input.</param>
internal sealed record PolicySurvey(IReadOnlyList<SurveyedLine> Lines, Either<MtaStsError, PolicyReading> Rest, Func<int, int> LineOf);

/// <summary>One line of a <see cref="PolicySurvey"/>.</summary>
/// <param name="Text">The line with its terminator.</param>
/// <param name="Verdict">Set aside (with its syntax error), applied, a repeat (its <see cref="Verdict.Repeat.First"/> an index of <see cref="PolicySurvey.Lines"/>), or null when the survey ended before the line was read.</param>
/// <param name="Column">The 1-based column where the grammar read the line's field, or 0 when it did not.</param>
internal sealed record SurveyedLine(string Text, Verdict? Verdict, int Column);

/// <summary>
/// Reads a policy file: the size limit (D-12), the lenient repair when asked (L-01), the grammar, then the
/// prose rules (<see cref="PolicySemantics"/>). <c>Policy.Parse</c>, <c>Explain</c> and <c>Lint</c> all read
/// through here, so they agree on every line.
/// </summary>
internal static class PolicyReader
{
    /// <summary>The policy and its warnings (<c>Policy.Parse</c>).</summary>
    public static Either<MtaStsError, Parsed<Policy>> Parse(string? text, ParseMode mode)
    {
        if (!TryLines(text, mode, out var lines, out var map, out var lenient, out var error))
        {
            return error;
        }

        var policy = PolicySemantics.Apply(lines, PolicySemantics.Verdicts(lines), map);
        return lenient.IsEmpty ? policy : policy.Map(p => WithLenient(p, lenient));
    }

    /// <summary>
    /// Every line with the prose rules' verdict on it, and the policy or its violations (<c>Explain</c>,
    /// <see cref="Survey"/>); an error only when the text is too large or not in the grammar.
    /// </summary>
    public static Either<MtaStsError, PolicyReading> Read(string? text, ParseMode mode)
    {
        if (!TryLines(text, mode, out var lines, out var map, out var lenient, out var error))
        {
            return error;
        }

        var verdicts = PolicySemantics.Verdicts(lines);
        return new PolicyReading(lines, verdicts, map, PolicySemantics.Apply(lines, verdicts, map).Map(policy => WithLenient(policy, lenient)));
    }

    /// <summary>At most this many lines are set aside by <see cref="Survey"/>.</summary>
    public const int MaxSetAside = 100;

    /// <summary>
    /// The linter's reading: each line that the grammar refuses is set aside (its verdict holds the error,
    /// positioned in <paramref name="text"/>) and the other lines are read again, until they parse; every
    /// line then has its verdict (<see cref="PolicySurvey"/>).
    /// </summary>
    public static PolicySurvey Survey(string? text, ParseMode mode)
    {
        var input = text ?? string.Empty;
        var lines = Lines.Texts(input);
        var kept = Enumerable.Range(0, lines.Count).ToList();
        var surveyed = lines.ConvertAll(static line => new SurveyedLine(line, null, 0));

        // A line of the kept lines' text as a line of the input (past the last kept line: counted from the input's end).
        int LineOf(int line) => line <= kept.Count ? kept[line - 1] + 1 : lines.Count + line - kept.Count;
        while (true)
        {
            var rest = Read(string.Concat(kept.Select(i => lines[i])), mode);
            if (rest.IsLeft && (MtaStsError)rest is MtaStsError.Syntax syntax && lines.Count - kept.Count < MaxSetAside && syntax.Line <= kept.Count)
            {
                var index = kept[syntax.Line - 1];
                surveyed[index] = surveyed[index] with { Verdict = new Verdict.SetAside(syntax with { Line = index + 1 }) };
                kept.RemoveAt(syntax.Line - 1);
                continue;
            }

            if (rest.IsRight)
            {
                var reading = (PolicyReading)rest;
                var indexOf = new int[reading.Lines.Count];
                for (var i = 0; i < indexOf.Length; i++)
                {
                    var (line, column) = reading.PositionOf(i);
                    indexOf[i] = LineOf(line) - 1;
                    var verdict = reading.Verdicts[i] is Verdict.Repeat r ? r with { First = indexOf[r.First] } : reading.Verdicts[i];
                    surveyed[indexOf[i]] = surveyed[indexOf[i]] with { Verdict = verdict, Column = column };
                }
            }

            return new PolicySurvey(surveyed, rest, LineOf); // kept changes no more
        }
    }

    /// <summary>The size limit, the repair and the grammar: the lines, or the error.</summary>
    private static bool TryLines(
        string? text,
        ParseMode mode,
        [System.Diagnostics.CodeAnalysis.MaybeNullWhen(false)] out IReadOnlyList<PolicyLine> lines,
        out SourceMap map,
        out Seq<ParseWarning> lenient,
        [System.Diagnostics.CodeAnalysis.MaybeNullWhen(true)] out MtaStsError error)
    {
        var input = text ?? string.Empty;
        lenient = Seq<ParseWarning>.Empty;

        // D-12: refuse oversized input before any parsing (bounded work on hostile input).
        // Counting is linear and vectorised; parsing is not, so the count comes first.
        var bytes = Encoding.UTF8.GetByteCount(input);
        if (bytes > Policy.MaxBytes)
        {
            (lines, map, error) = (null, new SourceMap(input), new MtaStsError.TooLarge(bytes, Policy.MaxBytes));
            return false;
        }

        (var parsed, map, lenient) = mode == ParseMode.Lenient ? PolicyLenient.Repair(input) : (input, new SourceMap(input), Seq<ParseWarning>.Empty);
        return Grammar.TryRun(PolicyGrammar.PolicyRecord, parsed, RuleNames.PolicyRecord, map, out lines, out error);
    }

    /// <summary>The lenient repairs' warnings and the semantic ones, in input order.</summary>
    private static Parsed<Policy> WithLenient(Parsed<Policy> policy, Seq<ParseWarning> lenient) =>
        lenient.IsEmpty ? policy : policy with { Warnings = (lenient + policy.Warnings).OrderBy(static w => (w.Line, w.Column)).ToSeq() };
}
