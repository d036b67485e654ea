using System.Text.Json;
using LanguageExt;

namespace MtaSts.Functional.Tests.Conformance;

/// <summary>tlsrpt-record.json (RFC 8460 §3; T-01..T-08): strict records, record sets, lenient records.</summary>
public class TlsRptConformanceTests
{
    private const string File = "tlsrpt-record.json";

    public static TheoryData<string> StrictIds => Corpus.Ids(File, "tlsrpt-record");

    public static TheoryData<string> SetIds => Corpus.Ids(File, "tlsrpt-recordset");

    public static TheoryData<string> LenientIds => Corpus.Ids(File, "tlsrpt-lenient");

    [Theory]
    [MemberData(nameof(StrictIds))]
    public void Parse_StrictVector_GivesExpectedResult(string id)
    {
        var v = Corpus.Vector(File, id);
        Assert.Equal("strict", v.GetProperty("mode").GetString());
        var result = TlsRptRecord.Parse(v.GetProperty("input").GetString());
        AssertRecord(v.GetProperty("expect"), result.Map(static r => new Parsed<TlsRptRecord>(r, Seq<ParseWarning>.Empty)));
    }

    [Theory]
    [MemberData(nameof(LenientIds))]
    public void Parse_LenientVector_GivesExpectedResultAndWarnings(string id)
    {
        var v = Corpus.Vector(File, id);
        Assert.Equal("lenient", v.GetProperty("mode").GetString());
        AssertRecord(v.GetProperty("expect"), TlsRptRecord.ParseWithWarnings(v.GetProperty("input").GetString(), ParseMode.Lenient));
    }

    [Theory]
    [MemberData(nameof(SetIds))]
    public void FromTxtRecords_Vector_GivesExpectedOutcome(string id)
    {
        var v = Corpus.Vector(File, id);
        var records = v.GetProperty("records").EnumerateArray()
            .Select(static rr => (IReadOnlyList<string>)rr.EnumerateArray().Select(static s => s.GetString()!).ToList())
            .ToList();
        var result = TlsRptRecord.FromTxtRecords(records);
        var expect = v.GetProperty("expect");
        var outcome = expect.GetProperty("outcome").GetString();
        if (outcome == "valid")
        {
            var record = Assert.Single(result.RightToSeq());
            Assert.Equal(Strings(expect.GetProperty("rua")), record.Rua.ToList());
            Assert.Equal(Extensions(expect.GetProperty("extensions")), record.Extensions.ToList());
            return;
        }

        var error = Assert.IsType<MtaStsError.NoTlsRptRecord>(Assert.Single(result.LeftToSeq()));
        var reason = outcome switch
        {
            "none" => UnusableRecordReason.None,
            "several" => UnusableRecordReason.Several,
            "invalid" => UnusableRecordReason.Invalid,
            _ => throw new InvalidOperationException($"unknown outcome {outcome}"),
        };
        Assert.Equal(reason, error.Reason);
        Assert.Equal(reason == UnusableRecordReason.Invalid, error.Cause.IsSome);
    }

    private static void AssertRecord(JsonElement expect, Either<MtaStsError, Parsed<TlsRptRecord>> result)
    {
        if (!expect.GetProperty("valid").GetBoolean())
        {
            var error = Assert.Single(result.LeftToSeq());
            Assert.True(error is MtaStsError.Syntax or MtaStsError.MissingField { Field: "rua" }, $"expected a syntax error or a missing rua, got {error}");
            return;
        }

        var parsed = Assert.Single(result.RightToSeq());
        Assert.Equal(Strings(expect.GetProperty("rua")), parsed.Value.Rua.ToList());
        Assert.Equal(Strings(expect.GetProperty("usable")), parsed.Value.Usable.ToList());
        Assert.Equal(Extensions(expect.GetProperty("extensions")), parsed.Value.Extensions.ToList());
        var warnings = expect.TryGetProperty("warnings", out var w) ? w.GetInt32() : 0;
        Assert.Equal(warnings, parsed.Warnings.Count);
    }

    private static List<string> Strings(JsonElement array) => array.EnumerateArray().Select(static s => s.GetString()!).ToList();

    private static List<Extension> Extensions(JsonElement array) =>
        array.EnumerateArray().Select(static e => new Extension(e[0].GetString()!, e[1].GetString()!)).ToList();
}
