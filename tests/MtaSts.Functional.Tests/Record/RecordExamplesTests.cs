using LanguageExt;

namespace MtaSts.Functional.Tests.RecordTests;

/// <summary>RFC 8461 §3.1: the RFC's own example first, then the record-set rule (D-10, D-11).</summary>
public class RecordExamplesTests
{
    [Fact]
    public void Parse_Rfc8461Section31Example_ReadsIdAndRendersItBack()
    {
        var record = Assert.Single(StsRecord.Parse("v=STSv1; id=20160831085700Z;").RightToSeq());

        Assert.Equal("20160831085700Z", record.Id.Value);
        Assert.True(record.Extensions.IsEmpty);
        Assert.Equal("v=STSv1; id=20160831085700Z;", record.Render());
        Assert.Equal(record.Render(), record.ToString());
    }

    [Fact]
    public void Render_WithExtensions_PutsThemAfterTheIdInInputOrder()
    {
        var record = Assert.Single(StsRecord.Parse("v=STSv1; b=2; id=x ;a=1").RightToSeq());

        Assert.Equal("v=STSv1; id=x; b=2; a=1;", record.Render());
    }

    [Fact]
    public void Parse_Null_IsATypedErrorNotAnException()
    {
        var error = Assert.Single(StsRecord.Parse(null).LeftToSeq());

        Assert.IsType<MtaStsError.Syntax>(error);
    }

    /// <summary>Rows: the RRset with records separated by '|' (and none for an empty set), the reason, the candidate count.</summary>
    public static TheoryData<string, UnusableRecordReason, int> UnusableSets => new()
    {
        // RFC 8461 §3.1 / D-11: nothing at all (NXDOMAIN / NODATA).
        { "", UnusableRecordReason.None, 0 },
        // A lone record that is not an STS record at all.
        { "v=spf1 -all", UnusableRecordReason.None, 0 },
        // Two or more: only records beginning "v=STSv1;" count, and none does.
        { "v=spf1 -all|v=STSv1 ; id=a", UnusableRecordReason.None, 0 },
        // Exactly one must remain.
        { "v=STSv1; id=a|v=STSv1; id=b|v=STSv1;id=c", UnusableRecordReason.Several, 3 },
        // The one left must parse strictly.
        { "v=STSv1; id=a-b|x", UnusableRecordReason.Invalid, 1 },
    };

    [Theory]
    [MemberData(nameof(UnusableSets))]
    public void FromTxtRecords_UnusableSet_SaysWhy(string rrset, UnusableRecordReason reason, int candidates)
    {
        var records = rrset.Length == 0 ? [] : rrset.Split('|').Select(static r => (IReadOnlyList<string>)[r]).ToList();

        var error = Assert.Single(StsRecord.FromTxtRecords(records).LeftToSeq());

        var unusable = Assert.IsType<MtaStsError.NoUsableRecord>(error);
        Assert.Equal(reason, unusable.Reason);
        Assert.Equal(candidates, unusable.Candidates);
        Assert.Equal(reason == UnusableRecordReason.Invalid, unusable.Cause.IsSome);
    }

    [Fact]
    public void FromTxtRecords_InvalidRecord_CarriesThePositionedCause()
    {
        var error = Assert.Single(StsRecord.FromTxtRecords([["v=STSv1; id=a-b"], ["v=spf1 -all"]]).LeftToSeq());

        var cause = ((MtaStsError.NoUsableRecord)error).Cause.Match(static c => c, static () => throw new Xunit.Sdk.XunitException("no cause"));
        var syntax = Assert.IsType<MtaStsError.Syntax>(cause);
        Assert.Equal((1, 14, "sts-id"), (syntax.Line, syntax.Column, syntax.Rule));
    }

    [Fact]
    public void FromTxtRecords_NullStringsAndLists_AreTreatedAsEmpty()
    {
        IReadOnlyList<string>[] records = [null!, ["v=STSv1; id=", null!, "abc"]];

        var record = Assert.Single(StsRecord.FromTxtRecords(records).RightToSeq());

        Assert.Equal("abc", record.Id.Value);
    }
}
