using LanguageExt;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using MtaSts.Functional;
using MtaSts.Functional.Resolver;

namespace MtaSts.TlsRpt.Delivery;

/// <summary>What the reporter does: who reports, which days, how retries are spaced.</summary>
public sealed record TlsRptReporterOptions
{
    /// <summary>Who reports (<c>organization-name</c>, <c>contact-info</c>, the §5.1 sender).</summary>
    public required TlsRptSender Sender { get; init; }

    /// <summary>True (default, as mox): a day whose sessions all succeeded is skipped; false: every day is reported.</summary>
    public bool OnlyDaysWithFailures { get; init; } = true;

    /// <summary>When failed deliveries are tried again (RFC 8460 §5.5).</summary>
    public RetrySchedule Retry { get; init; } = RetrySchedule.Default;
}

/// <summary>One report's attempt: which report, and what the attempt did.</summary>
/// <param name="Report">The report.</param>
/// <param name="Attempt">The attempt as stored.</param>
public sealed record ReportDelivery(ReportKey Report, DeliveryAttempt Attempt);

/// <summary>
/// Sends the pending reports of a store: for each, the policy domain's TLSRPT record is looked up, the report
/// built from the stored results, and every <c>rua</c> tried in record order (RFC 8460 §3: a report "SHOULD NOT
/// be considered successfully delivered until one of the endpoints accepts"); the attempt and the state it
/// leaves (delivered, retrying at <see cref="RetrySchedule.Next"/>, failed, skipped) are one committed store
/// write, and each is logged. Nothing here throws for network, DNS or destination problems.
/// </summary>
public sealed class TlsRptReporter
{
    private readonly ITlsRptStore store;
    private readonly ITlsRptLookup lookup;
    private readonly IReadOnlyDictionary<ReportingScheme, IReportTransport> transports;
    private readonly TimeProvider time;
    private readonly ILogger logger;

    /// <summary>Creates the reporter.</summary>
    /// <param name="store">Where sessions and delivery state are kept.</param>
    /// <param name="lookup">The <c>_smtp._tls</c> record lookup (the resolver's <c>TlsRptDnsLookup.Create(options)</c>).</param>
    /// <param name="transports">One transport per scheme; a scheme without one gives <see cref="DestinationOutcome.Unsupported"/>.</param>
    /// <param name="options">Who reports and how.</param>
    /// <param name="time">The clock.</param>
    /// <param name="logger">Where each attempt is logged.</param>
    public TlsRptReporter(ITlsRptStore store, ITlsRptLookup lookup, IEnumerable<IReportTransport> transports, TlsRptReporterOptions options, TimeProvider? time = null, ILogger<TlsRptReporter>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(lookup);
        ArgumentNullException.ThrowIfNull(transports);
        ArgumentNullException.ThrowIfNull(options);
        this.store = store;
        this.lookup = lookup;
        this.transports = transports.ToDictionary(static t => t.Scheme);
        Options = options;
        this.time = time ?? TimeProvider.System;
        this.logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>The options.</summary>
    public TlsRptReporterOptions Options { get; }

    /// <summary>Attempts every report due now for days up to <paramref name="throughDay"/> (<see cref="ITlsRptStore.PendingAsync"/>).</summary>
    /// <param name="throughDay">The last day released for sending.</param>
    /// <param name="cancellationToken">Cancels the run (the only exception it throws).</param>
    /// <returns>Each attempt made, in order.</returns>
    public async ValueTask<Seq<ReportDelivery>> SendPendingAsync(DateOnly throughDay, CancellationToken cancellationToken = default)
    {
        var due = await store.PendingAsync(throughDay, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        var done = new List<ReportDelivery>();
        foreach (var status in due)
        {
            var attempt = await AttemptAsync(status, cancellationToken).ConfigureAwait(false);
            await store.RecordAttemptAsync(status.Report, attempt, cancellationToken).ConfigureAwait(false);
            Log(status.Report, attempt);
            done.Add(new ReportDelivery(status.Report, attempt));
        }

        return done.ToSeq().Strict();
    }

    private async ValueTask<DeliveryAttempt> AttemptAsync(ReportStatus status, CancellationToken cancellationToken)
    {
        var at = time.GetUtcNow();
        var results = await store.GetAsync(status.Report.PolicyDomain, status.Report.Day, cancellationToken).ConfigureAwait(false);
        if (results.IsNone)
        {
            return Skip(at, "no counted sessions");
        }

        var day = (DailyResults)results;
        if (status.State == ReportState.Pending && Options.OnlyDaysWithFailures && !day.HasFailures)
        {
            return Skip(at, "no failed session that day (only days with failures are reported)");
        }

        var domain = PolicyDomain.Parse(day.PolicyDomain);
        if (domain.IsLeft)
        {
            return Skip(at, "the stored policy domain is not a domain: " + domain.Match(static _ => string.Empty, static e => e.Render()));
        }

        var found = await lookup.LookupTlsRptAsync((PolicyDomain)domain, cancellationToken).ConfigureAwait(false);
        switch (found)
        {
            case TlsRptOutcome.NoRecord:
                return Skip(at, "no TLSRPT record"); // RFC 8460 §3: the domain does not implement TLSRPT
            case TlsRptOutcome.Unusable unusable:
                return Skip(at, "no usable TLSRPT record: " + unusable.Error.Render()); // §3: "MUST assume" no TLSRPT
            case TlsRptOutcome.TemporaryFailure failure:
                return Failed(status, at, Seq<DestinationResult>.Empty, "TLSRPT record lookup failed: " + failure.Detail); // C-05: unknown, so retried
            case TlsRptOutcome.Found record:
                var report = TlsRptReport.Build(Options.Sender, day);
                var tried = new List<DestinationResult>();
                foreach (var destination in record.Record.Destinations)
                {
                    tried.Add(await SendAsync(report, destination, cancellationToken).ConfigureAwait(false));
                }

                var outcomes = tried.ToSeq().Strict();
                var accepted = outcomes.Filter(static r => r.Accepted);
                return accepted.IsEmpty
                    ? Failed(status, at, outcomes, "no destination accepted the report")
                    : new DeliveryAttempt(at, outcomes, ReportState.Delivered, Option<DateTimeOffset>.None, "delivered to " + string.Join(", ", accepted.Map(static r => r.Uri)));
            default:
                throw new System.Diagnostics.UnreachableException();
        }
    }

    private async ValueTask<DestinationResult> SendAsync(TlsRptReport report, ReportingUri destination, CancellationToken cancellationToken)
    {
        if (destination.Scheme == ReportingScheme.Unsupported)
        {
            return new DestinationResult(destination.Text, DestinationOutcome.Unsupported, "not a mailto: or https: URI (RFC 8460 §3)");
        }

        if (!transports.TryGetValue(destination.Scheme, out var transport))
        {
            return new DestinationResult(destination.Text, DestinationOutcome.Unsupported, $"no {destination.Scheme} transport configured");
        }

        using var scope = TlsRptDeliveryScope.Enter(); // RFC 8460 §3: whatever sessions a transport causes are never counted
        return await transport.SendAsync(report, destination, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A failed attempt: retrying at the schedule's next time, or failed when the 24-hour window is over.</summary>
    private DeliveryAttempt Failed(ReportStatus status, DateTimeOffset at, Seq<DestinationResult> tried, string why)
    {
        var first = status.FirstAttempt.IfNone(at);
        var next = Options.Retry.Next(status.Attempts + 1, first, at);
        return next.Match(
            n => new DeliveryAttempt(at, tried, ReportState.Retrying, n, why),
            () => new DeliveryAttempt(at, tried, ReportState.Failed, Option<DateTimeOffset>.None, why + "; giving up (RFC 8460 §5.5: 24 hours of retries)"));
    }

    private static DeliveryAttempt Skip(DateTimeOffset at, string why) => new(at, Seq<DestinationResult>.Empty, ReportState.Skipped, Option<DateTimeOffset>.None, why);

    private void Log(ReportKey report, DeliveryAttempt attempt)
    {
        var destinations = string.Join("; ", attempt.Destinations.Map(static d => $"{d.Uri}: {d.Outcome} {d.Detail}"));
        var level = attempt.StateAfter switch
        {
            ReportState.Delivered or ReportState.Skipped => LogLevel.Information,
            ReportState.Retrying => LogLevel.Warning,
            _ => LogLevel.Error,
        };
        logger.Log(level, "TLSRPT report {Domain} {Day}: {State} ({Detail}) [{Destinations}]", report.PolicyDomain, report.Day, attempt.StateAfter, attempt.Detail, destinations);
    }
}
