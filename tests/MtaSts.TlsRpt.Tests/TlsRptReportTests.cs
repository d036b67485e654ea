using System.IO.Compression;
using System.Text.Json;
using MtaSts.MailKit;

namespace MtaSts.TlsRpt.Tests;

/// <summary>RFC 8460 §4.4 (the JSON report), §4.2 (counting), §5.1 (file name), §5.2 (gzip).</summary>
public class TlsRptReportTests
{
    private static readonly TlsRptSender Sender = new("Company-X", "sts-reporting@company-x.example", "mail.company-x.example");

    private static async Task<DailyResults> RecordAsync(IEnumerable<TlsSession> sessions)
    {
        var store = new InMemoryTlsRptStore();
        foreach (var s in sessions)
        {
            await store.RecordAsync(s);
        }

        return Assert.Single(await store.DayAsync(new DateOnly(2016, 4, 1)));
    }

    [Fact]
    public async Task Build_FixedSessions_GivesThisExactJson()
    {
        var report = TlsRptReport.Build(Sender, await RecordAsync(Sessions.Fixed), "5065427c-23d3-47ca-b6e0-946ea0e8c4be");

        const string Expected =
            """{"organization-name":"Company-X","date-range":{"start-datetime":"2016-04-01T00:00:00Z","end-datetime":"2016-04-01T23:59:59Z"},"contact-info":"sts-reporting@company-x.example","report-id":"5065427c-23d3-47ca-b6e0-946ea0e8c4be","policies":["""
            + """{"policy":{"policy-type":"no-policy-found","policy-domain":"company-y.example"},"summary":{"total-successful-session-count":1,"total-failure-session-count":0},"failure-details":[]},"""
            + """{"policy":{"policy-type":"sts","policy-string":["version: STSv1","mode: testing","mx: *.mail.company-y.example","max_age: 86400"],"policy-domain":"company-y.example","mx-host":["*.mail.company-y.example"]},"summary":{"total-successful-session-count":3,"total-failure-session-count":2},"failure-details":["""
            + """{"result-type":"certificate-expired","sending-mta-ip":"2001:db8:abcd:12::1","receiving-mx-hostname":"mx2.mail.company-y.example","receiving-ip":"203.0.113.57","failed-session-count":2},"""
            + """{"result-type":"certificate-not-trusted","sending-mta-ip":"2001:db8:abcd:12::1","receiving-mx-hostname":"mx2.mail.company-y.example","receiving-ip":"203.0.113.57","failed-session-count":1,"failure-reason-code":"UntrustedRoot"}]}]}""";
        Assert.Equal(Expected, report.Json);
    }

    [Fact]
    public async Task Build_EveryFieldHasTheNameAndTypeOfSection44()
    {
        using var doc = JsonDocument.Parse(TlsRptReport.Build(Sender, await RecordAsync(Sessions.Fixed)).Json);
        var root = doc.RootElement;

        Assert.Equal(["organization-name", "date-range", "contact-info", "report-id", "policies"], root.EnumerateObject().Select(static p => p.Name));
        Assert.Equal(JsonValueKind.String, root.GetProperty("organization-name").ValueKind);
        Assert.Equal(JsonValueKind.String, root.GetProperty("contact-info").ValueKind);
        Assert.Equal("20160401.company-y.example@mail.company-x.example", root.GetProperty("report-id").GetString());
        var range = root.GetProperty("date-range");
        Assert.Equal(new DateTimeOffset(2016, 4, 1, 0, 0, 0, TimeSpan.Zero), range.GetProperty("start-datetime").GetDateTimeOffset());
        Assert.Equal(new DateTimeOffset(2016, 4, 1, 23, 59, 59, TimeSpan.Zero), range.GetProperty("end-datetime").GetDateTimeOffset());
        Assert.Equal(JsonValueKind.Array, root.GetProperty("policies").ValueKind);
        foreach (var p in root.GetProperty("policies").EnumerateArray())
        {
            var policy = p.GetProperty("policy");
            var type = policy.GetProperty("policy-type").GetString();
            Assert.Contains(type, new[] { "sts", "no-policy-found" });
            Assert.Equal(JsonValueKind.String, policy.GetProperty("policy-domain").ValueKind);
            if (type == "sts")
            {
                Assert.All(policy.GetProperty("policy-string").EnumerateArray(), static s => Assert.Equal(JsonValueKind.String, s.ValueKind));
                Assert.All(policy.GetProperty("mx-host").EnumerateArray(), static s => Assert.Equal(JsonValueKind.String, s.ValueKind));
            }

            Assert.Equal(JsonValueKind.Number, p.GetProperty("summary").GetProperty("total-successful-session-count").ValueKind);
            Assert.Equal(JsonValueKind.Number, p.GetProperty("summary").GetProperty("total-failure-session-count").ValueKind);
            foreach (var d in p.GetProperty("failure-details").EnumerateArray())
            {
                Assert.Equal(JsonValueKind.String, d.GetProperty("result-type").ValueKind);
                Assert.Equal(JsonValueKind.String, d.GetProperty("receiving-mx-hostname").ValueKind);
                Assert.Equal(JsonValueKind.Number, d.GetProperty("failed-session-count").ValueKind);
                Assert.True(System.Net.IPAddress.TryParse(d.GetProperty("receiving-ip").GetString(), out _));
                Assert.True(System.Net.IPAddress.TryParse(d.GetProperty("sending-mta-ip").GetString(), out _));
            }
        }
    }

    [Fact]
    public async Task Summary_AFailedSessionWithTwoDetails_CountsOnce()
    {
        var results = await RecordAsync([Sessions.Failed(Sessions.Sts, 1, new TlsFailureDetail("certificate-expired", null), new TlsFailureDetail("validation-failure", "x"))]);
        using var doc = JsonDocument.Parse(TlsRptReport.Build(Sender, results).Json);
        var policy = Assert.Single(doc.RootElement.GetProperty("policies").EnumerateArray());

        Assert.Equal(1, policy.GetProperty("summary").GetProperty("total-failure-session-count").GetInt32());
        Assert.Equal(0, policy.GetProperty("summary").GetProperty("total-successful-session-count").GetInt32());
        Assert.Equal([1, 1], policy.GetProperty("failure-details").EnumerateArray().Select(static d => d.GetProperty("failed-session-count").GetInt32()));
        Assert.True(results.HasFailures);
    }

    [Fact]
    public async Task Details_ReceivingMxHelo_IsWrittenWhenKnown_AndSeparatesDetails()
    {
        var failed = Sessions.Failed(Sessions.Sts, 1, new TlsFailureDetail("certificate-expired", null));
        var results = await RecordAsync([failed, failed with { ReceivingMxHelo = "mx2.helo.company-y.example" }]);
        using var doc = JsonDocument.Parse(TlsRptReport.Build(Sender, results).Json);
        var details = Assert.Single(doc.RootElement.GetProperty("policies").EnumerateArray()).GetProperty("failure-details").EnumerateArray().ToList();

        Assert.Equal(2, details.Count);
        Assert.False(details[0].TryGetProperty("receiving-mx-helo", out _));
        Assert.Equal("mx2.helo.company-y.example", details[1].GetProperty("receiving-mx-helo").GetString());
        Assert.Equal(
            ["result-type", "sending-mta-ip", "receiving-mx-hostname", "receiving-mx-helo", "receiving-ip", "failed-session-count"],
            details[1].EnumerateObject().Select(static p => p.Name)); // §4.4's order
    }

    [Fact]
    public async Task FileName_IsSection51WithUnixSeconds()
    {
        var report = TlsRptReport.Build(Sender, await RecordAsync(Sessions.Fixed));

        // 2016-04-01T00:00:00Z = 1459468800; 23:59:59Z = 1459555199
        Assert.Equal("mail.company-x.example!company-y.example!1459468800!1459555199.json.gz", report.FileName);
    }

    [Fact]
    public async Task Gzip_DecompressesToTheJson()
    {
        var report = TlsRptReport.Build(Sender, await RecordAsync(Sessions.Fixed));
        using var gzip = new GZipStream(new MemoryStream(report.Gzip()), CompressionMode.Decompress);
        using var reader = new StreamReader(gzip, System.Text.Encoding.UTF8);

        Assert.Equal(report.Json, await reader.ReadToEndAsync());
    }

    [Fact]
    public void Add_SessionOfAnotherDay_IsRefused()
    {
        Assert.Throws<ArgumentException>(() => DailyResults.Empty("company-y.example", new DateOnly(2016, 4, 2)).Add(Sessions.Ok(Sessions.Sts)));
    }
}
