using LanguageExt;
using MtaSts.TlsRpt.Delivery;

namespace MtaSts.TlsRpt.Tests.Delivery;

/// <summary>RFC 8460 §5.4 (HTTPS POST), §3 (every rua; delivered when one accepts), §5.5 (retries), against a Kestrel collector on loopback.</summary>
public sealed class HttpsDeliveryTests
{
    [Fact]
    public async Task Post_ToACollector_SendsTheGzipReportWithItsMediaType()
    {
        await using var collector = await Collector.StartAsync([201]);
        var store = await World.StoreAsync();
        var clock = World.Clock();
        using var client = collector.Client();

        var sent = await World.Reporter(store, FixedLookup.Rua(collector.Uri), clock, true, new HttpsReportTransport(client, time: clock)).SendPendingAsync(World.Day);

        var delivery = Assert.Single(sent);
        Assert.Equal((ReportState.Delivered, DestinationOutcome.Accepted, "HTTP 201"), (delivery.Attempt.StateAfter, Assert.Single(delivery.Attempt.Destinations).Outcome, delivery.Attempt.Destinations[0].Detail));
        var (contentType, report, _) = Assert.Single(collector.Requests);
        Assert.Equal("application/tlsrpt+gzip", contentType);
        var expected = TlsRptReport.Build(World.Sender, (await store.GetAsync("company-y.example", World.Day)).IfNone(() => throw new InvalidOperationException("lost")));
        Assert.Equal(expected.Json, System.Text.Json.JsonSerializer.Serialize(Assert.IsType<System.Text.Json.JsonDocument>(report).RootElement));
        Assert.Equal(ReportState.Delivered, Assert.Single(await store.ReportsAsync(World.Day)).State);
        Assert.Empty(await store.PendingAsync(World.Day, clock.GetUtcNow().AddDays(2)));
    }

    [Fact]
    public async Task Post_500Twice_Then201_IsRetriedWithBackOffAndDelivered()
    {
        await using var collector = await Collector.StartAsync([500, 500, 201]);
        var store = await World.StoreAsync();
        var clock = World.Clock();
        using var client = collector.Client();
        var reporter = World.Reporter(store, FixedLookup.Rua(collector.Uri), clock, true, new HttpsReportTransport(client, time: clock));

        var first = Assert.Single(await reporter.SendPendingAsync(World.Day));
        Assert.Equal((ReportState.Retrying, Option<DateTimeOffset>.Some(World.NextMorning.AddMinutes(5))), (first.Attempt.StateAfter, first.Attempt.NextAttempt));
        clock.Advance(TimeSpan.FromMinutes(5) - TimeSpan.FromSeconds(1));
        Assert.Empty(await reporter.SendPendingAsync(World.Day)); // not due yet
        clock.Advance(TimeSpan.FromSeconds(1));
        var second = Assert.Single(await reporter.SendPendingAsync(World.Day));
        Assert.Equal((ReportState.Retrying, Option<DateTimeOffset>.Some(World.NextMorning.AddMinutes(15))), (second.Attempt.StateAfter, second.Attempt.NextAttempt));
        clock.Advance(TimeSpan.FromMinutes(10));
        var third = Assert.Single(await reporter.SendPendingAsync(World.Day));

        Assert.Equal(ReportState.Delivered, third.Attempt.StateAfter);
        Assert.Equal(new[] { 500, 500, 201 }, collector.Requests.Select(static r => r.Status));
        Assert.Equal(new[] { "HTTP 500", "HTTP 500", "HTTP 201" }, (await store.AttemptsAsync(World.Key)).Map(static a => Assert.Single(a.Destinations).Detail));
        Assert.Equal((ReportState.Delivered, 3), Assert.Single(await store.ReportsAsync(World.Day)) is var s ? (s.State, s.Attempts) : default);
    }

    [Fact]
    public async Task Post_AlwaysRejected_GivesUpAfter24Hours_AndKeepsEverything()
    {
        await using var collector = await Collector.StartAsync([503]);
        var store = await World.StoreAsync();
        var clock = World.Clock();
        using var client = collector.Client();
        var reporter = World.Reporter(store, FixedLookup.Rua(collector.Uri), clock, true, new HttpsReportTransport(client, time: clock));

        var states = new List<ReportState>();
        while (states.Count < 50 && (states.Count == 0 || states[^1] == ReportState.Retrying))
        {
            states.AddRange((await reporter.SendPendingAsync(World.Day)).Map(static d => d.Attempt.StateAfter));
            clock.Advance(TimeSpan.FromMinutes(1));
        }

        var attempts = await store.AttemptsAsync(World.Key);
        Assert.Equal(ReportState.Failed, states[^1]);
        Assert.All(states.SkipLast(1), static s => Assert.Equal(ReportState.Retrying, s));
        Assert.Equal(RetrySchedule.Default.Window, attempts.Last.At - attempts.Head.At); // the last attempt is at the end of the window
        Assert.Equal(collector.Requests.Count, attempts.Count);
        Assert.True((await store.GetAsync("company-y.example", World.Day)).IsSome); // the results are kept for inspection
        Assert.Equal(ReportState.Failed, Assert.Single(await store.ReportsAsync(World.Day)).State);
    }

    [Fact]
    public async Task Post_CollectorNeverAnswers_TimesOut_AndTheReportStaysPending()
    {
        await using var collector = await Collector.StartAsync([201], hang: true);
        var store = await World.StoreAsync();
        var clock = World.Clock();
        using var client = collector.Client();
        var transport = new HttpsReportTransport(client, TimeSpan.FromSeconds(30), clock);
        var sending = World.Reporter(store, FixedLookup.Rua(collector.Uri), clock, true, transport).SendPendingAsync(World.Day).AsTask();

        using (var arrived = new CancellationTokenSource(TimeSpan.FromSeconds(30))) // a bound on the test only, nothing asserted on it
        {
            while (collector.Requests.IsEmpty)
            {
                await Task.Delay(10, arrived.Token);
            }
        }

        clock.Advance(TimeSpan.FromSeconds(30));
        var delivery = Assert.Single(await sending);

        Assert.Equal((ReportState.Retrying, DestinationOutcome.TimedOut), (delivery.Attempt.StateAfter, Assert.Single(delivery.Attempt.Destinations).Outcome));
        Assert.True((await store.GetAsync("company-y.example", World.Day)).IsSome);
        Assert.Equal(World.Key, Assert.Single(await store.PendingAsync(World.Day, clock.GetUtcNow().AddMinutes(5))).Report);
    }

    [Fact]
    public async Task EveryRua_IsTriedInRecordOrder_AndOneAcceptingIsEnough()
    {
        await using var collector = await Collector.StartAsync([500, 200]);
        var store = await World.StoreAsync();
        var clock = World.Clock();
        using var client = collector.Client();
        var rua = new[] { "ftp://reports.company-y.example/tlsrpt", collector.Uri, collector.Uri + "?second", "mailto:tlsrpt@company-y.example" };

        var delivery = Assert.Single(await World.Reporter(store, FixedLookup.Rua(rua), clock, true, new HttpsReportTransport(client, time: clock)).SendPendingAsync(World.Day));

        Assert.Equal(ReportState.Delivered, delivery.Attempt.StateAfter);
        Assert.Equal(
            new[] { (rua[0], DestinationOutcome.Unsupported), (rua[1], DestinationOutcome.Rejected), (rua[2], DestinationOutcome.Accepted), (rua[3], DestinationOutcome.Unsupported) },
            delivery.Attempt.Destinations.Map(static d => (d.Uri, d.Outcome)));
        Assert.Equal("delivered to " + rua[2], delivery.Attempt.Detail);
    }

    [Fact]
    public async Task Collector_Unreachable_IsTypedAndRetried()
    {
        var store = await World.StoreAsync();
        var clock = World.Clock();
        var port = SubmissionServer.FreePort();

        await using var collector = await Collector.StartAsync([201]);
        using var client = collector.Client(); // dials 127.0.0.1 at the URI's port, where nothing listens

        var delivery = Assert.Single(await World.Reporter(store, FixedLookup.Rua($"https://{Collector.Host}:{port}/v1/tlsrpt"), clock, true, new HttpsReportTransport(client, time: clock)).SendPendingAsync(World.Day));

        Assert.Equal((ReportState.Retrying, DestinationOutcome.Unreachable), (delivery.Attempt.StateAfter, Assert.Single(delivery.Attempt.Destinations).Outcome));
    }
}
