using MtaSts.Functional;
using MtaSts.Functional.Resolver;

namespace MtaSts.TlsRpt.Tests.Delivery;

/// <summary>Which reports the reporter sends: days with failures only (mox's default) or every day; no record; a temporary DNS failure.</summary>
public sealed class ReporterTests
{
    private static readonly MailKit.TlsSession[] AllSuccessful = [Sessions.Ok(Sessions.Sts, 1), Sessions.Ok(Sessions.Sts, 2)];

    [Fact]
    public async Task OnlyDaysWithFailures_ADayWithoutFailures_IsSkippedAndNotSentAgain()
    {
        var store = await World.StoreAsync(AllSuccessful);
        var https = new RecordingTransport(ReportingScheme.Https);
        var reporter = World.Reporter(store, FixedLookup.Rua("https://r.company-y.example/"), World.Clock(), true, https);

        var delivery = Assert.Single(await reporter.SendPendingAsync(World.Day));

        Assert.Equal(ReportState.Skipped, delivery.Attempt.StateAfter);
        Assert.Empty(https.Sent);
        Assert.Empty(await reporter.SendPendingAsync(World.Day));
    }

    [Fact]
    public async Task EveryDay_ADayWithoutFailures_IsSent()
    {
        var store = await World.StoreAsync(AllSuccessful);
        var https = new RecordingTransport(ReportingScheme.Https);

        var delivery = Assert.Single(await World.Reporter(store, FixedLookup.Rua("https://r.company-y.example/"), World.Clock(), false, https).SendPendingAsync(World.Day));

        Assert.Equal(ReportState.Delivered, delivery.Attempt.StateAfter);
        Assert.Equal("https://r.company-y.example/", Assert.Single(https.Sent).Uri);
    }

    [Theory]
    [InlineData("no TLSRPT record")]
    [InlineData("no usable TLSRPT record", "v=TLSRPTv1; rua=mailto:a@company-y.example", "v=TLSRPTv1; rua=mailto:b@company-y.example")]
    [InlineData("no usable TLSRPT record", "v=TLSRPTv1; rua=")]
    public async Task NoUsableTlsRptRecord_IsSkippedWithTheReason(string reason, params string[] records)
    {
        var store = await World.StoreAsync();
        var https = new RecordingTransport(ReportingScheme.Https);

        var delivery = Assert.Single(await World.Reporter(store, FixedLookup.Txt(records), World.Clock(), true, https).SendPendingAsync(World.Day));

        Assert.Equal(ReportState.Skipped, delivery.Attempt.StateAfter);
        Assert.StartsWith(reason, delivery.Attempt.Detail, StringComparison.Ordinal);
        Assert.Empty(https.Sent);
    }

    [Fact]
    public async Task TemporaryLookupFailure_IsRetried()
    {
        var store = await World.StoreAsync();
        var clock = World.Clock();
        var lookup = new FixedLookup(new TlsRptOutcome.TemporaryFailure("SERVFAIL"));

        var delivery = Assert.Single(await World.Reporter(store, lookup, clock, true, new RecordingTransport(ReportingScheme.Https)).SendPendingAsync(World.Day));

        Assert.Equal((ReportState.Retrying, World.NextMorning.AddMinutes(5)), (delivery.Attempt.StateAfter, (DateTimeOffset)delivery.Attempt.NextAttempt));
    }

    [Fact]
    public async Task ReportsOfSeveralDomains_AreEachSentOnce_InDayThenDomainOrder()
    {
        var other = Sessions.Failed(Sessions.Sts with { PolicyDomain = Sessions.Parse("a.example") }, 3, new MailKit.TlsFailureDetail("starttls-not-supported", null));
        var store = await World.StoreAsync([.. Sessions.Fixed, other, other with { At = other.At.AddDays(-1) }]);
        var https = new RecordingTransport(ReportingScheme.Https);
        var reporter = World.Reporter(store, FixedLookup.Rua("https://r.example/"), World.Clock(), true, https);

        var sent = await reporter.SendPendingAsync(World.Day);

        Assert.Equal(
            new[] { new ReportKey("a.example", World.Day.AddDays(-1)), new ReportKey("a.example", World.Day), World.Key },
            sent.Map(static d => d.Report));
        Assert.Equal(new[] { "a.example", "a.example", "company-y.example" }, https.Sent.Select(static s => s.Report.Results.PolicyDomain));
        Assert.Empty(await reporter.SendPendingAsync(World.Day));
    }

    [Fact]
    public async Task SessionsCausedByDeliveringAReport_AreNeverCounted()
    {
        var store = await World.StoreAsync();
        var clock = World.Clock();
        var receiver = Sessions.Sts with { PolicyDomain = Sessions.Parse("reports.company-y.example") };
        var delivering = Sessions.Failed(receiver, 0, new MailKit.TlsFailureDetail("certificate-expired", null)) with { At = clock.GetUtcNow() };
        var mail = new RecordingTransport(ReportingScheme.Mailto, DestinationOutcome.Accepted, () => store.RecordAsync(delivering)); // as MtaStsSender would record it

        await World.Reporter(store, FixedLookup.Rua("mailto:tlsrpt@reports.company-y.example"), clock, false, mail).SendPendingAsync(World.Day);

        Assert.True(Assert.Single(mail.Sent).InDeliveryScope);
        var nextDay = World.Day.AddDays(1);
        Assert.True((await store.GetAsync("reports.company-y.example", nextDay)).IsNone);
        Assert.Equal(1L, await store.ReportDeliverySessionsAsync("reports.company-y.example", nextDay));
        Assert.Empty(await store.PendingAsync(nextDay, clock.GetUtcNow().AddDays(2)));
    }
}
