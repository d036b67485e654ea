using System.Net.Http.Headers;
using System.Security.Authentication;
using MtaSts.Functional.Lifecycle;

namespace MtaSts.Functional.Resolver;

/// <summary>
/// The HTTPS fetch of a policy (RFC 8461 §3.3; DECISIONS C-07, F-09): GET only, no redirects,
/// status 200 only, <c>text/plain</c> with no charset other than utf-8/us-ascii, no HTTP caching or
/// conditional requests, the body streamed and refused past 64 KiB, strict UTF-8, one timeout for
/// headers and body. Every failure is a typed <see cref="FetchOutcome.Failed"/>; only the caller's
/// cancellation throws.
/// </summary>
internal sealed class PolicyFetcher : IPolicyFetcher
{
    /// <summary>The name of the <see cref="HttpClient"/> in <see cref="IHttpClientFactory"/>.</summary>
    public const string HttpClientName = ServiceCollectionExtensions.HttpClientName;

    private readonly Func<HttpClient> client;
    private readonly PolicyHttpHandler? handler;
    private readonly TimeSpan timeout;

    /// <summary>Creates a fetcher.</summary>
    /// <param name="client">Gives the HTTP client (from <see cref="IHttpClientFactory"/>, or one owned by the caller) built on <paramref name="handler"/>.</param>
    /// <param name="handler">The handler factory, to explain certificate rejections; optional.</param>
    /// <param name="options">The options (fetch timeout).</param>
    public PolicyFetcher(Func<HttpClient> client, PolicyHttpHandler? handler, MtaStsOptions options)
    {
        this.client = client ?? throw new ArgumentNullException(nameof(client));
        ArgumentNullException.ThrowIfNull(options);
        this.handler = handler;
        timeout = options.FetchTimeout;
    }

    /// <summary>Fetches the policy of <paramref name="domain"/> from <see cref="PolicyDomain.PolicyUrl"/>.</summary>
    /// <param name="domain">The policy domain.</param>
    /// <param name="cancellationToken">The caller's cancellation (the fetch timeout is separate).</param>
    /// <returns>The fetched policy or the typed failure.</returns>
    public async Task<FetchOutcome> FetchAsync(PolicyDomain domain, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(domain);
        var url = domain.PolicyUrl;

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);

            // RFC 8461 §3.3: HTTP caching MUST NOT be used: ask intermediaries for a fresh copy, send no validators.
            request.Headers.CacheControl = new CacheControlHeaderValue { NoCache = true, NoStore = true };
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/plain"));
            using var response = await client().SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token).ConfigureAwait(false);
            return Check(response) ?? await ReadAsync(response, deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return Failed(FetchFailureKind.Timeout, $"no complete answer from {url.Host} within {timeout.TotalSeconds:0.###} s");
        }
        catch (HttpRequestException e) when (e.InnerException is AuthenticationException)
        {
            // A certificate the handler rejected is sts-webpki-invalid; any other TLS handshake failure is a fetch error.
            return handler?.TakeRejection(url.Host) is { } why
                ? Failed(FetchFailureKind.Certificate, why)
                : Failed(FetchFailureKind.Network, $"{url.Host}: TLS handshake failed: {e.InnerException.Message}");
        }
        catch (HttpRequestException e)
        {
            return Failed(FetchFailureKind.Network, $"{url.Host}: {e.Message}");
        }
        catch (IOException e)
        {
            return Failed(FetchFailureKind.Network, $"{url.Host}: {e.Message}");
        }
    }

    /// <summary>The head rules of <see cref="PolicyResponse.CheckHead"/> on the raw headers; null when the body should be read.</summary>
    private static FetchOutcome? Check(HttpResponseMessage response)
    {
        var contentType = response.Content.Headers.NonValidated.TryGetValues("Content-Type", out var values) ? string.Join(", ", values) : null;
        var head = PolicyResponse.CheckHead((int)response.StatusCode, response.Headers.Location?.ToString(), contentType, response.Content.Headers.ContentLength);
        return head.IsSome ? new FetchOutcome.Failed((FetchFailure)head) : null;
    }

    /// <summary>Reads at most 64 KiB + 1 byte: more is refused, never truncated (N-24, C-07); the body rules are <see cref="PolicyResponse.FromBody"/>.</summary>
    private static async Task<FetchOutcome> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            var buffer = new byte[Policy.MaxBytes + 1];
            var filled = 0;
            int read;
            while (filled < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(filled), cancellationToken).ConfigureAwait(false)) > 0)
            {
                filled += read;
            }

            return PolicyResponse.FromBody(buffer.AsSpan(0, filled));
        }
    }

    private static FetchOutcome Failed(FetchFailureKind kind, string detail) => new FetchOutcome.Failed(new FetchFailure(kind, detail));
}
