using LanguageExt;
using MtaSts.MailKit;

namespace MtaSts.TlsRpt;

/// <summary>
/// The TLSRPT store in memory (<see cref="ITlsRptStore"/>): every session merged into the
/// <see cref="DailyResults"/> of its (policy domain, UTC day), and each report's delivery state. Safe for
/// concurrent callers; lost when the process ends (<see cref="SqliteTlsRptStore"/> keeps it in a file).
/// </summary>
public sealed class InMemoryTlsRptStore : ITlsRptStore
{
    private readonly object gate = new();
    private readonly Dictionary<ReportKey, DailyResults> days = [];
    private readonly Dictionary<ReportKey, long> deliverySessions = [];
    private readonly Dictionary<ReportKey, ReportStatus> reports = [];
    private readonly Dictionary<ReportKey, Seq<DeliveryAttempt>> attempts = [];

    /// <inheritdoc/>
    public ValueTask RecordAsync(TlsSession session, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        var (domain, day) = DailyResults.KeyOf(session);
        var key = new ReportKey(domain, day);
        lock (gate)
        {
            if (TlsRptDeliveryScope.IsActive)
            {
                deliverySessions[key] = deliverySessions.GetValueOrDefault(key) + 1; // RFC 8460 §3: never counted
            }
            else
            {
                days[key] = (days.TryGetValue(key, out var old) ? old : DailyResults.Empty(domain, day)).Add(session);
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public ValueTask<Option<DailyResults>> GetAsync(string policyDomain, DateOnly day, CancellationToken cancellationToken = default)
    {
        lock (gate)
        {
            return ValueTask.FromResult(days.TryGetValue(new ReportKey(policyDomain, day), out var r) ? Option<DailyResults>.Some(r) : Option<DailyResults>.None);
        }
    }

    /// <inheritdoc/>
    public ValueTask<Seq<DailyResults>> DayAsync(DateOnly day, CancellationToken cancellationToken = default)
    {
        lock (gate)
        {
            return ValueTask.FromResult(days.Where(kv => kv.Key.Day == day).Select(static kv => kv.Value).OrderBy(static r => r.PolicyDomain, StringComparer.Ordinal).ToSeq().Strict());
        }
    }

    /// <inheritdoc/>
    public ValueTask<Seq<ReportStatus>> PendingAsync(DateOnly throughDay, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        lock (gate)
        {
            return ValueTask.FromResult(days.Keys
                .Where(k => k.Day <= throughDay && k.Day < today)
                .Select(k => reports.TryGetValue(k, out var s) ? s : ReportStatus.New(k))
                .Where(s => TlsRptStores.IsDue(s, now))
                .OrderBy(static s => s.Report.Day).ThenBy(static s => s.Report.PolicyDomain, StringComparer.Ordinal)
                .ToSeq().Strict());
        }
    }

    /// <inheritdoc/>
    public ValueTask<Seq<ReportStatus>> ReportsAsync(DateOnly day, CancellationToken cancellationToken = default)
    {
        lock (gate)
        {
            return ValueTask.FromResult(days.Keys
                .Where(k => k.Day == day)
                .Select(k => reports.TryGetValue(k, out var s) ? s : ReportStatus.New(k))
                .OrderBy(static s => s.Report.PolicyDomain, StringComparer.Ordinal)
                .ToSeq().Strict());
        }
    }

    /// <inheritdoc/>
    public ValueTask RecordAttemptAsync(ReportKey report, DeliveryAttempt attempt, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(attempt);
        lock (gate)
        {
            reports[report] = TlsRptStores.After(reports.TryGetValue(report, out var s) ? s : ReportStatus.New(report), attempt);
            attempts[report] = (attempts.TryGetValue(report, out var a) ? a : Seq<DeliveryAttempt>.Empty).Add(attempt);
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public ValueTask<Seq<DeliveryAttempt>> AttemptsAsync(ReportKey report, CancellationToken cancellationToken = default)
    {
        lock (gate)
        {
            return ValueTask.FromResult(attempts.TryGetValue(report, out var a) ? a : Seq<DeliveryAttempt>.Empty);
        }
    }

    /// <inheritdoc/>
    public ValueTask<long> ReportDeliverySessionsAsync(string policyDomain, DateOnly day, CancellationToken cancellationToken = default)
    {
        lock (gate)
        {
            return ValueTask.FromResult(deliverySessions.GetValueOrDefault(new ReportKey(policyDomain, day)));
        }
    }
}

/// <summary>The store rules both stores share: when a report is due, and the state an attempt leaves.</summary>
internal static class TlsRptStores
{
    /// <summary>Never tried, or retrying and due (see <see cref="ITlsRptStore.PendingAsync"/>).</summary>
    public static bool IsDue(ReportStatus s, DateTimeOffset now) =>
        s.State == ReportState.Pending || s.State == ReportState.Retrying && s.NextAttempt.Match(n => n <= now, static () => true);

    /// <summary>The status after one more attempt: the first attempt starts the window (RFC 8460 §5.5).</summary>
    public static ReportStatus After(ReportStatus before, DeliveryAttempt attempt) => before with
    {
        State = attempt.StateAfter,
        Attempts = before.Attempts + (attempt.StateAfter == ReportState.Skipped ? 0 : 1), // a skip is a decision, not an attempt
        FirstAttempt = before.FirstAttempt.IsSome || attempt.StateAfter == ReportState.Skipped ? before.FirstAttempt : Option<DateTimeOffset>.Some(attempt.At),
        NextAttempt = attempt.StateAfter == ReportState.Retrying ? attempt.NextAttempt : Option<DateTimeOffset>.None,
        Detail = attempt.Detail,
    };
}
