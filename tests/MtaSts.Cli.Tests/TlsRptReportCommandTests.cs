using System.IO.Compression;
using System.Net;
using LanguageExt;
using MimeKit;
using MtaSts.MailKit;
using MtaSts.Testing;
using MtaSts.TlsRpt;
using MtaSts.TlsRpt.Tests.Delivery;

namespace MtaSts.Cli.Tests;

/// <summary><c>tlsrpt report</c> and <c>tlsrpt send</c> on a SQLite store, with the loopback DNS server and an SmtpServer submission server.</summary>
[Collection(LoopbackCollection.Name)]
public sealed class TlsRptReportCommandTests : IDisposable
{
    private const string Domain = "report.tlsrpt.cli.test";
    private static readonly string[] SenderArgs = ["--submitter", "mail.company-x.example", "--org", "Company-X", "--contact", "sts-reporting@company-x.example"];
    private static readonly TlsRptSender Sender = new("Company-X", "sts-reporting@company-x.example", "mail.company-x.example");
    private static readonly DateOnly Day = new(2016, 4, 1);
    private readonly Loopback world;
    private readonly string directory = Directory.CreateTempSubdirectory("tlsrpt-cli-").FullName;

    public TlsRptReportCommandTests(Loopback world) => this.world = world;

    private static TlsSession Session(string domain, bool failed, int minute)
    {
        var policy = new TlsReportPolicy(TlsReportPolicy.Sts, PolicyDomain.Parse(domain).IfLeft(static e => throw new InvalidOperationException(e.Render())), Prelude.Seq("version: STSv1", "mode: enforce", $"mx: mx.{domain}", "max_age: 86400"), Prelude.Seq1($"mx.{domain}"));
        var failures = failed ? Prelude.Seq1(new TlsFailureDetail("certificate-expired", null)) : Seq<TlsFailureDetail>.Empty;
        return new TlsSession(policy, $"mx.{domain}", IPAddress.Parse("192.0.2.1"), IPAddress.Parse("198.51.100.1"), failures, new DateTimeOffset(2016, 4, 1, 12, minute, 0, TimeSpan.Zero));
    }

    private async Task<string> StoreAsync(params string[] domains)
    {
        var path = Path.Combine(directory, $"store-{Guid.NewGuid():N}.db");
        var store = new SqliteTlsRptStore(path);
        foreach (var d in domains)
        {
            await store.RecordAsync(Session(d, false, 1));
            await store.RecordAsync(Session(d, true, 2));
        }

        return path;
    }

    private static async Task<string> ExpectedJsonAsync(string path, string domain) =>
        TlsRptReport.Build(Sender, (await new SqliteTlsRptStore(path).GetAsync(domain, Day)).IfNone(() => throw new InvalidOperationException("lost"))).Json;

    [Fact]
    public async Task Report_PrintsTheJsonOfTheStoredDay_OneLinePerDomain()
    {
        var path = await StoreAsync(Domain, "a." + Domain);

        var result = await Run.InProcess(["tlsrpt", "report", "--store", path, "--day", "2016-04-01", .. SenderArgs]);

        Assert.Equal(0, result.Code);
        Assert.Equal(new[] { await ExpectedJsonAsync(path, "a." + Domain), await ExpectedJsonAsync(path, Domain), string.Empty }, result.Out.Split('\n'));
    }

    [Theory]
    [InlineData("report.json", false)]
    [InlineData("report.json.gz", true)]
    public async Task Report_Out_WritesTheFile_GzipByExtension(string name, bool gzip)
    {
        var path = await StoreAsync(Domain, "a." + Domain);
        var output = Path.Combine(directory, name);

        var result = await Run.InProcess(["tlsrpt", "report", "--store", path, "--day", "2016-04-01", "--domain", Domain, "--out", output, .. SenderArgs]);

        Assert.Equal(0, result.Code);
        Assert.Equal(string.Empty, result.Out);
        await using var file = File.OpenRead(output);
        await using Stream body = gzip ? new GZipStream(file, CompressionMode.Decompress) : file;
        Assert.Equal(await ExpectedJsonAsync(path, Domain), await new StreamReader(body).ReadToEndAsync());
    }

    [Theory]
    [InlineData(2, "no such file", "missing.db", "2016-04-01", null, false)]
    [InlineData(2, "not a date YYYY-MM-DD", null, "2016-4-1", null, false)]
    [InlineData(1, "no sessions recorded for nowhere.example on 2016-04-01", null, "2016-04-01", "nowhere.example", false)]
    [InlineData(1, "no sessions recorded for any policy domain on 2016-04-02", null, "2016-04-02", null, false)]
    [InlineData(2, "2 policy domains have sessions on 2016-04-01; choose one with --domain", null, "2016-04-01", null, true)]
    public async Task Report_BadInput_IsAnErrorWithItsExitCode(int code, string message, string? store, string day, string? domain, bool output)
    {
        var path = store is null ? await StoreAsync(Domain, "a." + Domain) : Path.Combine(directory, store);
        string[] args = ["tlsrpt", "report", "--store", path, "--day", day, .. SenderArgs, .. domain is null ? Array.Empty<string>() : ["--domain", domain], .. output ? ["--out", Path.Combine(directory, "x.json")] : Array.Empty<string>()];

        var result = await Run.InProcess(args);

        Assert.Equal(code, result.Code);
        Assert.Contains(message, result.Error, StringComparison.Ordinal);
        Assert.False(store is not null && File.Exists(path), "a missing store is not created");
    }

    [Fact]
    public async Task Send_MailsThePendingReport_ThenNothingIsDue()
    {
        const string domain = "send." + Domain;
        world.Dns.Remove("_smtp._tls." + domain);
        world.Dns.Txt("_smtp._tls." + domain, $"v=TLSRPTv1; rua=mailto:tlsrpt@{domain}");
        await using var server = new SubmissionServer();
        var path = await StoreAsync(domain);
        string[] send = ["tlsrpt", "send", "--store", path, "--day", "2016-04-01", .. SenderArgs, "--smtp-host", "127.0.0.1", "--smtp-port", server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--smtp-security", "none", "--dns", world.Dns.EndPoint.ToString(), "--timeout", "10"];

        var first = await Run.InProcess(send);
        var again = await Run.InProcess(send);

        Assert.True(first.Code == 0, first.ToString());
        Assert.StartsWith($"{domain} 2016-04-01: delivered — delivered to mailto:tlsrpt@{domain}\n  mailto:tlsrpt@{domain}: accepted", first.Out, StringComparison.Ordinal);
        var (from, to, data) = Assert.Single(server.Messages);
        Assert.Equal(("tlsrpt-noreply@mail.company-x.example", $"tlsrpt@{domain}"), (from, Assert.Single(to)));
        using var message = await MimeMessage.LoadAsync(new MemoryStream(data));
        Assert.Equal(domain, message.Headers["TLS-Report-Domain"]);
        Assert.Equal((0, "no report is due (days up to 2016-04-01)\n"), (again.Code, again.Out));
        Assert.Single(server.Messages);
    }

    [Fact]
    public async Task Send_ServerRefuses_Exit3_AndTheReportIsKeptForRetry()
    {
        const string domain = "refused." + Domain;
        world.Dns.Remove("_smtp._tls." + domain);
        world.Dns.Txt("_smtp._tls." + domain, $"v=TLSRPTv1; rua=mailto:tlsrpt@{domain}");
        await using var server = new SubmissionServer(refuse: true);
        var path = await StoreAsync(domain);

        var result = await Run.InProcess(["tlsrpt", "send", "--store", path, "--day", "2016-04-01", "--json", .. SenderArgs, "--smtp-host", "127.0.0.1", "--smtp-port", server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--smtp-security", "none", "--dns", world.Dns.EndPoint.ToString(), "--timeout", "10"]);

        Assert.Equal(3, result.Code);
        var line = System.Text.Json.Nodes.JsonNode.Parse(result.Out)!;
        Assert.Equal(("retrying", "rejected"), ((string?)line["state"], (string?)line["destinations"]![0]!["outcome"]));
        var status = Assert.Single(await new SqliteTlsRptStore(path).ReportsAsync(Day));
        Assert.Equal((ReportState.Retrying, 1), (status.State, status.Attempts));
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(directory, recursive: true);
    }
}
