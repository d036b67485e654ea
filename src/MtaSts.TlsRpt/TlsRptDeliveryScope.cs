namespace MtaSts.TlsRpt;

/// <summary>
/// Marks the code that delivers a TLSRPT report, so that the SMTP sessions it causes are never counted in
/// a report (RFC 8460 §3: the session delivering a report "SHOULD NOT" be included in the next one; without
/// this a report about a failing receiver causes another failing session, and so on daily — the loop of
/// stalwartlabs/stalwart #923). The flag is an <see cref="AsyncLocal{T}"/>: it holds for the calling flow
/// and everything it awaits, and for no other flow. <see cref="Delivery.MailReportTransport"/> enters it
/// around its SMTP send; an application that relays reports through <c>MtaStsSender</c> enters it around
/// that send. Stores keep such sessions apart (<see cref="ITlsRptStore.ReportDeliverySessionsAsync"/>).
/// </summary>
public static class TlsRptDeliveryScope
{
    private static readonly AsyncLocal<int> Depth = new();

    /// <summary>True inside <see cref="Enter"/>'s scope in this flow.</summary>
    public static bool IsActive => Depth.Value > 0;

    /// <summary>Enters the scope until the returned value is disposed.</summary>
    /// <returns>Leaves the scope when disposed.</returns>
    public static IDisposable Enter()
    {
        Depth.Value++;
        return new Exit();
    }

    private sealed class Exit : IDisposable
    {
        private bool done;

        public void Dispose()
        {
            if (!done)
            {
                done = true;
                Depth.Value--;
            }
        }
    }
}
