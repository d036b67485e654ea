using LanguageExt;
using MtaSts.MailKit;

namespace MtaSts.TlsRpt;

/// <summary>
/// The TLSRPT store port (RFC 8460 §4.1): sessions merged per (policy domain, UTC day), and the delivery
/// state of each day's report. Implemented in memory (<see cref="InMemoryTlsRptStore"/>) and in one
/// SQLite file (<see cref="SqliteTlsRptStore"/>). Every method is safe for concurrent callers.
/// </summary>
/// <remarks>
/// <para>Recording (<see cref="ITlsSessionRecorder.RecordAsync"/>): the session is kept under
/// (<c>session.Policy.PolicyDomain</c>, UTC day of <c>session.At</c>). A session recorded while
/// <see cref="TlsRptDeliveryScope.IsActive"/> is true (the SMTP session that delivers a report) is kept as a
/// report-delivery session and never counted in a report (RFC 8460 §3: it "SHOULD NOT" be included).</para>
/// <para>A report (one policy domain, one day) is <see cref="ReportState.Pending"/> once its day has ended
/// and it has not been tried, <see cref="ReportState.Retrying"/> after a failed attempt with a next attempt
/// scheduled, and leaves the pending list as <see cref="ReportState.Delivered"/> (one destination accepted),
/// <see cref="ReportState.Failed"/> (the 24-hour retry window of RFC 8460 §5.5 ran out; kept for
/// inspection) or <see cref="ReportState.Skipped"/> (not sent by choice, e.g. a day without failures).</para>
/// </remarks>
public interface ITlsRptStore : ITlsSessionRecorder
{
    /// <summary>The counted results of one policy domain and day, when any counted session was recorded.</summary>
    /// <param name="policyDomain">The policy domain (A-labels).</param>
    /// <param name="day">The UTC day.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The results, or None.</returns>
    ValueTask<Option<DailyResults>> GetAsync(string policyDomain, DateOnly day, CancellationToken cancellationToken = default);

    /// <summary>The counted results of every policy domain with sessions on <paramref name="day"/>, ordered by domain (ordinal).</summary>
    /// <param name="day">The UTC day.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The results of that day.</returns>
    ValueTask<Seq<DailyResults>> DayAsync(DateOnly day, CancellationToken cancellationToken = default);

    /// <summary>
    /// The reports due at <paramref name="now"/>: days up to and including <paramref name="throughDay"/> (and
    /// before the UTC day of <paramref name="now"/>) with counted sessions, never tried, or retrying with
    /// the next attempt at or before <paramref name="now"/>. Ordered by day, then domain.
    /// </summary>
    /// <param name="throughDay">The last day released for sending (the scheduler's previous UTC day).</param>
    /// <param name="now">The current time.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The due reports with their state so far.</returns>
    ValueTask<Seq<ReportStatus>> PendingAsync(DateOnly throughDay, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>The delivery state of every report of <paramref name="day"/> (for inspection), ordered by domain.</summary>
    /// <param name="day">The UTC day.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>Each report with counted sessions that day, with its state.</returns>
    ValueTask<Seq<ReportStatus>> ReportsAsync(DateOnly day, CancellationToken cancellationToken = default);

    /// <summary>Records one delivery attempt and the state it leaves the report in (one committed write).</summary>
    /// <param name="report">The report.</param>
    /// <param name="attempt">What the attempt did and what follows.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>When recorded.</returns>
    ValueTask RecordAttemptAsync(ReportKey report, DeliveryAttempt attempt, CancellationToken cancellationToken = default);

    /// <summary>Every attempt recorded for a report, oldest first (the failure log kept for inspection).</summary>
    /// <param name="report">The report.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The attempts.</returns>
    ValueTask<Seq<DeliveryAttempt>> AttemptsAsync(ReportKey report, CancellationToken cancellationToken = default);

    /// <summary>How many report-delivery sessions (never counted) were recorded for a policy domain and day.</summary>
    /// <param name="policyDomain">The policy domain (A-labels).</param>
    /// <param name="day">The UTC day.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The number of sessions recorded inside a <see cref="TlsRptDeliveryScope"/>.</returns>
    ValueTask<long> ReportDeliverySessionsAsync(string policyDomain, DateOnly day, CancellationToken cancellationToken = default);
}

/// <summary>One report: a policy domain and a UTC day (RFC 8460 §4.1).</summary>
/// <param name="PolicyDomain">The policy domain (A-labels).</param>
/// <param name="Day">The UTC day.</param>
public sealed record ReportKey(string PolicyDomain, DateOnly Day);

/// <summary>Where a report is in its delivery (see <see cref="ITlsRptStore"/>).</summary>
public enum ReportState
{
    /// <summary>Not tried yet.</summary>
    Pending,

    /// <summary>Tried, no destination accepted, another attempt scheduled.</summary>
    Retrying,

    /// <summary>A destination accepted it.</summary>
    Delivered,

    /// <summary>No destination accepted it within the retry window; kept for inspection.</summary>
    Failed,

    /// <summary>Not sent by choice (a day without failures when only such days are reported, or no TLSRPT record).</summary>
    Skipped,
}

/// <summary>The delivery state of one report.</summary>
/// <param name="Report">The report.</param>
/// <param name="State">Its state.</param>
/// <param name="Attempts">How many attempts were made.</param>
/// <param name="FirstAttempt">When it was first tried (the start of the 24-hour window), if ever.</param>
/// <param name="NextAttempt">When it is due again (<see cref="ReportState.Retrying"/> only).</param>
/// <param name="Detail">What the last attempt did: where it was delivered, or why it failed or was skipped.</param>
public sealed record ReportStatus(ReportKey Report, ReportState State, int Attempts, Option<DateTimeOffset> FirstAttempt, Option<DateTimeOffset> NextAttempt, string Detail)
{
    /// <summary>A report never tried.</summary>
    /// <param name="report">The report.</param>
    /// <returns>Its pending state.</returns>
    public static ReportStatus New(ReportKey report) => new(report, ReportState.Pending, 0, Option<DateTimeOffset>.None, Option<DateTimeOffset>.None, string.Empty);
}

/// <summary>One delivery attempt of a report: each destination's result and the state it leaves the report in.</summary>
/// <param name="At">When the attempt started.</param>
/// <param name="Destinations">Each <c>rua</c> tried, in record order.</param>
/// <param name="StateAfter">The report's state after the attempt.</param>
/// <param name="NextAttempt">When to try again (<see cref="ReportState.Retrying"/> only).</param>
/// <param name="Detail">A one-line summary (delivered to, or why not).</param>
public sealed record DeliveryAttempt(DateTimeOffset At, Seq<DestinationResult> Destinations, ReportState StateAfter, Option<DateTimeOffset> NextAttempt, string Detail);

/// <summary>What one destination did with a report.</summary>
/// <param name="Uri">The <c>rua</c> URI.</param>
/// <param name="Outcome">The typed outcome.</param>
/// <param name="Detail">The status code or reply, or the error.</param>
public sealed record DestinationResult(string Uri, DestinationOutcome Outcome, string Detail)
{
    /// <summary>True when the destination accepted the report.</summary>
    public bool Accepted => Outcome == DestinationOutcome.Accepted;
}

/// <summary>The typed outcome of sending a report to one destination.</summary>
public enum DestinationOutcome
{
    /// <summary>HTTPS 2xx, or the submission server accepted the mail (RFC 8460 §5.3, §5.4).</summary>
    Accepted,

    /// <summary>The collector answered with a non-2xx status, or the SMTP server refused the mail.</summary>
    Rejected,

    /// <summary>No answer within the bounded time.</summary>
    TimedOut,

    /// <summary>Could not connect or the connection broke (DNS, TCP, TLS).</summary>
    Unreachable,

    /// <summary>The URI's scheme is not <c>mailto:</c> or <c>https:</c>, or no transport for it is configured (RFC 8460 §3, T-04).</summary>
    Unsupported,
}
