using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using Pidgin;

namespace MtaSts.Functional.Syntax;

/// <summary>
/// An ABNF character class: a set of UTF-16 code units together with its ABNF text, e.g.
/// <c>ALPHA / DIGIT / "-"</c> or <c>%x21-7E</c>. It is also the parser of one character of the
/// class (failing, without consuming, with its ABNF text as the expectation), so a rule built from
/// classes gets its expectations from them, never from a string written beside it.
/// </summary>
/// <remarks>
/// Classes compose with <c>|</c> (ABNF <c>/</c>) and are named with <see cref="Named"/> when they are a
/// rule of their own (<c>ALPHA</c>, <c>WSP</c>). Membership of an ASCII character is one bit test; runs of
/// a class are found with a <see cref="SearchValues{T}"/> span search (vectorised), which is how the
/// scanners and the host-name check read them.
/// </remarks>
internal sealed class CharClass : Parser<char, char>
{
    private readonly (char First, char Last)[] ranges;
    private readonly ulong low;
    private readonly ulong high;
    private readonly bool hasNonAscii;
    private readonly Expected<char> expected;

    private CharClass((char First, char Last)[] ranges, string abnf)
    {
        this.ranges = ranges;
        Abnf = abnf;
        expected = new Expected<char>(abnf);
        var members = new List<char>();
        foreach (var (first, last) in ranges)
        {
            for (var c = (int)first; c <= last; c++)
            {
                members.Add((char)c);
                if (c < 64)
                {
                    low |= 1UL << c;
                }
                else if (c < 128)
                {
                    high |= 1UL << (c - 64);
                }
                else
                {
                    hasNonAscii = true;
                }
            }
        }

        Values = SearchValues.Create(members.ToArray());
    }

    /// <summary>The class in ABNF: its rule name once <see cref="Named"/>, otherwise its alternatives.</summary>
    public string Abnf { get; }

    /// <summary>The members, for span searches (<c>IndexOfAnyExcept</c>).</summary>
    public SearchValues<char> Values { get; }

    /// <summary><c>%xHH-HH</c>: the code units from <paramref name="first"/> to <paramref name="last"/>.</summary>
    public static CharClass Range(char first, char last) => new([(first, last)], $"%x{(int)first:X2}-{(int)last:X2}");

    /// <summary>One character: <c>%xHH</c> (ABNF's <c>"c"</c> for a printable one).</summary>
    public static CharClass Of(char c) => new([(c, c)], c is > ' ' and < '\x7F' and not '"' ? $"\"{c}\"" : $"%x{(int)c:X2}");

    /// <summary>One character written as a number: <c>%xHH</c>.</summary>
    public static CharClass Hex(char c) => new([(c, c)], $"%x{(int)c:X2}");

    /// <summary>One character as a class, so that <c>Alpha | '-'</c> reads as ABNF's <c>ALPHA / "-"</c>.</summary>
    public static implicit operator CharClass(char c) => Of(c);

    /// <summary>ABNF alternation of classes: <c>a / b</c>.</summary>
    public static CharClass operator |(CharClass a, CharClass b) => new([.. a.ranges, .. b.ranges], a.Abnf + " / " + b.Abnf);

    /// <summary>The same class under a rule name (<c>ALPHA</c>), which its expectations then show.</summary>
    public CharClass Named(string rule) => new(ranges, rule);

    /// <summary>Whether <paramref name="c"/> is in the class.</summary>
    public bool Contains(char c) => c < 64 ? (low >> c & 1) != 0
        : c < 128 ? (high >> (c - 64) & 1) != 0
        : hasNonAscii && Values.Contains(c);

    /// <summary>How many characters at the start of <paramref name="span"/> are in the class.</summary>
    public int Run(ReadOnlySpan<char> span)
    {
        if (span.IsEmpty || !Contains(span[0]))
        {
            return 0; // the usual case of an optional run (*WSP) that is absent: one bit test, no vector search
        }

        var end = span.IndexOfAnyExcept(Values);
        return end < 0 ? span.Length : end;
    }

    /// <summary>The index of the first character of <paramref name="span"/> in the class, or -1.</summary>
    public int IndexIn(ReadOnlySpan<char> span) => span.IndexOfAny(Values);

    /// <summary>Whether every character of <paramref name="span"/> is in the class.</summary>
    public bool All(ReadOnlySpan<char> span) => !span.ContainsAnyExcept(Values);

    /// <inheritdoc/>
    public override bool TryParse(ref ParseState<char> state, ref PooledList<Expected<char>> expecteds, [MaybeNullWhen(false)] out char result)
    {
        if (state.HasCurrent && Contains(result = state.Current))
        {
            state.Advance();
            return true;
        }

        Blame.Fail(ref state, state.Location);
        expecteds.Add(expected);
        result = default;
        return false;
    }

    /// <inheritdoc/>
    public override string ToString() => Abnf;
}
