using System.Text;
using Pidgin;

namespace MtaSts.Functional.Syntax;

/// <summary>
/// Maps offsets in the text that was parsed back to line and column in the text the caller gave.
/// In strict mode the two are the same; in lenient mode the repair pass (L-01) removed or replaced
/// characters and records, for every parsed offset, the original offset it came from.
/// Lines are those of <see cref="Lines"/>: LF, CRLF or a bare CR (the last only ends a line in lenient
/// mode, but counting it everywhere keeps positions the same in both modes).
/// </summary>
internal sealed class SourceMap
{
    private readonly string original;
    private readonly int[]? toOriginal;

    public SourceMap(string original, int[]? toOriginal = null)
    {
        this.original = original;
        this.toOriginal = toOriginal;
    }

    /// <summary>The original offset of a parsed offset (the end maps to the end).</summary>
    public int OriginalOffset(int parsedOffset) =>
        toOriginal is null ? parsedOffset
        : parsedOffset < toOriginal.Length ? toOriginal[parsedOffset]
        : original.Length;

    /// <summary>1-based line and column of an original offset.</summary>
    public (int Line, int Column) Position(int originalOffset) => Lines.Position(original, originalOffset);

    /// <summary>The text of the line holding an original offset, without its terminator.</summary>
    public string LineText(int originalOffset) => Lines.TextAround(original, originalOffset);

    /// <summary>A warning at a parsed offset.</summary>
    public ParseWarning Warning(WarningKind kind, int parsedOffset, string message) => WarningAtOriginal(kind, OriginalOffset(parsedOffset), message);

    /// <summary>A warning at an original offset.</summary>
    public ParseWarning WarningAtOriginal(WarningKind kind, int originalOffset, string message)
    {
        var (line, column) = Position(originalOffset);
        return new ParseWarning(kind, line, column, message);
    }

    /// <summary>
    /// Turns a Pidgin error into a <see cref="MtaStsError.Syntax"/>: position in the original text,
    /// the innermost rule (the first label; <paramref name="topRule"/> if only tokens were expected),
    /// the expectations, and the text found there.
    /// </summary>
    public MtaStsError.Syntax SyntaxError(ParseError<char> error, string parsed, string topRule)
    {
        var offset = (int)Math.Min(error.ErrorOffset, parsed.Length);
        var originalOffset = OriginalOffset(offset);
        var (line, column) = Position(originalOffset);
        string? inProgress = null;
        string? firstLabel = null;
        var expected = new List<string>();
        foreach (var e in error.Expected)
        {
            if (Blame.TryReadInProgress(e, out var rule))
            {
                inProgress ??= rule; // a Rule adds its in-progress marker only when none is there
                continue;
            }

            firstLabel ??= e.Label;
            var text = e.Label ?? (e.IsEof ? "end of input" : Quote(new string(e.Tokens.AsSpan())));
            if (!expected.Contains(text))
            {
                expected.Add(text);
            }
        }

        return new MtaStsError.Syntax(line, column, inProgress ?? firstLabel ?? topRule, expected.ToSeq(), Found(parsed, offset), error.Message, LineText(originalOffset));
    }

    /// <summary>The token at an offset: up to the next whitespace or line end (at most 24 characters), quoted.</summary>
    private static string Found(string parsed, int offset)
    {
        if (offset >= parsed.Length)
        {
            return "end of input";
        }

        var end = offset;
        do
        {
            end++;
        }
        while (end < parsed.Length && end - offset < 24 && parsed[end] is not (' ' or '\t' or '\r' or '\n'));

        return Quote(parsed[offset..end]);
    }

    private static string Quote(string s)
    {
        var sb = new StringBuilder("'");
        foreach (var c in s)
        {
            sb.Append(c switch
            {
                '\r' => "\\r",
                '\n' => "\\n",
                '\t' => "\\t",
                _ when char.IsControl(c) || char.IsSurrogate(c) || c == '\uFEFF' => $"\\u{(int)c:X4}",
                _ => c.ToString(),
            });
        }

        return sb.Append('\'').ToString();
    }
}
