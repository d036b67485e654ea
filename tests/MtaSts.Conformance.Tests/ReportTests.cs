using System.Text.Json.Nodes;
using System.Xml.Linq;
using MtaSts.Conformance.Run;
using MtaSts.Conformance.Vectors;

namespace MtaSts.Conformance.Tests;

/// <summary>The reports: counts per requirement, and each failure with its input, expected and actual answers and the requirement's text.</summary>
public class ReportTests
{
    private static readonly Vector Failing = new(
        "T-07",
        Kinds.Record,
        Profiles.Strict,
        new JsonObject { ["kind"] = Kinds.Record, ["input"] = "v=STSv1; id=abc-1" },
        new JsonObject { ["accepted"] = false },
        ["D-02", "N-04"],
        "RFC 8461 §3.1",
        "id outside 1*32(ALPHA / DIGIT)",
        "public");

    private static readonly RunResult Run = new(
        new Implementation("peer", "2.0", null),
        [
            new VectorResult(Failing, new Verdict(Outcome.Wrong, "accepted: expected false, got true", """{"seq":1,"accepted":true,"id":"abc-1"}""")),
            new VectorResult(FakeImplementationTests.Accepting("ok"), new Verdict(Outcome.Passed, string.Empty, """{"seq":2,"accepted":true,"id":"ok"}""")),
            new VectorResult(FakeImplementationTests.Accepting("hung") with { Tests = ["D-02"] }, new Verdict(Outcome.Hang, "no answer within 5 s", null)),
        ],
        1,
        null);

    private static readonly ReportHeader Header = new("peer-adapter --strict", Profiles.Strict, 3, 0, 1);

    [Fact]
    public void Tally_CountsEachIdItsVectorsTest()
    {
        var tally = Reports.Tally(Run).ToDictionary(static t => t.Id);

        Assert.Equal((0, 2), (tally["D-02"].Passed, tally["D-02"].Failed));
        Assert.Equal((1, 0), (tally["D-09"].Passed, tally["D-09"].Failed));
        Assert.Equal((0, 1), (tally["N-04"].Passed, tally["N-04"].Failed));
        Assert.StartsWith("Registered key ⇒ registered production.", tally["D-02"].Text, StringComparison.Ordinal);
        Assert.StartsWith("(§3.1, MUST) \"The TXT record MUST begin with the sts-version field", tally["N-04"].Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Text_ShowsEachFailureWithInputExpectedActualAndTheRequirementText()
    {
        var text = Reports.Text(Run, Header);

        Assert.Contains("result:   1 passed, 2 failed (wrong 1, hang 1), 0 not supported, 0 not run; 1 restarts", text, StringComparison.Ordinal);
        Assert.Contains("T-07 [wrong] record: tests D-02, N-04 (RFC 8461 §3.1)", text, StringComparison.Ordinal);
        Assert.Contains("input:    {\"input\":\"v=STSv1; id=abc-1\"}", text, StringComparison.Ordinal);
        Assert.Contains("expected: {\"accepted\":false}", text, StringComparison.Ordinal);
        Assert.Contains("actual:   {\"seq\":1,\"accepted\":true,\"id\":\"abc-1\"}", text, StringComparison.Ordinal);
        Assert.Contains("D-02: Registered key ⇒ registered production.", text, StringComparison.Ordinal);
        Assert.Contains("actual:   (no answer)", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Json_HasTheCountsTheRequirementsAndTheFailures()
    {
        var json = JsonNode.Parse(Reports.Json(Run, Header))!;

        Assert.Equal(1, json["counts"]!["passed"]!.GetValue<int>());
        Assert.Equal(1, json["counts"]!["hang"]!.GetValue<int>());
        Assert.Equal(1, json["exit_code"]!.GetValue<int>());
        Assert.Equal(["T-07", "hung"], json["failures"]!.AsArray().Select(static f => f!["id"]!.GetValue<string>()));
        Assert.Equal("wrong", json["failures"]![0]!["outcome"]!.GetValue<string>());
        Assert.Contains(json["requirements"]!.AsArray(), static r => r!["id"]!.GetValue<string>() == "D-02" && r["failed"]!.GetValue<int>() == 2);
    }

    [Fact]
    public void Junit_IsXmlWithAFailureAndAnErrorPerKind()
    {
        var xml = XDocument.Parse(Reports.Junit(Run, Header));
        var suite = Assert.Single(xml.Root!.Elements("testsuite"));

        Assert.Equal("3", suite.Attribute("tests")!.Value);
        Assert.Equal("1", suite.Attribute("failures")!.Value);
        Assert.Equal("1", suite.Attribute("errors")!.Value);
        var failure = Assert.Single(suite.Descendants("failure"));
        Assert.Equal("wrong", failure.Attribute("type")!.Value);
        Assert.Contains("D-02: Registered key", failure.Value, StringComparison.Ordinal);
        Assert.Equal("hang", Assert.Single(suite.Descendants("error")).Attribute("type")!.Value);
    }

    [Fact]
    public void Junit_ControlCharactersInAnAnswer_StayWellFormed()
    {
        var run = Run with { Results = [new VectorResult(Failing, new Verdict(Outcome.Garbled, "not JSON", "\u0001\u0000garbage"))] };

        var xml = XDocument.Parse(Reports.Junit(run, Header));

        Assert.Contains("\\u0001\\u0000garbage", xml.Descendants("error").Single().Value, StringComparison.Ordinal);
    }
}
