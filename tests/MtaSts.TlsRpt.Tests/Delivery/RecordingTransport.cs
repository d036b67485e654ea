using MtaSts.Functional;
using MtaSts.TlsRpt.Delivery;

namespace MtaSts.TlsRpt.Tests.Delivery;

/// <summary>An in-test transport for one scheme: answers with a fixed outcome and keeps what it was given.</summary>
public sealed class RecordingTransport(ReportingScheme scheme, DestinationOutcome outcome = DestinationOutcome.Accepted, Func<ValueTask>? during = null) : IReportTransport
{
    public List<(TlsRptReport Report, string Uri, bool InDeliveryScope)> Sent { get; } = [];

    public ReportingScheme Scheme => scheme;

    public async ValueTask<DestinationResult> SendAsync(TlsRptReport report, ReportingUri destination, CancellationToken cancellationToken = default)
    {
        Sent.Add((report, destination.Text, TlsRptDeliveryScope.IsActive));
        if (during is not null)
        {
            await during();
        }

        return new DestinationResult(destination.Text, outcome, outcome.ToString());
    }
}
