using MtaSts.Functional;

namespace MtaSts.TlsRpt.Delivery;

/// <summary>Delivers a report to one <c>rua</c> destination of one scheme (RFC 8460 §5.3 mail, §5.4 HTTPS).</summary>
public interface IReportTransport
{
    /// <summary>The scheme this transport delivers to.</summary>
    ReportingScheme Scheme { get; }

    /// <summary>Sends the report; never throws for network or protocol problems (only for cancellation).</summary>
    /// <param name="report">The report.</param>
    /// <param name="destination">The destination (of <see cref="Scheme"/>).</param>
    /// <param name="cancellationToken">Cancels the send.</param>
    /// <returns>The typed outcome.</returns>
    ValueTask<DestinationResult> SendAsync(TlsRptReport report, ReportingUri destination, CancellationToken cancellationToken = default);
}
