using FsCheck;
using FsCheck.Fluent;

namespace MtaSts.Conformance.Generators;

/// <summary>A text that must parse to <see cref="Value"/>; ToString shows what varied and the exact text.</summary>
internal sealed record Layout<T>(T Value, string Text, string Variation)
{
    public override string ToString() => $"{Variation}: \"{Escape.Text(Text)}\"";
}

/// <summary>
/// Meaning-preserving renderings (RFC 8461 §3.1, §3.2; D-03, D-05, D-09): LF or CRLF per line, WSP after
/// ':' and around ';', trailing WSP, optional final terminator or delimiter, fields in any order where
/// order does not matter, extensions interleaved, later duplicates (first wins) and patterns in any case.
/// </summary>
internal static class LayoutGenerators
{
    public static Gen<Layout<Policy>> Policy(Policy policy) =>
        from choices in Gen.ArrayOf(Gen.Choose(0, 1_000_000), 64 + (4 * (policy.Mx.Count + policy.Extensions.Count)))
        select PolicyLayout(policy, new Choices(choices));

    public static Gen<Layout<StsRecord>> Record(StsRecord record) =>
        from otherId in Generators.PolicyId
        from choices in Gen.ArrayOf(Gen.Choose(0, 1_000_000), 32 + (4 * record.Extensions.Count))
        select RecordLayout(record, otherId, new Choices(choices));

    private static Layout<Policy> PolicyLayout(Policy policy, Choices c)
    {
        var notes = new List<string>();
        var mode = policy.Mode.ToKeyword();
        var singles = new List<(string Key, string Value)> { ("version", "STSv1"), ("mode", mode), ("max_age", policy.MaxAge.ToString()) };
        var mx = policy.Mx.Map(m => ("mx", c.Bool(4) ? Respell(m.Render(), c) : m.Render())).ToList();
        var ext = policy.Extensions.Map(static e => (e.Name, e.Value)).ToList();
        var lines = Merge([.. singles.Select(static s => new List<(string, string)> { s }), mx, ext], c);

        // D-03: later duplicates with other valid values never change the result.
        if (c.Bool(3))
        {
            var otherMode = mode == "none" ? "enforce" : "none";
            var dups = new List<(string, string)> { ("version", "STSv1"), ("mode", otherMode), ("max_age", "0") };
            if (!policy.Mx.IsEmpty)
            {
                dups.Add(("mx", policy.Mx[0].Render().ToUpperInvariant()));
            }

            foreach (var dup in dups)
            {
                var first = lines.FindIndex(l => l.Item1 == dup.Item1);
                lines.Insert(c.Int(first + 1, lines.Count), dup);
            }

            notes.Add("duplicates");
        }

        var text = new System.Text.StringBuilder();
        for (var i = 0; i < lines.Count; i++)
        {
            var (key, value) = lines[i];
            text.Append(key).Append(c.Pick(":", ": ", ":\t", ":  ", ": \t")).Append(value).Append(c.Pick("", "", "", " ", "\t", " \t "));
            if (i < lines.Count - 1 || c.Bool(2))
            {
                text.Append(c.Pick("\n", "\r\n"));
            }
        }

        var rendered = text.ToString();
        notes.Add(rendered.Contains("\r\n") ? (rendered.Replace("\r\n", string.Empty).Contains('\n') ? "mixed LF/CRLF" : "CRLF") : "LF");
        return new Layout<Policy>(policy, rendered, string.Join(", ", notes));
    }

    private static Layout<StsRecord> RecordLayout(StsRecord record, PolicyId otherId, Choices c)
    {
        var notes = new List<string>();
        var fields = Merge([[$"id={record.Id.Value}"], [.. record.Extensions.Map(static e => $"{e.Name}={e.Value}")]], c);
        if (c.Bool(3))
        {
            // D-03: a later id (still valid, D-02) and a repeated v=STSv1 are ignored.
            var first = fields.FindIndex(static f => f.StartsWith("id=", StringComparison.Ordinal));
            fields.Insert(c.Int(first + 1, fields.Count), $"id={otherId.Value}");
            fields.Insert(c.Int(0, fields.Count), "v=STSv1");
            notes.Add("duplicates");
        }

        var text = new System.Text.StringBuilder("v=STSv1");
        foreach (var field in fields)
        {
            text.Append(Delimiter(c)).Append(field);
        }

        if (c.Bool(2))
        {
            text.Append(Delimiter(c)); // [sts-field-delim]: trailing WSP only after the ';'
            notes.Add("trailing delimiter");
        }

        return new Layout<StsRecord>(record, text.ToString(), notes.Count == 0 ? "plain" : string.Join(", ", notes));
    }

    private static string Delimiter(Choices c) => c.Pick("", " ", "\t", "  ") + ";" + c.Pick("", " ", " ", "\t", " \t");

    /// <summary>Random interleaving of groups that keeps each group's own order (mx order and extension order matter).</summary>
    private static List<T> Merge<T>(List<List<T>> groups, Choices c)
    {
        var queues = groups.Where(static g => g.Count > 0).Select(static g => new Queue<T>(g)).ToList();
        var merged = new List<T>();
        while (queues.Count > 0)
        {
            var q = queues[c.Int(0, queues.Count - 1)];
            merged.Add(q.Dequeue());
            if (q.Count == 0)
            {
                queues.Remove(q);
            }
        }

        return merged;
    }

    /// <summary>Random ASCII case (patterns are case-insensitive, F-04).</summary>
    private static string Respell(string s, Choices c) => new(s.Select(ch => c.Bool(2) ? char.ToUpperInvariant(ch) : ch).ToArray());
}

/// <summary>A deterministic stream of choices drawn by FsCheck, so layouts replay from the seed.</summary>
internal sealed class Choices(int[] values)
{
    private int next;

    public int Int(int min, int max) => max <= min ? min : min + (Draw() % (max - min + 1));

    public bool Bool(int oneIn) => Draw() % oneIn == 0;

    public T Pick<T>(params T[] options) => options[Draw() % options.Length];

    private int Draw() => values.Length == 0 ? 0 : values[next++ % values.Length];
}

/// <summary>Shows control characters in failure reports.</summary>
internal static class Escape
{
    public static string Text(string s) => s.Replace("\r", "\\r").Replace("\n", "\\n").Replace("\t", "\\t").Replace("\uFEFF", "\\uFEFF").Replace("\u0001", "\\u0001");
}
