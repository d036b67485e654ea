using System.Text;
using LanguageExt;

namespace MtaSts.Functional.Syntax;

/// <summary>A policy file as read once: its lines, the prose rules' verdict on each, and the policy.</summary>
/// <param name="Lines">The lines as the grammar read them (offsets in the parsed text).</param>
/// <param name="Duplicates">For each line, -1 when applied, else the index of the line it repeats (D-03).</param>
/// <param name="Map">From the parsed text back to the caller's (lenient repairs, L-01).</param>
/// <param name="Parsed">The policy and its warnings.</param>
internal sealed record PolicyReading(IReadOnlyList<PolicyLine> Lines, int[] Duplicates, SourceMap Map, Parsed<Policy> Parsed);

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

        var policy = PolicySemantics.Apply(lines, PolicySemantics.Duplicates(lines), map);
        return lenient.IsEmpty ? policy : policy.Map(p => WithLenient(p, lenient));
    }

    /// <summary>The policy with every line and the prose rules' verdict on it (<c>Explain</c>, <c>Lint</c>).</summary>
    public static Either<MtaStsError, PolicyReading> Read(string? text, ParseMode mode)
    {
        if (!TryLines(text, mode, out var lines, out var map, out var lenient, out var error))
        {
            return error;
        }

        var duplicates = PolicySemantics.Duplicates(lines);
        return PolicySemantics.Apply(lines, duplicates, map).Map(policy => new PolicyReading(lines, duplicates, map, WithLenient(policy, lenient)));
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
