using System.Text;

namespace MtaSts.Functional.Syntax;

/// <summary>
/// The output of a lenient repair pass (L-01): the repaired text, and for each of its characters the
/// offset in the original text it came from, so errors and warnings point at the caller's input.
/// </summary>
internal sealed class Repair
{
    private readonly StringBuilder text;
    private readonly List<int> map;

    public Repair(int capacity)
    {
        text = new StringBuilder(capacity);
        map = new List<int>(capacity + 1);
    }

    /// <summary>Keeps one character from original offset <paramref name="at"/>.</summary>
    public void Keep(char c, int at)
    {
        text.Append(c);
        map.Add(at);
    }

    /// <summary>Keeps the original characters <c>[from, to)</c>.</summary>
    public void Keep(string original, int from, int to)
    {
        for (var i = from; i < to; i++)
        {
            Keep(original[i], i);
        }
    }

    /// <summary>The repaired text and its offset map (<see cref="SourceMap.OriginalOffset"/> maps the end).</summary>
    public (string Text, int[] Map) Finish() => (text.ToString(), map.ToArray());
}
