using System.Diagnostics.CodeAnalysis;
using Pidgin;
using static Pidgin.Parser;
using PUnit = Pidgin.Unit;

namespace MtaSts.Functional.Syntax;

/// <summary>
/// The few combinators the grammars need beyond Pidgin's own: rule labels that name the
/// <em>innermost</em> failing ABNF rule, positioned checks, and ABNF <c>m*n</c> repetition.
/// </summary>
internal static class RuleParsers
{
    /// <summary>
    /// Names a parser after its ABNF rule. Pidgin's own <c>Labelled</c> replaces every inner
    /// expectation, so the outermost rule would always be blamed. This follows Parsec's <c>&lt;?&gt;</c>
    /// instead: when the rule fails without consuming input, its name is what was expected there;
    /// when it fails after consuming input, the inner expectations stay, and the innermost rule that
    /// had consumed input is recorded as the rule in progress (<see cref="InProgressPrefix"/>), which is
    /// what <see cref="MtaStsError.Syntax.Rule"/> reports.
    /// </summary>
    public static Parser<char, T> Rule<T>(this Parser<char, T> parser, string abnfName) => new RuleParser<T>(abnfName, parser);

    /// <summary>
    /// Fails (at the start of the checked text plus the violation's offset) when
    /// <paramref name="violation"/> returns a problem for the parsed value. Used for the length and
    /// shape limits that DECISIONS.md adds to an ABNF rule (D-06); the error carries the message.
    /// </summary>
    public static Parser<char, T> Check<T>(this Parser<char, T> parser, Func<T, Violation?> violation) => new CheckParser<T>(parser, violation);

    /// <summary>
    /// ABNF <c>min*max(class)</c> over a character class, returning the matched text. Fails without
    /// consuming (expecting <paramref name="label"/>) when fewer than <paramref name="min"/> characters are
    /// in the class; stops quietly at <paramref name="max"/> or at the first character outside it.
    /// </summary>
    public static Parser<char, string> Repeat(Func<char, bool> isInClass, string label, int min, int max) => new RepeatParser(isInClass, new Expected<char>(label), min, max);

    /// <summary>As <see cref="Repeat"/>, when only the extent matters (the enclosing rule takes the text).</summary>
    public static Parser<char, PUnit> SkipRepeat(Func<char, bool> isInClass, string label, int min, int max) => new SkipRepeatParser(isInClass, new Expected<char>(label), min, max);

    /// <summary>
    /// <c>*(class)</c> for a character class: skips every following character that satisfies
    /// <paramref name="isInClass"/>. It never fails, so, unlike Pidgin's <c>SkipMany</c> over a token,
    /// it records no failed attempt at the end of the run (the cost that dominates a PEG's inner loops).
    /// </summary>
    public static Parser<char, PUnit> SkipWhile(Func<char, bool> isInClass) => new SkipWhileParser(isInClass, 0);

    /// <summary><c>1*(class)</c> for a character class; fails without consuming when the first character is outside it.</summary>
    public static Parser<char, PUnit> SkipWhile1(Func<char, bool> isInClass) => new SkipWhileParser(isInClass, 1);

    private sealed class SkipWhileParser(Func<char, bool> isInClass, int min) : Parser<char, PUnit>
    {
        public override bool TryParse(ref ParseState<char> state, ref PooledList<Expected<char>> expecteds, out PUnit result)
        {
            result = PUnit.Value;
            var count = 0;
            while (state.HasCurrent && isInClass(state.Current))
            {
                state.Advance();
                count++;
            }

            if (count < min)
            {
                Fail(ref state, state.Location);
                return false;
            }

            return true;
        }
    }

    /// <summary>
    /// A choice between case-sensitive literals (<c>%s"a" / %s"b"</c>) whose first characters differ,
    /// with the same outcome as Pidgin's <c>OneOf(String(a), String(b))</c>: a full match succeeds; a
    /// partial match consumes the common prefix and fails there, expecting that literal; no match fails
    /// without consuming. Looked up in one pass instead of failing literal by literal.
    /// </summary>
    public static Parser<char, T> Literals<T>(params (string Literal, T Value)[] choices) => new LiteralsParser<T>(choices);

    /// <summary>An optional case-sensitive literal (<c>[%s"…"]</c>): true when present; a partial match fails after the common prefix.</summary>
    public static Parser<char, bool> OptionalLiteral(string literal) => new OptionalLiteralParser(literal);

    private sealed class OptionalLiteralParser(string literal) : Parser<char, bool>
    {
        private readonly Parser<char, bool> whole = new LiteralsParser<bool>([(literal, true)]);

        public override bool TryParse(ref ParseState<char> state, ref PooledList<Expected<char>> expecteds, out bool result)
        {
            if (!state.HasCurrent || state.Current != literal[0])
            {
                result = false; // absent: nothing consumed, nothing to report
                return true;
            }

            return whole.TryParse(ref state, ref expecteds, out result);
        }
    }

    private sealed class LiteralsParser<T>((string Literal, T Value)[] choices) : Parser<char, T>
    {
        private readonly int longest = choices.Max(static c => c.Literal.Length);
        private readonly Expected<char>[] expected = [.. choices.Select(static c => new Expected<char>([.. c.Literal]))];

        public override bool TryParse(ref ParseState<char> state, ref PooledList<Expected<char>> expecteds, [MaybeNullWhen(false)] out T result)
        {
            var next = state.LookAhead(longest);
            for (var i = 0; i < choices.Length; i++)
            {
                var literal = choices[i].Literal;
                var common = next.CommonPrefixLength(literal);
                if (common == literal.Length)
                {
                    state.Advance(literal.Length);
                    result = choices[i].Value;
                    return true;
                }

                if (common > 0)
                {
                    state.Advance(common);
                    Fail(ref state, state.Location);
                    expecteds.Add(expected[i]);
                    result = default;
                    return false;
                }
            }

            Fail(ref state, state.Location);

            // Stryker disable once Statement : equivalent: every literal choice is inside a Rule, whose label replaces these when nothing was read.
            expecteds.AddRange(expected);
            result = default;
            return false;
        }
    }

    /// <summary><c>LF / CRLF</c> (RFC 5234 App. B.1) without a failed branch for CRLF line ends.</summary>
    public static readonly Parser<char, PUnit> LineEnd = new LineEndParser();

    private sealed class LineEndParser : Parser<char, PUnit>
    {
        private static readonly Expected<char> Lf = new("LF");
        private static readonly Expected<char> Crlf = new("CRLF");
        private static readonly Expected<char> CrlfInProgress = new(InProgressPrefix + "CRLF");

        public override bool TryParse(ref ParseState<char> state, ref PooledList<Expected<char>> expecteds, out PUnit result)
        {
            result = PUnit.Value;
            var next = state.LookAhead(2);
            if (next.Length > 0 && next[0] == '\n')
            {
                state.Advance();
                return true;
            }

            if (next.Length > 0 && next[0] == '\r')
            {
                state.Advance();
                if (next.Length > 1 && next[1] == '\n')
                {
                    state.Advance();
                    return true;
                }

                Fail(ref state, state.Location);
                expecteds.Add(CrlfInProgress);
                expecteds.Add(Lf);
                return false;
            }

            // Stryker disable all : equivalent: LineEnd is only used inside sts-policy-term, whose label replaces these when nothing was read.
            Fail(ref state, state.Location);
            expecteds.Add(Lf);
            expecteds.Add(Crlf);

            // Stryker restore all
            return false;
        }
    }

    /// <summary>The text a parser consumed (ABNF rules whose value is their own text).</summary>
    public static Parser<char, string> Text<T>(this Parser<char, T> parser) => parser.Slice(static (span, _) => span.ToString());

    /// <summary>
    /// D-02: a registered key commits to its own production. The next characters are only looked at:
    /// when they are one of the keys with its separator (<c>mode:</c>, <c>id=</c>) that key's production
    /// runs, and a bad value is then an error, never an extension; otherwise (a longer name such as
    /// <c>versionx</c>, or another case such as <c>Mode</c>) <paramref name="otherwise"/> runs.
    /// </summary>
    public static Parser<char, T> DispatchOnKey<T>(Parser<char, T> otherwise, params (string KeyAndSeparator, Parser<char, T> Production)[] keys) =>
        new KeyDispatchParser<T>(keys, otherwise);

    private sealed class KeyDispatchParser<T>((string Key, Parser<char, T> Production)[] keys, Parser<char, T> otherwise) : Parser<char, T>
    {
        private readonly int longest = keys.Max(static k => k.Key.Length);

        public override bool TryParse(ref ParseState<char> state, ref PooledList<Expected<char>> expecteds, [MaybeNullWhen(false)] out T result)
        {
            var next = state.LookAhead(longest);
            foreach (var (key, production) in keys)
            {
                if (next.StartsWith(key, StringComparison.Ordinal))
                {
                    return production.TryParse(ref state, ref expecteds, out result);
                }
            }

            return otherwise.TryParse(ref state, ref expecteds, out result);
        }
    }

    /// <summary>Marks the expectation that names the rule in progress (never shown as an expectation).</summary>
    public const string InProgressPrefix = "\u0000in-progress:";

    /// <summary>
    /// Succeeds without consuming when the next character ends a value (or the input ends); otherwise
    /// fails with a message naming the character, so the enclosing value rule is blamed for it.
    /// </summary>
    public static Parser<char, PUnit> ValueEndsBefore(Func<char, bool> isFollower) => new ValueEndParser(isFollower);

    private sealed class ValueEndParser(Func<char, bool> isFollower) : Parser<char, PUnit>
    {
        public override bool TryParse(ref ParseState<char> state, ref PooledList<Expected<char>> expecteds, out PUnit result)
        {
            result = PUnit.Value;
            if (!state.HasCurrent || isFollower(state.Current))
            {
                return true;
            }

            var c = state.Current;
            var shown = char.IsControl(c) || char.IsSurrogate(c) ? $"U+{(int)c:X4}" : $"'{c}'";
            Fail(ref state, state.Location, $"{shown} cannot appear here: the value ends before it");
            return false;
        }
    }

    private sealed class RuleParser<T>(string name, Parser<char, T> inner) : Parser<char, T>
    {
        private readonly Expected<char> label = new(name);
        private readonly Expected<char> inProgress = new(InProgressPrefix + name);

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
                if (e.Label?.StartsWith(InProgressPrefix, StringComparison.Ordinal) == true)
                {
                    return true;
                }
            }

            return false;
        }
    }

    private sealed class RepeatParser(Func<char, bool> isInClass, Expected<char> label, int min, int max) : Parser<char, string>
    {
        public override bool TryParse(ref ParseState<char> state, ref PooledList<Expected<char>> expecteds, [MaybeNullWhen(false)] out string result)
        {
            var next = state.LookAhead(max);
            var count = Scan(ref state, ref expecteds, next, isInClass, label, min);
            result = count < 0 ? null : new string(next[..count]);
            return count >= 0;
        }
    }

    private sealed class SkipRepeatParser(Func<char, bool> isInClass, Expected<char> label, int min, int max) : Parser<char, PUnit>
    {
        public override bool TryParse(ref ParseState<char> state, ref PooledList<Expected<char>> expecteds, out PUnit result)
        {
            result = PUnit.Value;
            return Scan(ref state, ref expecteds, state.LookAhead(max), isInClass, label, min) >= 0;
        }
    }

    /// <summary>Consumes the longest prefix of <paramref name="next"/> in the class; -1 (after reporting) when shorter than <paramref name="min"/>.</summary>
    private static int Scan(ref ParseState<char> state, ref PooledList<Expected<char>> expecteds, ReadOnlySpan<char> next, Func<char, bool> isInClass, Expected<char> label, int min)
    {
        var count = 0;
        while (count < next.Length && isInClass(next[count]))
        {
            count++;
        }

        state.Advance(count);
        if (count >= min)
        {
            return count;
        }

        Fail(ref state, state.Location);
        expecteds.Add(label);
        return -1;
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

    /// <summary>
    /// Records a failure at <paramref name="location"/>. What was found there is not recorded:
    /// <c>SourceMap</c> reads it from the text, so every error shows it the same way.
    /// </summary>
    private static void Fail(ref ParseState<char> state, long location, string? message = null) =>
        state.SetError(Maybe.Nothing<char>(), false, location, message);
}

/// <summary>A check that failed: where (relative to the checked text) and why.</summary>
internal readonly record struct Violation(int Offset, string Message);
