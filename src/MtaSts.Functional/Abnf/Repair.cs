using System.Text;
using LanguageExt;

namespace MtaSts.Functional.Syntax;

/// <summary>
/// A lenient repair pass (L-01) in progress: the repaired text, for each of its characters the offset in
/// the original text it came from (so errors and warnings point at the caller's input), and the warnings,
/// one per repair (F-01), positioned in the original text.
/// </summary>
internal sealed class Repair
{
    private readonly string original;
    private readonly SourceMap originalPositions;
    private readonly StringBuilder text;
    private readonly List<int> map;
    private readonly List<ParseWarning> warnings = [];

    public Repair(string original)
    {
        this.original = original;
        originalPositions = new SourceMap(original);
        text = new StringBuilder(original.Length);
        map = new List<int>(original.Length + 1);
    }

    /// <summary>Records a repair at original offset <paramref name="at"/>.</summary>
    public void Warn(WarningKind kind, int at, string message) => warnings.Add(originalPositions.WarningAtOriginal(kind, at, message));

    /// <summary>Keeps one character from original offset <paramref name="at"/>.</summary>
    public void Keep(char c, int at)
    {
        text.Append(c);
        map.Add(at);
    }

    /// <summary>Keeps the original characters <c>[from, to)</c>.</summary>
    public void Keep(int from, int to)
    {
        for (var i = from; i < to; i++)
        {
            Keep(original[i], i);
        }
    }

    /// <summary>The repaired text, its map back to the original (<see cref="SourceMap.OriginalOffset"/> maps the end), and the warnings.</summary>
    public (string Text, SourceMap Map, Seq<ParseWarning> Warnings) Finish() => (text.ToString(), new SourceMap(original, map.ToArray()), warnings.ToSeq());
}
