using MtaSts.Functional;
using MtaSts.TlsRpt.Delivery;

namespace MtaSts.TlsRpt.Tests.Delivery;

/// <summary>The hosted daily sender (RFC 8460 §4.1 "after some delay"): the previous UTC day, after 00:00 UTC plus the random delay, on a fake clock.</summary>
public sealed class ReportingServiceTests
{
    private static readonly DateTimeOffset Midnight = new(2016, 4, 2, 0, 0, 0, TimeSpan.Zero);

    /// <summary>A random source with one fixed value.</summary>
    private sealed class FixedRandom(double value) : Random
    {
        public override double NextDouble() => value;
    }

    /// <summary>Advances the clock and waits (bounded, nothing asserted on real time) until the service has gone back to sleep.</summary>
    private static async Task AdvanceAsync(Microsoft.Extensions.Time.Testing.FakeTimeProvider clock, TlsRptReportingService service, TimeSpan by)
    {
        var before = service.Sleeps;
        clock.Advance(by);
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (service.Sleeps == before)
        {
            await Task.Delay(5, bound.Token);
        }
    }

    private static async Task<TlsRptReportingService> StartAsync(Microsoft.Extensions.Time.Testing.FakeTimeProvider clock, TlsRptReporter reporter, double random, TlsRptScheduleOptions? options = null)
    {
        var service = new TlsRptReportingService(reporter, options ?? new TlsRptScheduleOptions(), clock, new FixedRandom(random));
        await service.StartAsync(CancellationToken.None);
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (service.Sleeps == 0)
        {
            await Task.Delay(5, bound.Token);
        }

        return service;
    }

    [Fact]
    public async Task PreviousDay_IsSentAtMidnightPlusTheRandomDelay_AndNotBefore()
    {
        var today = Sessions.Failed(Sessions.Sts, 0, new MailKit.TlsFailureDetail("certificate-expired", null)) with { At = Midnight.AddMinutes(30) };
        var store = await World.StoreAsync([.. Sessions.Fixed, today]);
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(Midnight);
        var https = new RecordingTransport(ReportingScheme.Https);
        var service = await StartAsync(clock, World.Reporter(store, FixedLookup.Rua("https://r.company-y.example/"), clock, true, https), 0.5);

        Assert.Equal(Midnight.AddHours(2), service.NextRelease); // 0.5 of the default 4 hours
        for (var i = 0; i < 23; i++)
        {
            await AdvanceAsync(clock, service, TimeSpan.FromMinutes(5)); // to 01:55
        }

        Assert.Null(service.ReleasedThrough);
        Assert.Empty(https.Sent);
        await AdvanceAsync(clock, service, TimeSpan.FromMinutes(5)); // 02:00

        Assert.Equal(World.Day, service.ReleasedThrough);
        var sent = Assert.Single(https.Sent);
        Assert.Equal(World.Key, new ReportKey(sent.Report.Results.PolicyDomain, sent.Report.Results.Day)); // not today's sessions
        Assert.Equal(Midnight.AddDays(1).AddHours(2), service.NextRelease);
        await service.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task StartedAfterTheReleaseTime_SendsThePreviousDayAtOnce()
    {
        var store = await World.StoreAsync();
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(Midnight.AddHours(10));
        var https = new RecordingTransport(ReportingScheme.Https);

        var service = await StartAsync(clock, World.Reporter(store, FixedLookup.Rua("https://r.company-y.example/"), clock, true, https), 0.25);

        Assert.Equal(World.Day, service.ReleasedThrough);
        Assert.Single(https.Sent);
        Assert.Equal(Midnight.AddDays(1).AddHours(1), service.NextRelease); // 0.25 of 4 hours after the next midnight
        await service.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task FailedDelivery_IsRetriedByTheServiceAtItsTime()
    {
        var store = await World.StoreAsync();
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(Midnight.AddHours(10));
        var refusing = new RecordingTransport(ReportingScheme.Https, DestinationOutcome.Rejected);
        var service = await StartAsync(clock, World.Reporter(store, FixedLookup.Rua("https://r.company-y.example/"), clock, true, refusing), 0, new TlsRptScheduleOptions { PollInterval = TimeSpan.FromMinutes(1) });

        Assert.Single(refusing.Sent);
        for (var i = 0; i < 4; i++)
        {
            await AdvanceAsync(clock, service, TimeSpan.FromMinutes(1));
        }

        Assert.Single(refusing.Sent); // 10:04: not due
        await AdvanceAsync(clock, service, TimeSpan.FromMinutes(1)); // the first retry is due 5 minutes later

        Assert.Equal(2, refusing.Sent.Count);
        await service.StopAsync(CancellationToken.None);
    }
}
