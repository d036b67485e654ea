using System.Text.Json.Nodes;
using System.Xml.Linq;
using MtaSts.Cli;

namespace MtaSts.Conformance.Tests;

/// <summary><c>mta-sts conformance export|run</c> in process: output, formats and the exit codes 0, 1, 2, 3.</summary>
public class ConformanceCliTests
{
    [Fact]
    public async Task Export_WithGenerated_WritesOneVectorPerLine()
    {
        var file = Path.GetTempFileName();
        try
        {
            var (code, _, error) = await Cli("conformance", "export", "--kind", "match,policy-url", "--generated", "50", "--seed", "4", "--out", file);

            Assert.Equal(0, code);
            var lines = File.ReadAllLines(file).Select(static l => JsonNode.Parse(l)!.AsObject()).ToList();
            Assert.Equal(60 + 24 + 50, lines.Count); // the public match and policy-url vectors, then 50 generated match ones
            Assert.All(lines, static l => Assert.Contains(l["kind"]!.GetValue<string>(), new[] { "match", "policy-url" }));
            Assert.Equal(50, lines.Count(static l => l["origin"]!.GetValue<string>() == "generated"));
            Assert.All(lines, static l => Assert.True(l.ContainsKey("request") && l.ContainsKey("expect") && l["tests"]!.AsArray().Count > 0 && l.ContainsKey("reason")));
            Assert.Contains("seed 4", error, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Run_OwnAdapter_ExitCode0()
    {
        var (code, output, _) = await Cli("conformance", "run", "--kind", "cert-name", "--", Programs.Dotnet, Programs.Adapter);

        Assert.Equal(0, code);
        Assert.Contains("result:   30 passed, 0 failed", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_FakeOnThePublicRecordVectors_ExitCode1AndJunitReport()
    {
        var (code, output, error) = await Cli("conformance", "run", "--kind", "record", "--format", "junit", "--", Programs.Dotnet, Programs.Fake);

        Assert.Equal(1, code);
        var xml = XDocument.Parse(output);
        Assert.NotEmpty(xml.Descendants("failure"));
        Assert.Contains("mta-sts: conformance run: fake:", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("conformance", "run", "--kind", "records", "--", "x")]
    [InlineData("conformance", "run", "--profile", "loose", "--", "x")]
    [InlineData("conformance", "run")]
    [InlineData("conformance", "run", "--timeout", "0", "--", "x")]
    [InlineData("conformance", "export", "--generated", "-1")]
    public async Task BadUsage_ExitCode2(params string[] args) => Assert.Equal(2, (await Cli(args)).Code);

    [Fact]
    public async Task Run_CommandCannotBeStarted_ExitCode3()
    {
        var (code, _, error) = await Cli("conformance", "run", "--", "/nonexistent/adapter");

        Assert.Equal(3, code);
        Assert.Contains("the implementation could not be run: cannot start /nonexistent/adapter", error, StringComparison.Ordinal);
    }

    private static async Task<(int Code, string Output, string Error)> Cli(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await MtaStsCli.RunAsync(args, new CliConsole(output, error, static () => Stream.Null, Rich: false));
        return (code, output.ToString(), error.ToString());
    }
}
