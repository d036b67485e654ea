namespace MtaSts.Functional.Tests.RecordTests;

/// <summary>
/// RFC 8461 §3.1 <c>sts-text-record = sts-version 1*(sts-field-delim sts-field) [sts-field-delim]</c>: after a
/// field only a delimiter or the end may follow, and an error there says both. Only a repeated
/// <c>v=STSv1</c> can be followed by something else (the other fields' values end before anything but
/// WSP or ';'); it is read as <c>sts-version</c> (D-02) and then ignored (D-03).
/// </summary>
public class RecordFieldEndTests
{
    [Theory]
    [InlineData("v=STSv1; id=a; v=STSv1x", 23, "'x'")]
    [InlineData("v=STSv1; id=a; v=STSv1=", 23, "'='")]
    public void RepeatedVersion_FollowedByAnythingElse_ExpectsADelimiterOrTheEnd(string text, int column, string found)
    {
        var error = Assert.IsType<MtaStsError.Syntax>(Assert.Single(StsRecord.Parse(text).LeftToSeq()));

        Assert.Equal((1, column), (error.Line, error.Column));
        Assert.Equal(["sts-field-delim", "end of input"], error.Expected.ToList());
        Assert.Equal(found, error.Found);
        Assert.Equal("sts-text-record", error.Rule);
    }
}
