using System.Text.Json;

namespace MtaSts.Functional.Tests.Conformance;

/// <summary>policy.json and the policy vectors of lenient.json (RFC 8461 §3.2; D-01..D-13, L-01..L-03, F-01..F-08).</summary>
public class PolicyConformanceTests
{
    public static TheoryData<string> StrictIds => Corpus.Ids("policy.json");

    public static TheoryData<string> LenientIds => Corpus.Ids("lenient.json", "policy");

    [Theory]
    [MemberData(nameof(StrictIds))]
    public void Parse_StrictVector_GivesExpectedResult(string id) => Check("policy.json", id, ParseMode.Strict);

    [Theory]
    [MemberData(nameof(LenientIds))]
    public void Parse_LenientVector_GivesExpectedResultAndWarnings(string id) => Check("lenient.json", id, ParseMode.Lenient);

    private static void Check(string file, string id, ParseMode mode)
    {
        var v = Corpus.Vector(file, id);
        Assert.Equal(mode == ParseMode.Strict ? "strict" : "lenient", v.GetProperty("mode").GetString());
        var expect = v.GetProperty("expect");
        var input = Corpus.PolicyInput(v);
        if (input is null)
        {
            // Not UTF-8: a string API can never receive these bytes (corpus README, "policy").
            Assert.False(expect.GetProperty("valid").GetBoolean());
            return;
        }

        var result = Policy.ParseWithWarnings(input, mode);
        if (!expect.GetProperty("valid").GetBoolean())
        {
            Assert.True(result.IsLeft, $"expected invalid, got {result}");
            return;
        }

        var parsed = Assert.Single(result.RightToSeq());
        var policy = parsed.Value;
        Assert.Equal(expect.GetProperty("version").GetString(), policy.Version);
        Assert.Equal(expect.GetProperty("mode").GetString(), policy.Mode.ToKeyword());
        Assert.Equal(expect.GetProperty("mx").EnumerateArray().Select(static m => m.GetString()!).ToList(), policy.Mx.Map(static m => m.Render()).ToList());
        Assert.Equal(expect.GetProperty("max_age").GetInt64(), policy.MaxAge.Seconds);
        var extensions = expect.GetProperty("extensions").EnumerateArray()
            .Select(static e => new Extension(e[0].GetString()!, e[1].GetString()!)).ToList();
        Assert.Equal(extensions, policy.Extensions.ToList());
        Assert.Equal(expect.GetProperty("warnings").GetInt32(), parsed.Warnings.Count);
    }
}
