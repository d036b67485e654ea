using LanguageExt;

namespace MtaSts.TlsRpt.Delivery;

/// <summary>
/// When a report no destination accepted is tried again (RFC 8460 §5.5: "SHOULD attempt redelivery for up
/// to 24 hours after the initial attempt … ideally … with exponential backoff"): a pure function of the
/// attempts made, the first attempt and now. After attempt n the delay is
/// <c>min(Initial · 2^(n−1), Maximum)</c>; the last attempt is at the end of the window; after it, None
/// (the report is <see cref="ReportState.Failed"/> and kept for inspection).
/// </summary>
/// <param name="Initial">The delay after the first failed attempt.</param>
/// <param name="Maximum">The longest delay between two attempts.</param>
/// <param name="Window">How long after the first attempt retries stop.</param>
public sealed record RetrySchedule(TimeSpan Initial, TimeSpan Maximum, TimeSpan Window)
{
    /// <summary>5 minutes doubling up to 4 hours, for 24 hours: 12 attempts in all (the first and 11 retries).</summary>
    public static RetrySchedule Default { get; } = new(TimeSpan.FromMinutes(5), TimeSpan.FromHours(4), TimeSpan.FromHours(24));

    /// <summary>The next attempt after <paramref name="attempts"/> failed ones, or None when the window is over.</summary>
    /// <param name="attempts">Failed attempts so far (1 after the first).</param>
    /// <param name="firstAttempt">When the first attempt was made.</param>
    /// <param name="now">When the last attempt failed.</param>
    /// <returns>When to try again, or None.</returns>
    public Option<DateTimeOffset> Next(int attempts, DateTimeOffset firstAttempt, DateTimeOffset now)
    {
        var end = firstAttempt + Window;
        if (attempts < 1 || now >= end)
        {
            return attempts < 1 ? now : Option<DateTimeOffset>.None;
        }

        var ticks = Initial.Ticks * Math.Pow(2, Math.Min(attempts - 1, 62));
        var delay = ticks >= Maximum.Ticks ? Maximum : TimeSpan.FromTicks((long)ticks);
        var next = now + delay;
        return next < end ? next : end;
    }
}
