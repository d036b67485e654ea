using System.Diagnostics.CodeAnalysis;
using Pidgin;
using PUnit = Pidgin.Unit;

namespace MtaSts.Functional.Syntax;

/// <summary>
/// Rule labelling: which ABNF rule an error is blamed on. A rule's name is what was expected where the
/// rule failed without reading anything; where it failed after reading, the innermost rule that had
/// read something is the rule in progress, which <see cref="MtaStsError.Syntax.Rule"/> reports. This
/// type owns how the rule in progress travels in Pidgin's expectation list (<see cref="InProgress"/>,
/// <see cref="TryReadInProgress"/>); <see cref="SourceMap"/> reads it back through it.
/// </summary>
internal static class Blame
{
    /// <summary>Marks the expectation that names the rule in progress; never shown as an expectation.</summary>
    private const string InProgressPrefix = "\u0000in-progress:";

    /// <summary>
    /// Names a parser after its ABNF rule, with Parsec's <c>&lt;?&gt;</c> semantics rather than Pidgin's
    /// <c>Labelled</c> (which replaces every inner expectation, so the outermost rule would always be
    /// blamed): when the rule fails without consuming input, its name is what was expected there; when
    /// it fails after consuming input, the inner expectations stay, and the innermost rule that had
    /// consumed input is recorded as the rule in progress.
    /// </summary>
    public static Parser<char, T> Rule<T>(this Parser<char, T> parser, string abnfName) => new RuleParser<T>(abnfName, parser);

    /// <summary>The expectation that records <paramref name="rule"/> as the rule in progress.</summary>
    public static Expected<char> InProgress(string rule) => new(InProgressPrefix + rule);

    /// <summary>Whether <paramref name="expected"/> is a rule-in-progress mark, and which rule it names.</summary>
    public static bool TryReadInProgress(Expected<char> expected, [NotNullWhen(true)] out string? rule)
    {
        rule = expected.Label is { } label && label.StartsWith(InProgressPrefix, StringComparison.Ordinal) ? label[InProgressPrefix.Length..] : null;
        return rule is not null;
    }

    /// <summary>
    /// Fails (at the start of the checked text plus the violation's offset) when
    /// <paramref name="violation"/> returns a problem for the parsed value. Used for the length and
    /// shape limits that DECISIONS.md adds to an ABNF rule (D-06); the error carries the message.
    /// </summary>
    public static Parser<char, T> Check<T>(this Parser<char, T> parser, Func<T, Violation?> violation) => new CheckParser<T>(parser, violation);

    /// <summary>
    /// Succeeds without consuming when the next character ends a value (it is in
    /// <paramref name="followers"/>, or the input ends); otherwise fails with a message naming the
    /// character, so the enclosing value rule is blamed for it, not the delimiter after it.
    /// </summary>
    public static Parser<char, PUnit> ValueEndsBefore(CharClass followers) => new ValueEndParser(followers);

    /// <summary>
    /// Records a failure at <paramref name="location"/>. What was found there is not recorded:
    /// <c>SourceMap</c> reads it from the text, so every error shows it the same way.
    /// </summary>
    public static void Fail(ref ParseState<char> state, long location, string? message = null) =>
        state.SetError(Maybe.Nothing<char>(), false, location, message);

    /// <summary>A labelled rule (<see cref="Rule{T}"/>).</summary>
    internal sealed class RuleParser<T>(string name, Parser<char, T> inner) : Parser<char, T>
    {
        /// <summary>The parser the rule labels.</summary>
        public Parser<char, T> Inner => inner;

        private readonly Expected<char> label = new(name);
        private readonly Expected<char> inProgress = InProgress(name);

        public override bool TryParse(ref ParseState<char> state, ref PooledList<Expected<char>> expecteds, [MaybeNullWhen(false)] out T result)
        {
            // The inner parser reports into the caller's list; on failure this rule rewrites its own part
            // of it (no list of its own, so a successful parse costs one virtual call more than the inner one).
            var start = state.Location;
            var mark = expecteds.Count;
            if (inner.TryParse(ref state, ref expecteds, out result))
            {
                return true;
            }

            if (state.Location == start)
            {
                while (expecteds.Count > mark)
                {
                    expecteds.Pop();
                }

                expecteds.Add(label);
            }
            else if (!HasInProgress(expecteds.AsSpan()[mark..]))
            {
                expecteds.Insert(mark, inProgress);
            }

            return false;
        }

        private static bool HasInProgress(ReadOnlySpan<Expected<char>> span)
        {
            foreach (var e in span)
            {
                if (TryReadInProgress(e, out _))
                {
                    return true;
                }
            }

            return false;
        }
    }

    private sealed class ValueEndParser(CharClass followers) : Parser<char, PUnit>
    {
        public override bool TryParse(ref ParseState<char> state, ref PooledList<Expected<char>> expecteds, out PUnit result)
        {
            result = PUnit.Value;
            if (!state.HasCurrent || followers.Contains(state.Current))
            {
                return true;
            }

            var c = state.Current;
            var shown = char.IsControl(c) || char.IsSurrogate(c) ? $"U+{(int)c:X4}" : $"'{c}'";
            Fail(ref state, state.Location, $"{shown} cannot appear here: the value ends before it");
            return false;
        }
    }

    private sealed class CheckParser<T>(Parser<char, T> inner, Func<T, Violation?> violation) : Parser<char, T>
    {
        public override bool TryParse(ref ParseState<char> state, ref PooledList<Expected<char>> expecteds, [MaybeNullWhen(false)] out T result)
        {
            var start = state.Location;
            if (!inner.TryParse(ref state, ref expecteds, out result))
            {
                return false;
            }

            if (violation(result) is { } v)
            {
                Fail(ref state, start + v.Offset, v.Message);
                result = default;
                return false;
            }

            return true;
        }
    }
}

/// <summary>A check that failed: where (relative to the checked text) and why.</summary>
internal readonly record struct Violation(int Offset, string Message);
