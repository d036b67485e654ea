using System.Globalization;
using System.Net.Http.Headers;
using MtaSts.Functional;

namespace MtaSts.TlsRpt.Delivery;

/// <summary>
/// RFC 8460 §5.4: the gzip report (§5.2) POSTed to an <c>https:</c> <c>rua</c> with
/// <c>Content-Type: application/tlsrpt+gzip</c>; any 2xx is success ("typically a 200 or 201"). Each
/// request is bounded by <see cref="Timeout"/>; redirects are not followed (a 3xx is a rejection).
/// </summary>
public sealed class HttpsReportTransport : IReportTransport
{
    /// <summary>The media type of a compressed report (RFC 8460 §6.4).</summary>
    public const string GzipMediaType = "application/tlsrpt+gzip";

    private readonly HttpClient client;
    private readonly TimeProvider time;

    /// <summary>Creates the transport.</summary>
    /// <param name="client">The client to POST with (not disposed here); null for one without redirects that validates certificates.</param>
    /// <param name="timeout">The bound on one POST (default 2 minutes, as Stalwart).</param>
    /// <param name="time">The clock of the timeout.</param>
    public HttpsReportTransport(HttpClient? client = null, TimeSpan? timeout = null, TimeProvider? time = null)
    {
        // Bounded per request below, by Timeout (a given client's own Timeout applies as well).
        this.client = client ?? new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }) { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
        Timeout = timeout ?? TimeSpan.FromMinutes(2);
        this.time = time ?? TimeProvider.System;
    }

    /// <summary>The bound on one POST.</summary>
    public TimeSpan Timeout { get; }

    /// <inheritdoc/>
    public ReportingScheme Scheme => ReportingScheme.Https;

    /// <inheritdoc/>
    public async ValueTask<DestinationResult> SendAsync(TlsRptReport report, ReportingUri destination, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(destination);
        if (!Uri.TryCreate(destination.Text, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps)
        {
            return new DestinationResult(destination.Text, DestinationOutcome.Unsupported, "not an https URI .NET can use");
        }

        using var timeout = new CancellationTokenSource(Timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        using var content = new ByteArrayContent(report.Gzip());
        content.Headers.ContentType = new MediaTypeHeaderValue(GzipMediaType);
        using var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = content };
        try
        {
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token).ConfigureAwait(false);
            var status = string.Create(CultureInfo.InvariantCulture, $"HTTP {(int)response.StatusCode}");
            return new DestinationResult(destination.Text, response.IsSuccessStatusCode ? DestinationOutcome.Accepted : DestinationOutcome.Rejected, status);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new DestinationResult(destination.Text, DestinationOutcome.TimedOut, string.Create(CultureInfo.InvariantCulture, $"no answer within {Timeout.TotalSeconds:0.###} s"));
        }
        catch (HttpRequestException e)
        {
            return new DestinationResult(destination.Text, DestinationOutcome.Unreachable, e.InnerException is { } inner ? $"{e.Message} ({inner.Message})" : e.Message);
        }
    }
}
