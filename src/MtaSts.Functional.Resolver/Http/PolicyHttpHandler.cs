using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace MtaSts.Functional.Resolver;

/// <summary>
/// Builds the <see cref="SocketsHttpHandler"/> for policy fetches (RFC 8461 §3.3, §7; C-07):
/// redirects off, no cookies, no proxy, no decompression, TLS 1.2+, the policy host's certificate
/// validated by DNS-ID (M-05) against the system roots plus the configured trust anchors, and —
/// when name servers are configured — the policy host's address resolved through them too.
/// </summary>
internal sealed class PolicyHttpHandler
{
    private readonly MtaStsOptions options;
    private readonly DnsDiscovery dns;
    private readonly ConcurrentDictionary<string, string> rejections = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Creates the handler factory.</summary>
    /// <param name="options">The options.</param>
    /// <param name="dns">The DNS lookups (used when name servers are configured).</param>
    public PolicyHttpHandler(MtaStsOptions options, DnsDiscovery dns)
    {
        this.options = options ?? throw new ArgumentNullException(nameof(options));
        this.dns = dns ?? throw new ArgumentNullException(nameof(dns));
    }

    /// <summary>A new handler with the rules above.</summary>
    /// <returns>The handler.</returns>
    public SocketsHttpHandler Create() => new()
    {
        // RFC 8461 §3.3: "HTTP 3xx redirects MUST NOT be followed".
        AllowAutoRedirect = false,
        UseCookies = false,
        UseProxy = false,
        AutomaticDecompression = DecompressionMethods.None,
        ConnectTimeout = options.FetchTimeout,
        PooledConnectionLifetime = TimeSpan.FromMinutes(1),
        ConnectCallback = ConnectAsync,
        SslOptions = new SslClientAuthenticationOptions
        {
            // RFC 8461 §7.2: TLS 1.2 or later. SNI is the URL host, mta-sts.<domain> (§7.1).
            EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
            CertificateRevocationCheckMode = options.CheckCertificateRevocation ? X509RevocationMode.Online : X509RevocationMode.NoCheck,
            RemoteCertificateValidationCallback = Validate,
        },
    };

    /// <summary>Why the last certificate of <paramref name="host"/> was rejected, if it was (and forgets it).</summary>
    internal string? TakeRejection(string host) => rejections.TryRemove(host, out var why) ? why : null;

    /// <summary>RFC 8461 §3.3 (N-17, N-18): trusted, unexpired, valid for the policy host by DNS-ID only.</summary>
    private bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        var host = (sender as SslStream)?.TargetHostName ?? string.Empty;
        if (certificate is null)
        {
            return Reject(host, "no certificate");
        }

        using var leaf = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        var names = DnsNames(leaf);
        if (!CertificateNames.Matches(names, host))
        {
            return Reject(host, $"certificate not valid for {host}: DNS-ID names [{string.Join(", ", names)}]");
        }

        if (errors == SslPolicyErrors.None)
        {
            return true;
        }

        if (errors != SslPolicyErrors.RemoteCertificateChainErrors)
        {
            return Reject(host, $"certificate rejected: {errors}");
        }

        if (options.TrustAnchors.Count == 0)
        {
            return Reject(host, "certificate chain: " + Describe(chain));
        }

        return ChainsToAnchor(leaf, chain, out var status) || Reject(host, "certificate chain: " + status);
    }

    private bool Reject(string host, string why)
    {
        rejections[host] = why;
        return false;
    }

    /// <summary>The chain built again with the configured anchors as the only roots: callers add trust, never remove checks.</summary>
    private bool ChainsToAnchor(X509Certificate2 leaf, X509Chain? presented, out string status)
    {
        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.CustomTrustStore.AddRange(options.TrustAnchors);
        custom.ChainPolicy.RevocationMode = options.CheckCertificateRevocation ? X509RevocationMode.Online : X509RevocationMode.NoCheck;
        if (presented is not null)
        {
            foreach (var element in presented.ChainElements)
            {
                custom.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }

        var ok = custom.Build(leaf);
        status = Describe(custom);
        return ok;
    }

    private static string Describe(X509Chain? chain) =>
        chain is null || chain.ChainStatus.Length == 0
            ? "not trusted"
            : string.Join(", ", chain.ChainStatus.Select(static s => s.Status).Distinct());

    /// <summary>The DNS-ID (subjectAltName dNSName) entries; the CN is never used (RFC 8461 §3.3, M-05).</summary>
    internal static string[] DnsNames(X509Certificate2 certificate) =>
        certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().SelectMany(static e => e.EnumerateDnsNames()).ToArray();

    /// <summary>Connects to the policy host: its address from the configured name servers, the configured port.</summary>
    private async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var host = context.DnsEndPoint.Host;
        IPAddress[] addresses;
        if (dns.UsesCustomServers)
        {
            var found = await dns.LookupAddressesAsync(host, cancellationToken).ConfigureAwait(false);
            addresses = found.Match(
                Right: static a => a.ToArray(),
                Left: f => throw new HttpRequestException(HttpRequestError.NameResolutionError, $"cannot resolve {host}: {f.Detail}"));
        }
        else
        {
            addresses = await System.Net.Dns.GetHostAddressesAsync(host, cancellationToken).ConfigureAwait(false);
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(addresses, options.PolicyPort, cancellationToken).ConfigureAwait(false);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
