using System.Text.Json.Nodes;
using MtaSts.Conformance.Run;
using MtaSts.Conformance.Vectors;

namespace MtaSts.Conformance.Tests;

/// <summary>Judging one answer (docs/conformance-protocol.md, "Requests and answers", "Judging").</summary>
public class JudgeTests
{
    private static readonly Vector Policy = new(
        "P-1",
        Kinds.Policy,
        Profiles.Both,
        new JsonObject { ["kind"] = Kinds.Policy, ["input"] = "…" },
        new JsonObject { ["accepted"] = true, ["mode"] = "enforce", ["mx"] = new JsonArray("mail.example.com", "*.example.net"), ["max_age"] = 86400, ["version"] = "STSv1", ["extensions"] = new JsonArray(new JsonArray("foo", "bar")) },
        ["D-01"],
        "RFC 8461 §3.2",
        "test",
        "test");

    public static TheoryData<string, string, string> Answers => new()
    {
        { """{"seq":7,"accepted":true,"mode":"enforce","mx":["mail.example.com","*.example.net"],"max_age":86400}""", nameof(Outcome.Passed), "optional fields may be left out" },
        { """{"seq":7,"accepted":true,"mode":"enforce","mx":["MAIL.Example.COM","*.EXAMPLE.net"],"max_age":86400,"version":"STSv1","extensions":[["foo","bar"]]}""", nameof(Outcome.Passed), "mx compares ASCII case-insensitively" },
        { """{"seq":7,"accepted":true,"mode":"enforce","mx":["*.example.net","mail.example.com"],"max_age":86400}""", nameof(Outcome.Wrong), "mx order matters" },
        { """{"seq":7,"accepted":true,"mode":"enforce","mx":["mail.example.com"],"max_age":86400}""", nameof(Outcome.Wrong), "a pattern missing" },
        { """{"seq":7,"accepted":true,"mode":"testing","mx":["mail.example.com","*.example.net"],"max_age":86400}""", nameof(Outcome.Wrong), "another mode" },
        { """{"seq":7,"accepted":true,"mode":"enforce","mx":["mail.example.com","*.example.net"],"max_age":86400,"extensions":[]}""", nameof(Outcome.Wrong), "extensions, when given, are judged" },
        { """{"seq":7,"accepted":false}""", nameof(Outcome.Wrong), "rejected a valid policy" },
        { """{"seq":7,"accepted":true,"mode":"enforce","mx":["mail.example.com","*.example.net"]}""", nameof(Outcome.MissingField), "max_age is required" },
        { """{"seq":7,"accepted":true,"mode":"enforce","mx":["mail.example.com","*.example.net"],"max_age":"86400"}""", nameof(Outcome.MissingField), "max_age must be an integer" },
        { """{"seq":7,"accepted":true,"mode":"enforce","mx":"mail.example.com","max_age":86400}""", nameof(Outcome.MissingField), "mx must be an array" },
        { """{"seq":7,"accepted":"yes"}""", nameof(Outcome.MissingField), "accepted must be a boolean" },
        { """{"seq":7}""", nameof(Outcome.MissingField), "accepted is required" },
        { """{"seq":8,"accepted":true}""", nameof(Outcome.Garbled), "another seq" },
        { """{"accepted":true}""", nameof(Outcome.Garbled), "no seq" },
        { """[{"seq":7}]""", nameof(Outcome.Garbled), "not an object" },
        { """accepted""", nameof(Outcome.Garbled), "not JSON" },
        { """{"seq":7,"unsupported":true}""", nameof(Outcome.NotSupported), "unsupported" },
    };

    [Theory]
    [MemberData(nameof(Answers))]
    public void Answer_ToAPolicyVector_IsJudged(string line, string outcome, string why) =>
        Assert.True(Judge.Answer(Policy, 7, line).Outcome == Enum.Parse<Outcome>(outcome), $"{why}: {Judge.Answer(Policy, 7, line)}");

    [Theory]
    [InlineData("""{"seq":1,"matches":false}""", nameof(Outcome.Passed))]
    [InlineData("""{"seq":1,"matches":true}""", nameof(Outcome.Wrong))]
    [InlineData("""{"seq":1,"accepted":false}""", nameof(Outcome.MissingField))]
    public void Answer_ToAMatchVector_IsJudgedOnMatches(string line, string outcome)
    {
        var match = new Vector("M-1", Kinds.Match, Profiles.Both, new JsonObject { ["kind"] = Kinds.Match }, new JsonObject { ["matches"] = false }, ["M-02"], "RFC 8461 §4.1", "test", "test");
        Assert.Equal(Enum.Parse<Outcome>(outcome), Judge.Answer(match, 1, line).Outcome);
    }

    [Fact]
    public void Answer_RejectionExpected_FieldsOfTheRejectionAreNotJudged() =>
        Assert.Equal(Outcome.Passed, Judge.Answer(Policy with { Expect = new JsonObject { ["accepted"] = false } }, 3, """{"seq":3,"accepted":false,"error":"1:1: error[…]"}""").Outcome);
}
