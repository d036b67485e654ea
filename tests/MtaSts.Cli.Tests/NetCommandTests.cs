using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using MtaSts.Testing;

namespace MtaSts.Cli.Tests;

/// <summary>check, scan and cache against the loopback DNS and HTTPS servers of the resolver tests.</summary>
[Collection(LoopbackCollection.Name)]
public sealed class NetCommandTests : IDisposable
{
    private readonly Loopback world;
    private readonly string directory = Directory.CreateTempSubdirectory("mtasts-cli-net-").FullName;
    private readonly string ca;

    public NetCommandTests(Loopback world)
    {
        this.world = world;
        ca = Path.Combine(directory, "ca.pem");
        File.WriteAllText(ca, world.Pki.Root.ExportCertificatePem());
        world.Publish("good.cli.test", "20261129", Loopback.Serve(Loopback.ValidPolicy));
        world.Dns.Remove("good.cli.test");
        world.Dns.Mx("good.cli.test", 10, "mail.example.test").Mx("good.cli.test", 20, "elsewhere.example.net");
        world.Publish("html.cli.test", "1", Loopback.Serve(Loopback.ValidPolicy, "text/html"));
        world.Publish("down.cli.test", "1", Loopback.Serve("unavailable", status: 503));
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(directory, recursive: true);
    }

    private string[] Net(params string[] args) =>
        [.. args, "--dns", world.Dns.EndPoint.ToString(), "--trust", ca, "--policy-port", world.Https.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--timeout", "5"];

    [Fact]
    public async Task Check_ValidDomain_ShowsEveryStep_Exit0()
    {
        var result = await Run.InProcess(Net("check", "good.cli.test"));

        Assert.Equal(0, result.Code);
        Assert.Equal(
            [
                "good.cli.test",
                "  TXT _mta-sts.good.cli.test: \"v=STSv1; id=20261129;\"",
                "  record: valid, id 20261129",
                "  policy URL: https://mta-sts.good.cli.test/.well-known/mta-sts.txt",
                $"  fetch: HTTP 200, text/plain, {Loopback.ValidPolicy.Length} bytes",
                "  policy: mode enforce, max_age 86400, mx mail.example.test, *.backup.example.test",
            ],
            result.Out.Split('\n').Take(6).ToArray());
        Assert.Contains("  MX 10 mail.example.test: deliver", result.Out, StringComparison.Ordinal);
        Assert.Contains("  MX 20 elsewhere.example.net: refuse", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_Json_HasTheDocumentedShape()
    {
        var result = await Run.InProcess(Net("check", "--json", "good.cli.test", "html.cli.test"));

        var lines = result.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(static l => JsonNode.Parse(l)!).ToArray();
        Assert.Equal(2, lines.Length);
        Assert.Equal(("found", "20261129", "ok", "enforce"), (lines[0]["txt"]!["status"]!.GetValue<string>(), lines[0]["txt"]!["id"]!.GetValue<string>(), lines[0]["fetch"]!["status"]!.GetValue<string>(), lines[0]["mode"]!.GetValue<string>()));
        Assert.Equal(["deliver", "refuse"], lines[0]["mx"]!.AsArray().Select(static m => m!["decision"]!.GetValue<string>()).ToArray());
        Assert.Equal("sts-policy-invalid", lines[1]["fetch"]!["resultType"]!.GetValue<string>());
        Assert.Equal("sts-policy-invalid", lines[1]["errors"]![0]!["resultType"]!.GetValue<string>());
        Assert.Equal(1, result.Code);
    }

    [Theory]
    [InlineData("html.cli.test", 1, "error[sts-policy-invalid]")]
    [InlineData("down.cli.test", 1, "error[sts-policy-fetch-error]: HTTP 503")]
    [InlineData("nothing.cli.test", 0, "record: none")]
    public async Task Check_Problem_IsShownWithItsResultType(string domain, int code, string expected)
    {
        var result = await Run.InProcess(Net("check", domain));

        Assert.True(result.Code == code && result.Out.Contains(expected, StringComparison.Ordinal), result.ToString());
    }

    [Theory]
    [InlineData("[192.0.2.1]")]
    [InlineData("not_a_domain")]
    public async Task Check_InvalidDomain_OneLine_Exit2(string domain)
    {
        var queriesBefore = world.Dns.Queries;

        var result = await Run.InProcess(Net("check", domain));

        Assert.Equal(2, result.Code);
        Assert.Equal(1, result.Error.Count(static c => c == '\n'));
        Assert.StartsWith("mta-sts: '" + domain + "'", result.Error, StringComparison.Ordinal);
        Assert.Equal(queriesBefore, world.Dns.Queries);
    }

    [Fact]
    public async Task Check_UnreachableDnsServer_Exit3()
    {
        using var silent = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var result = await Run.InProcess("check", "good.cli.test", "--dns", silent.Client.LocalEndPoint!.ToString()!, "--timeout", "1");

        Assert.Equal(3, result.Code);
        Assert.Contains("error[dns-temporary-failure]", result.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--dns", "not-an-address")]
    [InlineData("--trust", "/nonexistent/ca.pem")]
    [InlineData("--policy-port", "70000")]
    public async Task Check_BadNetworkOption_Exit2(string option, string value)
    {
        var result = await Run.InProcess("check", "good.cli.test", option, value);

        Assert.Equal(2, result.Code);
        Assert.StartsWith("mta-sts: " + option, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Scan_WritesOneJsonLinePerDomain_ThenSkipsThemOnTheNextRun()
    {
        var list = Path.Combine(directory, "domains.txt");
        var output = Path.Combine(directory, "results.jsonl");
        await File.WriteAllTextAsync(list, "# a comment\ngood.cli.test\nhtml.cli.test\n\nnothing.cli.test\nGOOD.cli.test\n");

        var first = await Run.InProcess(Net("scan", list, "--output", output, "--concurrency", "2"));
        var lines = await File.ReadAllLinesAsync(output);

        Assert.Equal(0, first.Code);
        Assert.Equal(["good.cli.test", "html.cli.test", "nothing.cli.test"], lines.Select(static l => JsonNode.Parse(l)!["domain"]!.GetValue<string>()).Order(StringComparer.Ordinal).ToArray());
        Assert.Contains("scanned 3 domain(s), skipped 0", first.Out, StringComparison.Ordinal);
        Assert.Contains("  mode enforce: 1", first.Out, StringComparison.Ordinal);
        Assert.Contains("  mode no policy: 2", first.Out, StringComparison.Ordinal);
        Assert.Contains("  error sts-policy-invalid: 1", first.Out, StringComparison.Ordinal);

        await File.AppendAllTextAsync(list, "down.cli.test\n");
        await File.AppendAllTextAsync(output, "{\"domain\":\"cut-sh");
        var second = await Run.InProcess(Net("scan", list, "--output", output));

        Assert.Contains("scanned 1 domain(s), skipped 3", second.Out, StringComparison.Ordinal);
        var after = await File.ReadAllLinesAsync(output);
        Assert.Equal("down.cli.test", JsonNode.Parse(after[^1])!["domain"]!.GetValue<string>());
    }

    [Fact]
    public async Task Scan_WithoutOutput_JsonLinesOnStdout_SummaryOnStderr()
    {
        var result = await Run.InProcessWithStdin(System.Text.Encoding.UTF8.GetBytes("good.cli.test\n"), Net("scan", "-"));

        Assert.Equal("good.cli.test", JsonNode.Parse(result.Out)!["domain"]!.GetValue<string>());
        Assert.Contains("scanned 1 domain(s)", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cache_ListShowPurge_OverTheFileCheckFilled()
    {
        var cache = Path.Combine(directory, "cache.db");
        Assert.Equal(0, (await Run.InProcess(Net("check", "good.cli.test", "--cache", cache))).Code);

        var list = await Run.InProcess("cache", "list", "--cache", cache);
        Assert.Equal(0, list.Code);
        Assert.Matches(@"(?m)^  good\.cli\.test  id 20261129, mode enforce, fetched ", list.Out);

        var show = await Run.InProcess("cache", "show", "GOOD.cli.test", "--cache", cache, "--json");
        Assert.Equal(Loopback.ValidPolicy, JsonNode.Parse(show.Out)!["policy"]!.GetValue<string>());

        Assert.Equal(0, (await Run.InProcess("cache", "purge", "good.cli.test", "--cache", cache)).Code);
        Assert.Equal(1, (await Run.InProcess("cache", "show", "good.cli.test", "--cache", cache)).Code);
    }

    [Fact]
    public async Task Check_CorruptCacheFile_IsSaidOnceOnStderr_AndTheCheckStillAnswers()
    {
        var corrupt = Path.Combine(directory, "garbage.db");
        await File.WriteAllTextAsync(corrupt, "this is not a database, just some text that is long enough to look like a header........");

        var result = await Run.InProcess(Net("check", "good.cli.test", "good.cli.test", "--cache", corrupt));

        Assert.Equal(0, result.Code);
        var warning = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("mta-sts: warning: the cache cannot be used (SQLite error", warning, StringComparison.Ordinal);
        Assert.Contains("  policy: mode enforce", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Scan_CorruptCacheFile_IsSaidOnceOnStderr()
    {
        var corrupt = Path.Combine(directory, "garbage-scan.db");
        await File.WriteAllTextAsync(corrupt, "this is not a database, just some text that is long enough to look like a header........");

        var result = await Run.InProcessWithStdin("good.cli.test\ngood.cli.test\n"u8.ToArray(), Net("scan", "-", "--cache", corrupt));

        Assert.Equal(0, result.Code);
        Assert.Single(result.Error.Split('\n'), static l => l.StartsWith("mta-sts: warning: the cache cannot be used", StringComparison.Ordinal));
        Assert.Contains("\"mode\":\"enforce\"", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_AsksForTheTxtRecordOncePerDomain()
    {
        world.Publish("once.cli.test", "1", Loopback.Serve(Loopback.ValidPolicy));

        var result = await Run.InProcess(Net("check", "once.cli.test"));

        Assert.Equal(0, result.Code);
        Assert.Contains("TXT _mta-sts.once.cli.test: \"v=STSv1; id=1;\"", result.Out, StringComparison.Ordinal);
        Assert.Equal(1, world.Dns.QueriesFor("_mta-sts.once.cli.test"));
    }

    [Fact]
    public async Task Cache_NoFileOrCorruptFile_OneLine()
    {
        var missing = await Run.InProcess("cache", "list", "--cache", Path.Combine(directory, "none.db"));
        Assert.Equal(2, missing.Code);
        Assert.Contains("no cache file at", missing.Error, StringComparison.Ordinal);

        var corrupt = Path.Combine(directory, "corrupt.db");
        await File.WriteAllTextAsync(corrupt, "this is not a database, just some text that is long enough to look like a header........");
        var result = await Run.InProcess("cache", "list", "--cache", corrupt);
        Assert.Equal(1, result.Code);
        Assert.Contains("the cache file is unusable", result.Error, StringComparison.Ordinal);
    }
}

