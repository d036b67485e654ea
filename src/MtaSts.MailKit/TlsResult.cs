using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using LanguageExt;
using MtaSts.Functional;
using MtaSts.Functional.Resolver;

namespace MtaSts.MailKit;

/// <summary>
/// What STARTTLS with one MX gave, measured by this package (RFC 8461 §4.2, M-04): the core's
/// <see cref="TlsOutcome"/>, the failures behind it with their RFC 8460 reason codes, and a line for people.
/// </summary>
public sealed record TlsResult
{
    private TlsResult(TlsOutcome outcome, Seq<(FailureKind Kind, string? Code)> failures, string? detail)
    {
        Outcome = outcome;
        Failures = failures;
        Detail = detail;
    }

    /// <summary>No TLS session was attempted (refused before connecting, or the connection failed first).</summary>
    public static TlsResult NotNegotiated { get; } = new(TlsOutcome.NotNegotiated, Seq<(FailureKind, string?)>.Empty, null);

    /// <summary>STARTTLS succeeded with a trusted, unexpired certificate naming the MX host in a DNS-ID.</summary>
    public static TlsResult Valid { get; } = new(TlsOutcome.Valid, Seq<(FailureKind, string?)>.Empty, null);

    /// <summary>The outcome the core's <see cref="Enforcement.Enforce(Policy, string, TlsOutcome)"/> takes.</summary>
    public TlsOutcome Outcome { get; }

    /// <summary>Every failure seen, the first one deciding <see cref="Outcome"/>, each with its <c>failure-reason-code</c>.</summary>
    public Seq<(FailureKind Kind, string? Code)> Failures { get; }

    /// <summary>What was seen, for logs (chain status, DNS-IDs, the reply); null when valid.</summary>
    public string? Detail { get; }

    /// <summary>True when a session was attempted and failed validation.</summary>
    public bool IsFailure => !Failures.IsEmpty;

    /// <summary>The RFC 8460 failure details of this result.</summary>
    public Seq<TlsFailureDetail> FailureDetails => Failures.Map(static f => new TlsFailureDetail(f.Kind.ResultType(), f.Code));

    /// <inheritdoc/>
    public override string ToString() => IsFailure
        ? $"{Outcome} ({string.Join(", ", Failures.Map(static f => f.Code is null ? f.Kind.ResultType() : $"{f.Kind.ResultType()}: {f.Code}"))}){(Detail is null ? string.Empty : "; " + Detail)}"
        : Outcome.ToString();

    /// <summary>A failed session: the first failure decides the outcome.</summary>
    internal static TlsResult Failed(Seq<(FailureKind Kind, string? Code)> failures, string? detail) =>
        failures.IsEmpty ? Valid : new(OutcomeOf(failures.Head.Kind), failures, detail);

    /// <summary>A failed session with one failure.</summary>
    internal static TlsResult Failed(FailureKind kind, string? code, string? detail) =>
        Failed(Prelude.Seq1((kind, code)), detail);

    // The one place where a measured failure becomes the core's TLS outcome (M-04); MxMismatch is never a TLS outcome (§4.1).
    private static TlsOutcome OutcomeOf(FailureKind kind) =>
        TlsOutcome.Failed(kind == FailureKind.MxMismatch ? FailureKind.ValidationFailure : kind);
}

/// <summary>
/// The certificate check of an MX (RFC 8461 §4.2): the chain against the system roots, or the
/// configured anchors; the DNS-ID check with the core's <see cref="CertificateNames"/> (M-05, never the
/// CN); revocation as configured (off by default). Then the RFC 8460 classification (notes §3.2).
/// </summary>
internal static class CertificateCheck
{
    /// <summary>Chain flags that mean "expired or not yet valid" (RFC 8460 <c>certificate-expired</c>).</summary>
    private const X509ChainStatusFlags TimeFlags = X509ChainStatusFlags.NotTimeValid;

    /// <summary>
    /// Classifies one presented certificate for <paramref name="mxHost"/>. Name mismatch, then expiry,
    /// then trust: each failure seen is listed (one session, several details), the first decides.
    /// </summary>
    public static TlsResult Classify(string mxHost, X509Certificate? certificate, X509Chain? presented, SslPolicyErrors errors, DeliveryTrust trust)
    {
        if (certificate is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable))
        {
            return TlsResult.Failed(FailureKind.ValidationFailure, "no-certificate", "the MX presented no certificate");
        }

        using var leaf = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        var names = PolicyHttpHandler.DnsNames(leaf); // the resolver's DNS-ID reader, one for the policy host and the MX
        var failures = Seq<(FailureKind Kind, string? Code)>.Empty;
        var details = new List<string>();

        // M-05: DNS-ID SANs only; .NET's own name check (RemoteCertificateNameMismatch) may fall back to the CN, so it is not used.
        if (!CertificateNames.Matches(names, mxHost))
        {
            failures = failures.Add((FailureKind.CertificateHostMismatch, null));
            details.Add($"DNS-ID names [{string.Join(", ", names)}] do not cover {mxHost}");
        }

        var flags = ChainFlags(leaf, presented, errors, trust);
        if ((flags & TimeFlags) != 0)
        {
            failures = failures.Add((FailureKind.CertificateExpired, nameof(X509ChainStatusFlags.NotTimeValid)));
        }

        var trustFlags = flags & ~TimeFlags;
        if (trustFlags != X509ChainStatusFlags.NoError)
        {
            // RFC 8460 certificate-not-trusted, the chain status flags as failure-reason-code (notes §3.2).
            failures = failures.Add((FailureKind.CertificateNotTrusted, trustFlags.ToString()));
        }

        if (flags != X509ChainStatusFlags.NoError)
        {
            details.Add("chain: " + flags);
        }

        return TlsResult.Failed(failures, details.Count == 0 ? null : string.Join("; ", details));
    }

    /// <summary>
    /// The chain's status flags: the system's verdict when it has no chain errors; otherwise, when anchors
    /// are configured, the chain built again with them as the roots (callers add trust, never remove checks).
    /// </summary>
    private static X509ChainStatusFlags ChainFlags(X509Certificate2 leaf, X509Chain? presented, SslPolicyErrors errors, DeliveryTrust trust)
    {
        if (presented is not null && !errors.HasFlag(SslPolicyErrors.RemoteCertificateChainErrors))
        {
            return X509ChainStatusFlags.NoError;
        }

        if (trust.Anchors.Count == 0 && presented is not null)
        {
            return Flags(presented);
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.RevocationMode = trust.CheckRevocation ? X509RevocationMode.Online : X509RevocationMode.NoCheck;
        if (trust.Anchors.Count > 0)
        {
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.AddRange(trust.Anchors);
        }

        if (presented is not null)
        {
            foreach (var element in presented.ChainElements)
            {
                chain.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }

        if (chain.Build(leaf))
        {
            return X509ChainStatusFlags.NoError;
        }

        var flags = Flags(chain);
        return flags == X509ChainStatusFlags.NoError ? X509ChainStatusFlags.PartialChain : flags;
    }

    private static X509ChainStatusFlags Flags(X509Chain chain) =>
        chain.ChainStatus.Aggregate(X509ChainStatusFlags.NoError, static (all, s) => all | s.Status);
}

/// <summary>The trust settings of the certificate check.</summary>
/// <param name="Anchors">Extra roots (tests, private PKI); empty: the system roots only.</param>
/// <param name="CheckRevocation">Online revocation checks (default off).</param>
internal sealed record DeliveryTrust(X509Certificate2Collection Anchors, bool CheckRevocation);
