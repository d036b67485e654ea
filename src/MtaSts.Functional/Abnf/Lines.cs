namespace MtaSts.Functional.Syntax;

/// <summary>How a line ends, as the grammar sees it.</summary>
internal enum LineEnd
{
    /// <summary>The text ends (or the position is not a line end).</summary>
    None,

    /// <summary><c>LF</c>: a line end in the grammar (RFC 8461 §3.2 <c>sts-policy-term</c>).</summary>
    Lf,

    /// <summary><c>CRLF</c>: a line end in the grammar.</summary>
    Crlf,

    /// <summary>
    /// A CR not followed by LF: not a line end in the grammar (it fails in <c>CRLF</c>, D-05), but a
    /// line end for positions and lenient mode (L-01 reads it as one), so both modes count lines alike.
    /// </summary>
    BareCr,
}

/// <summary>One line of a text: where it starts, how long it is without its terminator, how it ends.</summary>
/// <param name="Start">Offset of the first character.</param>
/// <param name="Length">Length without the terminator.</param>
/// <param name="End">The terminator.</param>
internal readonly record struct Line(int Start, int Length, LineEnd End)
{
    /// <summary>Offset just past the line's text (where its terminator starts).</summary>
    public int TextEnd => Start + Length;

    /// <summary>Offset of the next line (just past the terminator).</summary>
    public int Next => TextEnd + Lines.TerminatorLength(End);
}

/// <summary>
/// The one line splitter: LF, CRLF, and a bare CR, exactly as <see cref="LineEnd"/> describes them.
/// The grammar's <c>LF / CRLF</c> (<see cref="CoreRules.LfOrCrlf"/>), <see cref="SourceMap"/>, the linter
/// and the lenient repair all split lines with it.
/// </summary>
internal static class Lines
{
    /// <summary>The line end starting at <paramref name="at"/>, if any.</summary>
    public static LineEnd EndAt(ReadOnlySpan<char> text, int at) =>
        at >= text.Length ? LineEnd.None
        : text[at] == '\n' ? LineEnd.Lf
        : text[at] != '\r' ? LineEnd.None
        : at + 1 < text.Length && text[at + 1] == '\n' ? LineEnd.Crlf
        : LineEnd.BareCr;

    /// <summary>How many characters a line end takes.</summary>
    public static int TerminatorLength(LineEnd end) => end switch
    {
        LineEnd.None => 0,
        LineEnd.Crlf => 2,
        _ => 1,
    };

    /// <summary>The line that starts at <paramref name="start"/>.</summary>
    public static Line At(ReadOnlySpan<char> text, int start)
    {
        var length = text[start..].IndexOfAny('\r', '\n');
        return length < 0
            ? new Line(start, text.Length - start, LineEnd.None)
            : new Line(start, length, EndAt(text, start + length));
    }

    /// <summary>Every line of <paramref name="text"/>, in order (none for the empty text; no empty line after a final terminator).</summary>
    public static List<Line> Split(ReadOnlySpan<char> text)
    {
        var lines = new List<Line>();
        for (var start = 0; start < text.Length;)
        {
            var line = At(text, start);
            lines.Add(line);
            start = line.Next;
        }

        return lines;
    }

    /// <summary>Every line of <paramref name="text"/> with its terminator, in order (as <see cref="Split"/>).</summary>
    public static List<string> Texts(string text) => Split(text).ConvertAll(l => text[l.Start..l.Next]);

    /// <summary>1-based line and column of <paramref name="offset"/> (counting every line end, a bare CR too).</summary>
    public static (int Line, int Column) Position(ReadOnlySpan<char> text, int offset)
    {
        var number = 1;
        var start = 0;
        while (start < text.Length)
        {
            var line = At(text, start);
            if (line.End == LineEnd.None || line.Next > offset)
            {
                break;
            }

            number++;
            start = line.Next;
        }

        return (number, offset - start + 1);
    }

    /// <summary>The text of the line around <paramref name="offset"/>, without terminators.</summary>
    public static string TextAround(string text, int offset)
    {
        var at = Math.Min(offset, text.Length);
        var start = text.AsSpan(0, at).LastIndexOfAny('\r', '\n') + 1;
        var end = text.AsSpan(at).IndexOfAny('\r', '\n');
        return text[start..(end < 0 ? text.Length : at + end)];
    }
}
