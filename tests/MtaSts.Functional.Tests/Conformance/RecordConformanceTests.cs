using System.Text.Json;
using LanguageExt;

namespace MtaSts.Functional.Tests.Conformance;

/// <summary>record.json, recordset.json and the record vectors of lenient.json (RFC 8461 §3.1; D-09..D-11, L-01..L-03).</summary>
public class RecordConformanceTests
{
    public static TheoryData<string> StrictIds => Corpus.Ids("record.json");

    public static TheoryData<string> SetIds => Corpus.Ids("recordset.json");

    public static TheoryData<string> LenientIds => Corpus.Ids("lenient.json", "record");

    [Theory]
    [MemberData(nameof(StrictIds))]
    public void Parse_StrictVector_GivesExpectedResult(string id)
    {
        var v = Corpus.Vector("record.json", id);
        Assert.Equal("strict", v.GetProperty("mode").GetString());
        var result = StsRecord.Parse(v.GetProperty("input").GetString());
        AssertRecord(v.GetProperty("expect"), result.Map(static r => new Parsed<StsRecord>(r, Seq<ParseWarning>.Empty)));
    }

    [Theory]
    [MemberData(nameof(LenientIds))]
    public void Parse_LenientVector_GivesExpectedResultAndWarnings(string id)
    {
        var v = Corpus.Vector("lenient.json", id);
        var result = StsRecord.ParseWithWarnings(v.GetProperty("input").GetString(), ParseMode.Lenient);
        AssertRecord(v.GetProperty("expect"), result);
    }

    [Theory]
    [MemberData(nameof(SetIds))]
    public void FromTxtRecords_Vector_GivesExpectedPolicyAvailability(string id)
    {
        var v = Corpus.Vector("recordset.json", id);
        var records = v.GetProperty("records").EnumerateArray()
            .Select(static rr => (IReadOnlyList<string>)rr.EnumerateArray().Select(static s => s.GetString()!).ToList())
            .ToList();
        var result = StsRecord.FromTxtRecords(records);
        var expect = v.GetProperty("expect");
        if (expect.GetProperty("policy").GetBoolean())
        {
            var record = Assert.Single(result.RightToSeq());
            Assert.Equal(expect.GetProperty("id").GetString(), record.Id.Value);
        }
        else
        {
            var error = Assert.Single(result.LeftToSeq());
            Assert.IsType<MtaStsError.NoUsableRecord>(error);
        }
    }

    private static void AssertRecord(JsonElement expect, Either<MtaStsError, Parsed<StsRecord>> result)
    {
        if (!expect.GetProperty("valid").GetBoolean())
        {
            Assert.True(result.IsLeft, $"expected invalid, got {result}");
            return;
        }

        var parsed = Assert.Single(result.RightToSeq());
        Assert.Equal(expect.GetProperty("id").GetString(), parsed.Value.Id.Value);
        var extensions = expect.GetProperty("extensions").EnumerateArray()
            .Select(static e => new Extension(e[0].GetString()!, e[1].GetString()!)).ToList();
        Assert.Equal(extensions, parsed.Value.Extensions.ToList());
        var warnings = expect.TryGetProperty("warnings", out var w) ? w.GetInt32() : 0;
        Assert.Equal(warnings, parsed.Warnings.Count);
    }
}
