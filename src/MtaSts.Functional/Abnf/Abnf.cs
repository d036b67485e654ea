using System.Diagnostics.CodeAnalysis;
using LanguageExt;
using Pidgin;
using PUnit = Pidgin.Unit;

namespace MtaSts.Functional.Syntax;

/// <summary>
/// The scanners: ABNF's shapes as combinators whose arguments read in ABNF order, one per shape.
/// <c>m*n element</c> is <see cref="Repeat"/> (<see cref="Star"/>, <see cref="Plus"/>); <c>%s"…"</c> and
/// <c>"…"</c> are <see cref="Sensitive"/> and <see cref="Insensitive"/>; <c>[ "…" ]</c> is
/// <see cref="Optional"/>; an alternation of literals is <see cref="Choice{T}"/> and of single
/// characters a <see cref="CharClass"/>; <c>first *(delimiter element) [delimiter]</c> is
/// <see cref="SeparatedList{T}"/>; a value with its offset is <see cref="Located{T, TResult}"/>. Sequence
/// and general alternation are Pidgin's own <c>Then</c>/<c>Map</c> and <c>OneOf</c>.
/// </summary>
/// <remarks>
/// Each scanner looks at the input (<c>LookAhead</c>, span searches) instead of trying a parser and
/// failing: in Pidgin a failed attempt records an error and an expectation list, 50–130 ns each, which
/// is what made the first grammars slow (benchmarks/README.md). They fail only where the grammar fails,
/// and then as Pidgin's own combinators would, so error positions and expectations are the same.
/// </remarks>
internal static class Abnf
{
    /// <summary>Unbounded, for <c>*</c> and <c>1*</c>.</summary>
    private const int Unbounded = int.MaxValue;

    /// <summary>
    /// <c>min*max(element)</c> over a character class: consumes the longest run of at most
    /// <paramref name="max"/> characters of the class. Fewer than <paramref name="min"/> fails where the run
    /// stopped, expecting the class.
    /// </summary>
    public static Run Repeat(int min, int max, CharClass element) => new(min, max, element);

    /// <summary><c>*element</c> over a character class; never fails.</summary>
    public static Run Star(CharClass element) => new(0, Unbounded, element);

    /// <summary><c>1*element</c> over a character class.</summary>
    public static Run Plus(CharClass element) => new(1, Unbounded, element);

    /// <summary>
    /// <c>*element</c> for an element that is not a single character (<c>"." sub-domain</c>, a surrogate
    /// pair). An element is only tried when the next character is in <paramref name="starts"/> (its first
    /// set), so the repetition ends without a failed attempt; an element that fails after it started fails
    /// the repetition, as in Pidgin's <c>SkipMany</c>.
    /// </summary>
    public static Parser<char, PUnit> Star<T>(Parser<char, T> element, CharClass starts) => new StarParser<T>(element, starts);

    /// <summary><c>%s"text"</c>: a case-sensitive literal (RFC 7405 §2.1).</summary>
    public static Literal Sensitive(string text) => new(text, StringComparison.Ordinal);

    /// <summary><c>"text"</c>: a case-insensitive literal (RFC 5234 §2.3; ASCII case).</summary>
    public static Literal Insensitive(string text) => new(text, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// <c>literal / literal / …</c> whose first characters differ, each with its value: read in one look,
    /// with the outcome of Pidgin's <c>OneOf</c> over the literals (a partial match consumes the common prefix
    /// and fails there, expecting that literal; no match fails without consuming, expecting them all).
    /// </summary>
    public static Parser<char, T> Choice<T>(params (Literal Literal, T Value)[] choices) => new ChoiceParser<T>(choices);

    /// <summary><c>[ literal ]</c>: true when present; a partial match fails after the common prefix.</summary>
    public static Parser<char, bool> Optional(Literal literal) => Optional(literal, literal.First);

    /// <summary>
    /// <c>[ element ]</c>: true when present. The element is only tried when the next character is in
    /// <paramref name="starts"/> (its first set); once tried, its failure is the option's.
    /// </summary>
    public static Parser<char, bool> Optional<T>(Parser<char, T> element, CharClass starts) => new OptionalParser<T>(element, starts);

    /// <summary>A value together with the offset where it starts: <paramref name="make"/>(offset, value).</summary>
    public static Parser<char, TResult> Located<T, TResult>(Parser<char, T> parser, Func<int, T, TResult> make) => new LocatedParser<T, TResult>(parser, make);

    /// <summary>
    /// <c>first *(delimiter element) [delimiter]</c>, the shape of both RFC 8461 records, with at least
    /// <paramref name="minElements"/> elements after the first. After a delimiter another element is required
    /// unless the input ends (the same language, without backtracking). A delimiter is only tried when the
    /// next character is in <paramref name="delimiterStarts"/> (its first set), so the list ends without a
    /// failed attempt. What follows an element must be a delimiter or the end of the input, and anything else
    /// fails expecting one of them.
    /// </summary>
    public static Parser<char, IReadOnlyList<T>> SeparatedList<T>(Parser<char, T> first, Parser<char, PUnit> delimiter, CharClass delimiterStarts, Parser<char, T> element, int minElements) =>
        new SeparatedListParser<T>(first, delimiter, delimiterStarts, element, minElements);

    /// <summary>
    /// D-02: a registered key commits to its own production. The next characters are only looked at: when
    /// they are a registered field's name followed by <paramref name="separator"/> (<c>mode:</c>, <c>id=</c>),
    /// that field's production runs, and a bad value is then an error, never an extension; otherwise (a
    /// longer name such as <c>versionx</c>, another case such as <c>Mode</c>) <paramref name="otherwise"/> runs.
    /// A field's name is its literal up to the separator (<c>%s"mode"</c> → <c>mode</c>, <c>%s"v=STSv1"</c> → <c>v</c>).
    /// </summary>
    public static KeyDispatch<T> DispatchOnKey<T>(char separator, Parser<char, T> otherwise, params (Parser<char, string> Field, Parser<char, T> Production)[] registered) =>
        new(separator, otherwise, registered);

    /// <summary>
    /// A reference to a rule defined further down (the grammars read top-down, in the RFC's order): resolved
    /// when first used, once every rule of the class exists.
    /// </summary>
    public static Parser<char, T> Ref<T>(Func<Parser<char, T>?> rule) => new RefParser<T>(rule);

    /// <summary>The text a parser consumed (ABNF rules whose value is their own text).</summary>
    public static Parser<char, string> Text<T>(this Parser<char, T> parser) => parser.Slice(static (span, _) => span.ToString());

    /// <summary>A case-sensitive or case-insensitive literal; <see cref="Text"/> is what it reads.</summary>
    internal sealed class Literal(string text, StringComparison comparison) : Parser<char, string>
    {
        private readonly Expected<char> expected = new([.. text]);

        /// <summary>The literal's text.</summary>
        public string Text { get; } = text;

        /// <summary>The characters it can start with.</summary>
        public CharClass First { get; } = comparison == StringComparison.Ordinal
            ? CharClass.Of(text[0])
            : CharClass.Of(char.ToLowerInvariant(text[0])) | CharClass.Of(char.ToUpperInvariant(text[0]));

        /// <summary>The expectation when it is absent: its own characters.</summary>
        public Expected<char> Expected => expected;

        /// <summary>The literal behind a (labelled) literal rule.</summary>
        public static Literal Of(Parser<char, string> rule) => rule switch
        {
            Literal literal => literal,
            Blame.RuleParser<string> { Inner: Literal literal } => literal,
            _ => throw new System.Diagnostics.UnreachableException("a registered field is a literal rule"),
        };

        /// <summary>How many characters of <paramref name="next"/> match (all of <see cref="Text"/> on a match).</summary>
        public int Match(ReadOnlySpan<char> next)
        {
            if (comparison == StringComparison.Ordinal)
            {
                return next.CommonPrefixLength(Text);
            }

            var n = Math.Min(next.Length, Text.Length);
            var i = 0;
            while (i < n && char.ToLowerInvariant(next[i]) == char.ToLowerInvariant(Text[i]))
            {
                i++;
            }

            return i;
        }

        public override bool TryParse(ref ParseState<char> state, ref PooledList<Expected<char>> expecteds, [MaybeNullWhen(false)] out string result)
        {
            var common = Match(state.LookAhead(Text.Length));
            if (common == Text.Length)
            {
                state.Advance(common);
                result = Text;
                return true;
            }

            state.Advance(common);
            Blame.Fail(ref state, state.Location);
            expecteds.Add(expected);
            result = null;
            return false;
        }
    }

    /// <summary><c>min*max</c> of a character class, skipped; <see cref="Text"/> gives the run as a string instead.</summary>
    internal sealed class Run(int min, int max, CharClass element) : Parser<char, PUnit>
    {
        /// <summary>The run's text.</summary>
        public Parser<char, string> Text() => new RunText(this);

        public override bool TryParse(ref ParseState<char> state, ref PooledList<Expected<char>> expecteds, out PUnit result)
        {
            result = PUnit.Value;
            return Scan(ref state, ref expecteds, out _) >= 0;
        }

        /// <summary>Consumes the run; its length, or -1 (after reporting) when shorter than the minimum.</summary>
        public int Scan(ref ParseState<char> state, ref PooledList<Expected<char>> expecteds, out ReadOnlySpan<char> next)
        {
            next = state.LookAhead(max);
            var count = element.Run(next);
            state.Advance(count);
            if (count >= min)
            {
                return count;
            }

            Blame.Fail(ref state, state.Location);
            expecteds.Add(new Expected<char>(element.Abnf));
            return -1;
        }

        private sealed class RunText(Run run) : Parser<char, string>
        {
            public override bool TryParse(ref ParseState<char> state, ref PooledList<Expected<char>> expecteds, [MaybeNullWhen(false)] out string result)
            {
                var count = run.Scan(ref state, ref expecteds, out var next);
                result = count < 0 ? null : new string(next[..count]);
                return count >= 0;
            }
        }
    }

    private sealed class ChoiceParser<T>((Literal Literal, T Value)[] choices) : Parser<char, T>
    {
        private readonly int longest = choices.Max(static c => c.Literal.Text.Length);

        public override bool TryParse(ref ParseState<char> state, ref PooledList<Expected<char>> expecteds, [MaybeNullWhen(false)] out T result)
        {
            var next = state.LookAhead(longest);
            foreach (var (literal, value) in choices)
            {
                var common = literal.Match(next);
                if (common == literal.Text.Length || common > 0)
                {
                    return Finish(ref state, ref expecteds, literal, value, common, out result);
                }
            }

            Blame.Fail(ref state, state.Location);
            foreach (var choice in choices)
            {
                expecteds.Add(choice.Literal.Expected);
            }

            result = default;
            return false;
        }

        private static bool Finish(ref ParseState<char> state, ref PooledList<Expected<char>> expecteds, Literal literal, T value, int common, [MaybeNullWhen(false)] out T result)
        {
            state.Advance(common);
            if (common == literal.Text.Length)
            {
                result = value;
                return true;
            }

            Blame.Fail(ref state, state.Location);
            expecteds.Add(literal.Expected);
            result = default;
            return false;
        }
    }

    private sealed class OptionalParser<T>(Parser<char, T> element, CharClass starts) : Parser<char, bool>
    {
        public override bool TryParse(ref ParseState<char> state, ref PooledList<Expected<char>> expecteds, out bool result)
        {
            if (!state.HasCurrent || !starts.Contains(state.Current))
            {
                result = false; // absent: nothing consumed, nothing to report
                return true;
            }

            result = element.TryParse(ref state, ref expecteds, out _);
            return result;
        }
    }

    private sealed class StarParser<T>(Parser<char, T> element, CharClass starts) : Parser<char, PUnit>
    {
        public override bool TryParse(ref ParseState<char> state, ref PooledList<Expected<char>> expecteds, out PUnit result)
        {
            result = PUnit.Value;
            while (state.HasCurrent && starts.Contains(state.Current))
            {
                if (!element.TryParse(ref state, ref expecteds, out _))
                {
                    return false;
                }
            }

            return true;
        }
    }

    private sealed class LocatedParser<T, TResult>(Parser<char, T> parser, Func<int, T, TResult> make) : Parser<char, TResult>
    {
        public override bool TryParse(ref ParseState<char> state, ref PooledList<Expected<char>> expecteds, [MaybeNullWhen(false)] out TResult result)
        {
            var offset = (int)state.Location;
            if (parser.TryParse(ref state, ref expecteds, out var value))
            {
                result = make(offset, value);
                return true;
            }

            result = default;
            return false;
        }
    }

    private sealed class SeparatedListParser<T>(Parser<char, T> first, Parser<char, PUnit> delimiter, CharClass delimiterStarts, Parser<char, T> element, int minElements)
        : Parser<char, IReadOnlyList<T>>
    {
        public override bool TryParse(ref ParseState<char> state, ref PooledList<Expected<char>> expecteds, [MaybeNullWhen(false)] out IReadOnlyList<T> result)
        {
            result = default;
            if (!first.TryParse(ref state, ref expecteds, out var head))
            {
                return false;
            }

            // The elements go to a buffer on the stack, then to an array of the exact size: no list that
            // grows by doubling (most policies have a handful of lines, a record two or three fields).
            var items = new ElementBuffer<T>(head);
            while (true)
            {
                var required = items.Count <= minElements;
                if (!state.HasCurrent && !required)
                {
                    break;
                }

                if (!required && !delimiterStarts.Contains(state.Current))
                {
                    // Neither a delimiter nor the end: fail expecting either (as OneOf(delimiter, End) would).
                    delimiter.TryParse(ref state, ref expecteds, out _);
                    expecteds.Add(default);
                    return false;
                }

                if (!delimiter.TryParse(ref state, ref expecteds, out _))
                {
                    return false;
                }

                if (!state.HasCurrent && !required)
                {
                    break; // the optional final delimiter
                }

                var start = state.Location;
                if (!element.TryParse(ref state, ref expecteds, out var item))
                {
                    if (!required && state.Location == start)
                    {
                        expecteds.Add(default); // or the end of the input
                    }

                    return false;
                }

                items.Add(item);
            }

            result = items.ToArray();
            return true;
        }
    }

    /// <summary>
    /// The elements of a list being read: the first eight inline, the rest in an array rented from the
    /// shared pool (returned, cleared, by <see cref="ToArray"/>), so only the result is allocated.
    /// </summary>
    private struct ElementBuffer<T>
    {
        private Eight<T> inline;
        private T[]? spill;

        public ElementBuffer(T first)
        {
            inline[0] = first;
            Count = 1;
        }

        public int Count { get; private set; }

        public void Add(T item)
        {
            if (Count < Eight<T>.Length)
            {
                inline[Count++] = item;
                return;
            }

            var at = Count - Eight<T>.Length;
            if (spill is null || at == spill.Length)
            {
                var larger = System.Buffers.ArrayPool<T>.Shared.Rent(spill is null ? 4 * Eight<T>.Length : spill.Length * 2);
                if (spill is not null)
                {
                    spill.CopyTo(larger, 0);
                    System.Buffers.ArrayPool<T>.Shared.Return(spill, clearArray: true);
                }

                spill = larger;
            }

            spill[at] = item;
            Count++;
        }

        public T[] ToArray()
        {
            var array = new T[Count];
            ReadOnlySpan<T> first = inline;
            first[..Math.Min(Count, Eight<T>.Length)].CopyTo(array);
            if (spill is not null)
            {
                spill.AsSpan(0, Count - Eight<T>.Length).CopyTo(array.AsSpan(Eight<T>.Length));
                System.Buffers.ArrayPool<T>.Shared.Return(spill, clearArray: true);
                spill = null;
            }

            return array;
        }
    }

    [System.Runtime.CompilerServices.InlineArray(Length)]
    private struct Eight<T>
    {
        public const int Length = 8;
        private T element;
    }

    /// <summary><see cref="Ref{T}"/>: the rule, looked up on first use and then kept.</summary>
    private sealed class RefParser<T>(Func<Parser<char, T>?> rule) : Parser<char, T>
    {
        private Parser<char, T>? resolved;

        public override bool TryParse(ref ParseState<char> state, ref PooledList<Expected<char>> expecteds, [MaybeNullWhen(false)] out T result) =>
            (resolved ??= rule() ?? throw new System.Diagnostics.UnreachableException("a rule is used before the class defines it"))
                .TryParse(ref state, ref expecteds, out result);
    }

    /// <summary>The D-02 dispatch on registered field names (<see cref="DispatchOnKey{T}"/>).</summary>
    internal sealed class KeyDispatch<T>(char separator, Parser<char, T> otherwise, (Parser<char, string> Field, Parser<char, T> Production)[] registered) : Parser<char, T>
    {
        // The field rules may be forward references (Rec), so their literals are read on first use;
        // longest first, so that the first entry's length is the look-ahead every key fits in.
        private readonly Lazy<(string Key, Parser<char, T> Production)[]> keys = new(() =>
            [.. registered.Select(r => (Key: Key(Literal.Of(r.Field).Text, separator), r.Production)).OrderByDescending(static k => k.Key.Length)]);

        /// <summary>The registered field names (without the separator).</summary>
        public System.Collections.Generic.HashSet<string> Names => [.. keys.Value.Select(static k => k.Key[..^1])];

        public override bool TryParse(ref ParseState<char> state, ref PooledList<Expected<char>> expecteds, [MaybeNullWhen(false)] out T result)
        {
            var table = keys.Value;
            var next = state.LookAhead(table[0].Key.Length);
            foreach (var (key, production) in table)
            {
                if (next.StartsWith(key, StringComparison.Ordinal))
                {
                    return production.TryParse(ref state, ref expecteds, out result);
                }
            }

            return otherwise.TryParse(ref state, ref expecteds, out result);
        }

        private static string Key(string literal, char separator)
        {
            var at = literal.IndexOf(separator, StringComparison.Ordinal);
            return at < 0 ? literal + separator : literal[..(at + 1)];
        }
    }
}
