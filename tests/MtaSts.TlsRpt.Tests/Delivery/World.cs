using LanguageExt;
using Microsoft.Extensions.Time.Testing;
using MtaSts.Functional;
using MtaSts.Functional.Resolver;
using MtaSts.TlsRpt.Delivery;

namespace MtaSts.TlsRpt.Tests.Delivery;

/// <summary>A lookup that always gives the same answer, counting its calls.</summary>
public sealed class FixedLookup(TlsRptOutcome answer) : ITlsRptLookup
{
    public int Calls { get; private set; }

    public static FixedLookup Rua(params string[] rua) =>
        Txt(TlsRptRecord.Create(rua).Match(static r => r, static e => throw new InvalidOperationException(e.Render())).Render());

    public static FixedLookup Txt(params string[] records) => new(TlsRptOutcome.From(records.Select(static r => new[] { r })));

    public Task<TlsRptOutcome> LookupTlsRptAsync(PolicyDomain domain, CancellationToken cancellationToken = default)
    {
        Calls++;
        return Task.FromResult(answer);
    }
}

/// <summary>The sessions of 2016-04-01 in a store, a fake clock at 2016-04-02 01:00Z, and a reporter over given transports.</summary>
public static class World
{
    public static readonly DateOnly Day = new(2016, 4, 1);
    public static readonly ReportKey Key = new("company-y.example", Day);
    public static readonly DateTimeOffset NextMorning = new(2016, 4, 2, 1, 0, 0, TimeSpan.Zero);
    public static readonly TlsRptSender Sender = new("Company-X", "sts-reporting@company-x.example", "mail.company-x.example");

    public static async Task<ITlsRptStore> StoreAsync(IEnumerable<MailKit.TlsSession>? sessions = null)
    {
        var store = new InMemoryTlsRptStore();
        foreach (var s in sessions ?? Sessions.Fixed)
        {
            await store.RecordAsync(s);
        }

        return store;
    }

    public static FakeTimeProvider Clock() => new(NextMorning);

    public static TlsRptReporter Reporter(ITlsRptStore store, ITlsRptLookup lookup, TimeProvider time, bool onlyFailures = true, params IReportTransport[] transports) =>
        new(store, lookup, transports, new TlsRptReporterOptions { Sender = Sender, OnlyDaysWithFailures = onlyFailures }, time);
}
