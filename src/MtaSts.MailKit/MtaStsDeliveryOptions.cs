using System.Security.Cryptography.X509Certificates;

namespace MtaSts.MailKit;

/// <summary>Settings of <see cref="MtaStsSender"/>. The policy lookup itself is configured on the resolver (<c>MtaStsOptions</c>).</summary>
public sealed class MtaStsDeliveryOptions
{
    /// <summary>
    /// The TCP port of every MX. SMTP between MTAs is port 25 (RFC 5321 §4.5.4.2); change it only to
    /// point the sender at test or private infrastructure (the MX host name, SNI and certificate name do not change).
    /// </summary>
    public int SmtpPort { get; set; } = 25;

    /// <summary>The EHLO name; null uses MailKit's default (the local host name).</summary>
    public string? LocalDomain { get; set; }

    /// <summary>
    /// Bound on one attempt (connect, STARTTLS, the whole SMTP transaction) with one MX address (default
    /// 5 minutes, RFC 5321 §4.5.3.2 order of magnitude). When it runs out the attempt counts as a transient failure.
    /// </summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Extra certificate authorities trusted for MX certificates, in addition to the system's (private PKI,
    /// tests). Validation stays on: the chain must end at one of them or at a system root, be unexpired,
    /// and name the MX host in a DNS-ID (RFC 8461 §4.2, M-05).
    /// </summary>
    public X509Certificate2Collection TrustAnchors { get; } = [];

    /// <summary>
    /// Check MX certificates for revocation (default off: RFC 8461 §4.2 does not require it, and an
    /// unreachable OCSP/CRL server would otherwise turn into <c>certificate-not-trusted</c> under enforce).
    /// </summary>
    public bool CheckCertificateRevocation { get; set; }
}
