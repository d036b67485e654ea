using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using MtaSts.Testing;

namespace MtaSts.Cli.Tests;

/// <summary><c>tlsrpt check</c> against the loopback DNS server: text, JSON and exit codes as <c>check</c> has them.</summary>
[Collection(LoopbackCollection.Name)]
public sealed class TlsRptCommandTests
{
    private readonly Loopback world;

    public TlsRptCommandTests(Loopback world)
    {
        this.world = world;
        Reset("good.tlsrpt.cli.test").Txt("_smtp._tls.good.tlsrpt.cli.test", "v=TLSRPTv1; rua=mailto:tls@good.tlsrpt.cli.test,https://collector.example/v1;", " x-ext=1");
        Reset("other.tlsrpt.cli.test").Txt("_smtp._tls.other.tlsrpt.cli.test", "v=TLSRPTv1;rua=ftp://files.example/report");
        Reset("two.tlsrpt.cli.test").Txt("_smtp._tls.two.tlsrpt.cli.test", "v=TLSRPTv1;rua=mailto:a@example.com").Txt("_smtp._tls.two.tlsrpt.cli.test", "v=TLSRPTv1;rua=mailto:b@example.com");
        Reset("bad.tlsrpt.cli.test").Txt("_smtp._tls.bad.tlsrpt.cli.test", "v=TLSRPTv1; rua=mailto:a!b@example.com");
        Reset("broken.tlsrpt.cli.test").Fail("_smtp._tls.broken.tlsrpt.cli.test", 2);
        Reset("xn--bcher-kva.tlsrpt.cli.test").Txt("_smtp._tls.xn--bcher-kva.tlsrpt.cli.test", "v=TLSRPTv1;rua=mailto:tls@example.com");
    }

    private LoopbackDns Reset(string domain)
    {
        world.Dns.Remove("_smtp._tls." + domain);
        return world.Dns;
    }

    private string[] Net(params string[] args) => ["tlsrpt", "check", .. args, "--dns", world.Dns.EndPoint.ToString(), "--timeout", "3"];

    [Fact]
    public async Task Check_ValidRecord_ShowsEachDestination_Exit0()
    {
        var result = await Run.InProcess(Net("good.tlsrpt.cli.test"));

        Assert.Equal(0, result.Code);
        Assert.Equal(
            [
                "good.tlsrpt.cli.test",
                "  TXT _smtp._tls.good.tlsrpt.cli.test: \"v=TLSRPTv1; rua=mailto:tls@good.tlsrpt.cli.test,https://collector.example/v1; x-ext=1\"",
                "  record: valid — v=TLSRPTv1; rua=mailto:tls@good.tlsrpt.cli.test,https://collector.example/v1; x-ext=1;",
                "  rua mailto:tls@good.tlsrpt.cli.test: mailto, reports are mailed here",
                "  rua https://collector.example/v1: https, reports are POSTed here",
                "  extension x-ext=1: ignored (RFC 8460 §3, T-05)",
                string.Empty,
            ],
            result.Out.Split('\n'));
    }

    [Theory]
    [InlineData("other.tlsrpt.cli.test", 0, "rua ftp://files.example/report: unsupported, kept and ignored (T-04, T-08)")]
    [InlineData("other.tlsrpt.cli.test", 0, "warning[tlsrpt-rua]: no usable destination")]
    [InlineData("nothing.tlsrpt.cli.test", 0, "record: none — the domain does not implement TLSRPT")]
    [InlineData("two.tlsrpt.cli.test", 1, "error[no-tlsrpt-record]: 2 TXT records begin with 'v=TLSRPTv1;'")]
    [InlineData("bad.tlsrpt.cli.test", 1, "error[no-tlsrpt-record]: the TLSRPT TXT record is invalid")]
    [InlineData("broken.tlsrpt.cli.test", 3, "error[dns-temporary-failure]")]
    [InlineData("Bücher.tlsrpt.cli.test", 0, "TXT _smtp._tls.xn--bcher-kva.tlsrpt.cli.test: \"v=TLSRPTv1;rua=mailto:tls@example.com\"")]
    public async Task Check_Outcome_IsShown_WithTheExitCodeOfCheck(string domain, int code, string expected)
    {
        var result = await Run.InProcess(Net(domain));

        Assert.True(result.Code == code && result.Out.Contains(expected, StringComparison.Ordinal), result.ToString());
    }

    [Fact]
    public async Task Check_InvalidRecord_SaysWhereTheErrorIs()
    {
        var result = await Run.InProcess(Net("bad.tlsrpt.cli.test"));

        // The cause is the positioned syntax error of the one record (T-02: a raw '!' must be %21).
        Assert.Matches(@"1:\d+: error\[", result.Out);
        Assert.Contains("%21", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_Json_HasTheDocumentedShape()
    {
        var result = await Run.InProcess(Net("--json", "good.tlsrpt.cli.test", "two.tlsrpt.cli.test", "broken.tlsrpt.cli.test", "nothing.tlsrpt.cli.test"));

        var lines = result.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(static l => JsonNode.Parse(l)!).ToArray();
        Assert.Equal(3, result.Code);
        Assert.Equal(["found", "unusable", "temporary-failure", "none"], lines.Select(static l => l["status"]!.GetValue<string>()).ToArray());
        Assert.Equal(("good.tlsrpt.cli.test", "_smtp._tls.good.tlsrpt.cli.test"), (lines[0]["domain"]!.GetValue<string>(), lines[0]["name"]!.GetValue<string>()));
        Assert.Equal(
            [("mailto:tls@good.tlsrpt.cli.test", "mailto", true), ("https://collector.example/v1", "https", true)],
            lines[0]["rua"]!.AsArray().Select(static u => (u!["uri"]!.GetValue<string>(), u["scheme"]!.GetValue<string>(), u["usable"]!.GetValue<bool>())).ToArray());
        Assert.Equal(("x-ext", "1"), (lines[0]["extensions"]![0]!["name"]!.GetValue<string>(), lines[0]["extensions"]![0]!["value"]!.GetValue<string>()));
        Assert.Null(lines[0]["error"]);
        Assert.Equal(2, lines[1]["records"]!.AsArray().Count);
        Assert.Equal("no-tlsrpt-record", lines[1]["error"]!["code"]!.GetValue<string>());
        Assert.Equal("dns-temporary-failure", lines[2]["error"]!["code"]!.GetValue<string>());
        Assert.Equal((0, true), (lines[3]["records"]!.AsArray().Count, lines[3]["record"] is null));
    }

    [Theory]
    [InlineData("[192.0.2.1]")]
    [InlineData("not_a_domain")]
    public async Task Check_InvalidDomain_OneLine_Exit2_NoQuery(string domain)
    {
        var queriesBefore = world.Dns.Queries;

        var result = await Run.InProcess(Net(domain));

        Assert.Equal(2, result.Code);
        Assert.Equal(1, result.Error.Count(static c => c == '\n'));
        Assert.StartsWith("mta-sts: '" + domain + "'", result.Error, StringComparison.Ordinal);
        Assert.Equal(queriesBefore, world.Dns.Queries);
    }

    [Fact]
    public async Task Check_UnreachableDnsServer_Exit3()
    {
        using var silent = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));

        var result = await Run.InProcess("tlsrpt", "check", "good.tlsrpt.cli.test", "--dns", silent.Client.LocalEndPoint!.ToString()!, "--timeout", "1");

        Assert.Equal(3, result.Code);
        Assert.Contains("error[dns-temporary-failure]", result.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--dns", "not-an-address")]
    [InlineData("--timeout", "0")]
    [InlineData("--timeout", "NaN")]
    public async Task Check_BadOption_Exit2(string option, string value)
    {
        var result = await Run.InProcess("tlsrpt", "check", "good.tlsrpt.cli.test", option, value);

        Assert.Equal(2, result.Code);
        Assert.StartsWith("mta-sts: " + option, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_ListsTheGroup()
    {
        var result = await Run.InProcess("tlsrpt", "--help");

        Assert.Equal(0, result.Code);
        Assert.Contains("  check", result.Out, StringComparison.Ordinal);
    }
}
