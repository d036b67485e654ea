using LanguageExt;
using MtaSts.MailKit;

namespace MtaSts.TlsRpt.Tests.Store;

/// <summary>The <see cref="ITlsRptStore"/> contract, run against each store: merging per (domain, UTC day), report-delivery sessions, pending, attempts.</summary>
public abstract class StoreContractTests
{
    private static readonly DateOnly Day = new(2016, 4, 1);
    private static readonly ReportKey Key = new("company-y.example", Day);
    private static readonly DateTimeOffset NextMorning = new(2016, 4, 2, 1, 0, 0, TimeSpan.Zero);

    protected abstract ITlsRptStore Create();

    [Fact]
    public async Task Record_KeepsDaysAndDomainsApart()
    {
        var store = Create();
        var other = Sessions.Ok(Sessions.Sts) with { Policy = Sessions.Sts with { PolicyDomain = Sessions.Parse("other.example") } };
        await store.RecordAsync(Sessions.Ok(Sessions.Sts));
        await store.RecordAsync(Sessions.Ok(Sessions.Sts) with { At = Sessions.Noon.AddDays(1) });
        await store.RecordAsync(Sessions.Ok(Sessions.Sts) with { At = new DateTimeOffset(2016, 4, 2, 1, 0, 0, TimeSpan.FromHours(3)) }); // 2016-04-01T22:00Z
        await store.RecordAsync(other);

        Assert.Single(await store.DayAsync(new DateOnly(2016, 4, 2)));
        Assert.Equal(new[] { "company-y.example", "other.example" }, (await store.DayAsync(Day)).Map(static r => r.PolicyDomain));
        var first = (await store.GetAsync("company-y.example", Day)).IfNone(() => throw new InvalidOperationException("missing"));
        Assert.Equal(2, Assert.Single(first.Policies).Value.Successful);
        Assert.True((await store.GetAsync("nowhere.example", Day)).IsNone);
    }

    [Fact]
    public async Task Record_GivesTheSameResultsAsMergingInMemory()
    {
        var store = Create();
        MailKit.TlsSession[] sessions = [.. Sessions.Fixed, Sessions.Failed(Sessions.Sts, 9, new TlsFailureDetail("validation-failure", "tls-remote-alert")) with { ReceivingMxHelo = "mx2.helo.company-y.example", SendingMtaIp = null }];
        foreach (var s in sessions)
        {
            await store.RecordAsync(s);
        }

        var expected = sessions.Aggregate(DailyResults.Empty("company-y.example", Day), static (r, s) => r.Add(s));
        Assert.Equal(expected, (await store.GetAsync("company-y.example", Day)).IfNone(() => throw new InvalidOperationException("missing")));
    }

    [Fact]
    public async Task Record_InsideADeliveryScope_IsKeptApartAndNeverCounted()
    {
        var store = Create();
        await store.RecordAsync(Sessions.Ok(Sessions.Sts, 1));
        using (TlsRptDeliveryScope.Enter())
        {
            Assert.True(TlsRptDeliveryScope.IsActive);
            await store.RecordAsync(Sessions.Failed(Sessions.Sts, 2, new TlsFailureDetail("certificate-expired", null)));
        }

        Assert.False(TlsRptDeliveryScope.IsActive);
        var results = (await store.GetAsync("company-y.example", Day)).IfNone(() => throw new InvalidOperationException("missing"));
        Assert.False(results.HasFailures);
        Assert.Equal(1L, await store.ReportDeliverySessionsAsync("company-y.example", Day));
    }

    [Fact]
    public async Task Record_OnlyDeliverySessions_GivesNoReport()
    {
        var store = Create();
        using (TlsRptDeliveryScope.Enter())
        {
            await store.RecordAsync(Sessions.Failed(Sessions.Sts, 2, new TlsFailureDetail("certificate-expired", null)));
        }

        Assert.Empty(await store.DayAsync(Day));
        Assert.Empty(await store.PendingAsync(Day, NextMorning));
    }

    [Fact]
    public async Task Pending_OnlyEndedAndReleasedDays()
    {
        var store = Create();
        await store.RecordAsync(Sessions.Ok(Sessions.Sts));

        Assert.Empty(await store.PendingAsync(Day, Sessions.Noon)); // the day has not ended
        Assert.Empty(await store.PendingAsync(Day.AddDays(-1), NextMorning)); // not released
        Assert.Equal(Prelude.Seq1(ReportStatus.New(Key)), await store.PendingAsync(Day, NextMorning));
    }

    [Fact]
    public async Task RecordAttempt_Retrying_IsDueAtItsNextAttemptOnly()
    {
        var store = Create();
        await store.RecordAsync(Sessions.Ok(Sessions.Sts));
        var next = NextMorning.AddMinutes(5);
        var failed = new DestinationResult("https://r.example/", DestinationOutcome.Rejected, "HTTP 500");
        await store.RecordAttemptAsync(Key, new DeliveryAttempt(NextMorning, Prelude.Seq1(failed), ReportState.Retrying, next, "no destination accepted the report"));

        Assert.Empty(await store.PendingAsync(Day, next.AddTicks(-1)));
        var due = Assert.Single(await store.PendingAsync(Day, next));
        Assert.Equal(new ReportStatus(Key, ReportState.Retrying, 1, NextMorning, next, "no destination accepted the report"), due);
    }

    [Theory]
    [InlineData(ReportState.Delivered)]
    [InlineData(ReportState.Failed)]
    [InlineData(ReportState.Skipped)]
    public async Task RecordAttempt_FinalState_LeavesPendingButIsKept(ReportState final)
    {
        var store = Create();
        await store.RecordAsync(Sessions.Ok(Sessions.Sts));
        var retry = new DeliveryAttempt(NextMorning, Prelude.Seq1(new DestinationResult("mailto:r@r.example", DestinationOutcome.TimedOut, "no answer")), ReportState.Retrying, NextMorning.AddMinutes(5), "retry");
        var last = new DeliveryAttempt(NextMorning.AddMinutes(5), Prelude.Seq1(new DestinationResult("mailto:r@r.example", DestinationOutcome.Accepted, "250 ok")), final, Option<DateTimeOffset>.None, "last");
        await store.RecordAttemptAsync(Key, retry);
        await store.RecordAttemptAsync(Key, last);

        Assert.Empty(await store.PendingAsync(Day, NextMorning.AddDays(3)));
        var status = Assert.Single(await store.ReportsAsync(Day));
        Assert.Equal((final, final == ReportState.Skipped ? 1 : 2, "last", Option<DateTimeOffset>.Some(NextMorning)), (status.State, status.Attempts, status.Detail, status.FirstAttempt));
        Assert.Equal(Prelude.Seq(retry, last), await store.AttemptsAsync(Key));
    }
}

public sealed class InMemoryStoreContractTests : StoreContractTests
{
    protected override ITlsRptStore Create() => new InMemoryTlsRptStore();
}

public sealed class SqliteStoreContractTests : StoreContractTests, IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("tlsrpt-store-").FullName;
    private int files;

    protected override ITlsRptStore Create() => new SqliteTlsRptStore(Path.Combine(directory, $"store-{Interlocked.Increment(ref files)}.db"));

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(directory, recursive: true);
    }
}
