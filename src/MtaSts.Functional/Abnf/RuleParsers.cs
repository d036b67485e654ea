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

    /// <summary>ABNF <c>min*max(element)</c> over single characters, returning the matched text.</summary>
    public static Parser<char, string> Repeat(Parser<char, char> element, int min, int max)
    {
        var optionalTail = Parser<char>.Return(PUnit.Value);
        for (var i = 0; i < max - min; i++)
        {
            // Each optional element: a one-character token never consumes on failure, so no Try.
            optionalTail = element.Then(optionalTail).Or(Parser<char>.Return(PUnit.Value));
        }

        var required = Parser<char>.Return(PUnit.Value);
        for (var i = 0; i < min; i++)
        {
            required = required.Then(element).IgnoreResult();
        }

        return required.Then(optionalTail).Slice(static (span, _) => span.ToString());
    }

    /// <summary>The text a parser consumed (ABNF rules whose value is their own text).</summary>
    public static Parser<char, string> Text<T>(this Parser<char, T> parser) => parser.Slice(static (span, _) => span.ToString());

    /// <summary>
    /// D-02: a registered key commits to its own production. The key literal and its separator are
    /// only looked at (Try + Lookahead), so a longer name such as <c>versionx</c> still falls through
    /// to the extension rule, but once the key is seen a bad value is an error, never an extension.
    /// </summary>
    public static Parser<char, T> WhenKey<T>(string keyAndSeparator, Parser<char, T> production)
        => Try(Lookahead(String(keyAndSeparator))).Then(production);

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
            state.SetError(Maybe.Just(c), false, state.Location, $"{shown} cannot appear here: the value ends before it");
            return false;
        }
    }

    private sealed class RuleParser<T>(string name, Parser<char, T> inner) : Parser<char, T>
    {
        private readonly Expected<char> label = new(name);
        private readonly Expected<char> inProgress = new(InProgressPrefix + name);

        public override bool TryParse(ref ParseState<char> state, ref PooledList<Expected<char>> expecteds, [MaybeNullWhen(false)] out T result)
        {
            var start = state.Location;
            var child = new PooledList<Expected<char>>(state.Configuration.ArrayPoolProvider.GetArrayPool<Expected<char>>());
            var success = inner.TryParse(ref state, ref child, out result);
            if (!success)
            {
                if (state.Location == start)
                {
                    expecteds.Add(label);
                }
                else
                {
                    var span = child.AsSpan();
                    if (!HasInProgress(span))
                    {
                        expecteds.Add(inProgress);
                    }

                    expecteds.AddRange(span);
                }
            }

            child.Dispose();
            return success;
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
                state.SetError(Maybe.Nothing<char>(), false, start + v.Offset, v.Message);
                result = default;
                return false;
            }

            return true;
        }
    }
}

/// <summary>A check that failed: where (relative to the checked text) and why.</summary>
internal readonly record struct Violation(int Offset, string Message);
