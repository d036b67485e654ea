using MtaSts.Functional.Syntax;

namespace MtaSts.Functional.Tests.RecordTests;

/// <summary>RFC 8461 §3.1 with D-03: the verdict on each field of a TXT record (the first <c>v</c> and <c>id</c> count, later ones repeat them).</summary>
public class RecordSemanticsTests
{
    /// <summary>Rows: the record, each field's verdict in order (A = applied, R&lt;i&gt; = a repeat of field i), why.</summary>
    public static TheoryData<string, string, string> Verdicts => new()
    {
        { "v=STSv1; id=a", "A A", "one of each" },
        { "v=STSv1; id=a; id=b", "A A R1", "D-03: a later id repeats the first" },
        { "v=STSv1; id=a; v=STSv1", "A A R0", "D-03: a later v repeats the first, which is field 0" },
        { "v=STSv1; x=1; id=a; v=STSv1; id=b; x=1", "A A A R0 R2 A", "D-08: extensions are never repeats" },
    };

    [Theory]
    [MemberData(nameof(Verdicts))]
    public void Verdicts_EachField_FirstCountsLaterRepeat(string text, string expected, string why)
    {
        var reading = Assert.Single(RecordReader.Read(text, ParseMode.Strict).RightToSeq());

        var verdicts = string.Join(' ', reading.Verdicts.Select(static v => v switch
        {
            Verdict.Applied => "A",
            Verdict.Repeat { Why: RepeatReason.SameField } r => $"R{r.First}",
            _ => v.ToString(),
        }));
        Assert.True(expected == verdicts, $"{why}: got {verdicts}");
    }
}
