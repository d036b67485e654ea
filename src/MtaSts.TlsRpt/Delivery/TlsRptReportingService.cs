using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace MtaSts.TlsRpt.Delivery;

/// <summary>When the daily reports go out.</summary>
public sealed record TlsRptScheduleOptions
{
    /// <summary>The longest random delay after 00:00 UTC before the previous day's reports are sent (RFC 8460 §4.1 "after some delay"; default 4 hours, as the RFC's example and mox's spread).</summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromHours(4);

    /// <summary>How often due retries are looked for between the daily runs (default 5 minutes, the first retry delay).</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMinutes(5);
}

/// <summary>
/// The hosted daily sender: after 00:00 UTC plus a random delay in [0, <see cref="TlsRptScheduleOptions.MaxDelay"/>)
/// (drawn once per day from the injected random source) it releases the previous UTC day and sends its
/// reports (<see cref="TlsRptReporter.SendPendingAsync"/>); between those runs it wakes every
/// <see cref="TlsRptScheduleOptions.PollInterval"/> for due retries of released days. Driven by
/// <see cref="TimeProvider"/>. At start the day before today is released at today's time (at once when
/// that time has passed), so a restart never skips a day and never sends a day twice (the store knows).
/// </summary>
public sealed class TlsRptReportingService : BackgroundService
{
    private readonly TlsRptReporter reporter;
    private readonly TlsRptScheduleOptions options;
    private readonly TimeProvider time;
    private readonly Random random;
    private readonly ILogger logger;
    private int sleeps;

    /// <summary>Creates the service.</summary>
    /// <param name="reporter">Sends the reports.</param>
    /// <param name="options">When.</param>
    /// <param name="time">The clock.</param>
    /// <param name="random">The random source of the daily delay (<see cref="Random.Shared"/> by default).</param>
    /// <param name="logger">Where runs are logged.</param>
    public TlsRptReportingService(TlsRptReporter reporter, TlsRptScheduleOptions? options = null, TimeProvider? time = null, Random? random = null, ILogger<TlsRptReportingService>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(reporter);
        this.reporter = reporter;
        this.options = options ?? new TlsRptScheduleOptions();
        this.time = time ?? TimeProvider.System;
        this.random = random ?? Random.Shared;
        this.logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>The last day released for sending, if any yet.</summary>
    public DateOnly? ReleasedThrough { get; private set; }

    /// <summary>When the next day is released.</summary>
    public DateTimeOffset NextRelease { get; private set; }

    /// <summary>How many times the loop has gone to sleep (tests wait on it instead of on the wall clock).</summary>
    internal int Sleeps => Volatile.Read(ref sleeps);

    /// <summary>The UTC midnight that starts <paramref name="day"/>.</summary>
    /// <param name="day">A day.</param>
    /// <returns>Its start.</returns>
    internal static DateTimeOffset StartOf(DateOnly day) => new(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

    /// <inheritdoc/>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var next = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime).AddDays(-1); // the next day to release
        NextRelease = ReleaseTime(next);
        while (!stoppingToken.IsCancellationRequested)
        {
            var now = time.GetUtcNow();
            while (now >= NextRelease)
            {
                ReleasedThrough = next;
                logger.LogInformation("TLSRPT: sending the reports of {Day}", next);
                next = next.AddDays(1);
                NextRelease = ReleaseTime(next);
            }

            if (ReleasedThrough is { } through)
            {
                try
                {
                    await reporter.SendPendingAsync(through, stoppingToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogError(e, "TLSRPT: sending the pending reports failed; trying again in {Interval}", options.PollInterval); // the daily sender must not die
                }
            }

            var wake = NextRelease - time.GetUtcNow();
            var delay = wake < options.PollInterval ? wake : options.PollInterval;
            Interlocked.Increment(ref sleeps);
            await Task.Delay(delay > TimeSpan.Zero ? delay : TimeSpan.Zero, time, stoppingToken).ConfigureAwait(false);
        }
    }

    /// <summary>00:00 UTC of the day after <paramref name="day"/>, plus the day's random delay.</summary>
    private DateTimeOffset ReleaseTime(DateOnly day) => StartOf(day.AddDays(1)) + options.MaxDelay * random.NextDouble();
}
