using FsCheck;
using FsCheck.Fluent;

namespace MtaSts.Conformance.Generators;

/// <summary>A TXT RRset (each RR the list of its character-strings) and what the §3.1 record-set rule must make of it.</summary>
internal sealed record RecordSet(IReadOnlyList<IReadOnlyList<string>> Records, StsRecord? Record, string Variation)
{
    public override string ToString() =>
        $"{Variation}: [{string.Join(", ", Records.Select(static rr => "[" + string.Join(", ", rr.Select(static s => $"\"{Escape.Text(s)}\"")) + "]"))}]";
}

/// <summary>
/// TXT RRsets at <c>_mta-sts.&lt;domain&gt;</c> (RFC 8461 §3.1; D-10, D-11, F-05): a valid record split into
/// several strings among unrelated TXT records (the record is found), and two MTA-STS records (no policy).
/// </summary>
internal static class RecordSetGenerators
{
    /// <summary>TXT records of other protocols; with several RRs, none begins with the 8 characters <c>v=STSv1;</c>.</summary>
    private static readonly string[] Unrelated = ["v=spf1 -all", "google-site-verification=abc123", "v=STSv10; id=abc", "v=STSv1", "V=STSv1; id=abc", " v=STSv1; id=abc"];

    /// <summary>The record's canonical text cut into 1–4 strings (D-10), alone or among 1–3 unrelated records in any order (D-11).</summary>
    public static Gen<RecordSet> Found(StsRecord record) =>
        from cuts in Gen.ArrayOf(Gen.Choose(0, record.Render().Length), 3)
        from strings in Gen.Choose(1, 4)
        from others in Gen.Frequency((1, Gen.Constant(Array.Empty<string>())), (3, Gen.Choose(1, 3).SelectMany(n => Gen.ArrayOf(Gen.Elements(Unrelated), n))))
        from position in Gen.Choose(0, others.Length)
        let split = Split(record.Render(), [.. cuts.Take(strings - 1)])
        select new RecordSet(
            [.. others.Take(position).Select(static o => (IReadOnlyList<string>)[o]), split, .. others.Skip(position).Select(static o => (IReadOnlyList<string>)[o])],
            record,
            $"{split.Count} string(s) among {others.Length} other record(s)");

    /// <summary>Two MTA-STS records (the same or another): the count is not one, so there is no policy (N-06).</summary>
    public static Gen<RecordSet> Several(StsRecord record) =>
        from other in Generators.StsRecord
        from same in Gen.Elements(false, true)
        select new RecordSet([[record.Render()], [(same ? record : other).Render()]], null, same ? "the record twice" : "two records");

    private static List<string> Split(string text, int[] cuts)
    {
        var points = cuts.Distinct().Order().ToList();
        var strings = new List<string>();
        var start = 0;
        foreach (var point in points)
        {
            strings.Add(text[start..point]);
            start = point;
        }

        strings.Add(text[start..]);
        return strings;
    }
}
