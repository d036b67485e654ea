using System.Net;
using LanguageExt;
using MtaSts.Functional;

namespace MtaSts.MailKit;

/// <summary>
/// The port through which every STARTTLS session of a delivery is recorded for TLSRPT (RFC 8460 §4).
/// <c>MtaSts.TlsRpt</c>'s <c>InMemoryTlsRptStore</c> implements it (daily aggregation per policy domain);
/// <see cref="NoTlsSessionRecorder"/> is used unless one is given.
/// </summary>
public interface ITlsSessionRecorder
{
    /// <summary>Records one session (successful or failed). Called once per attempted STARTTLS session, once per MX refused before connecting, and once per delivery whose policy discovery failed in a reportable way (<see cref="DiscoverySessions.Session"/>).</summary>
    /// <param name="session">What RFC 8460 §4.4 needs to count the session.</param>
    /// <param name="cancellationToken">Cancels the recording.</param>
    /// <returns>When recorded. An exception is logged and never fails the delivery.</returns>
    ValueTask RecordAsync(TlsSession session, CancellationToken cancellationToken = default);
}

/// <summary>A recorder that keeps nothing (the default until a TLSRPT implementation is registered).</summary>
public sealed class NoTlsSessionRecorder : ITlsSessionRecorder
{
    /// <summary>The shared instance.</summary>
    public static NoTlsSessionRecorder Instance { get; } = new();

    /// <inheritdoc/>
    public ValueTask RecordAsync(TlsSession session, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;
}

/// <summary>The RFC 8460 §4.3 <c>policy</c> object of a session: which policy applied, or none was found.</summary>
/// <param name="PolicyType"><c>sts</c> or <c>no-policy-found</c> (RFC 8460 §4.3 <c>policy-type</c>).</param>
/// <param name="PolicyDomain">The policy domain (<c>policy-domain</c>).</param>
/// <param name="PolicyStrings">The policy text, one string per line (<c>policy-string</c>); empty without a policy.</param>
/// <param name="MxHost">The policy's <c>mx</c> patterns (<c>mx-host</c>); empty without a policy.</param>
public sealed record TlsReportPolicy(string PolicyType, PolicyDomain PolicyDomain, Seq<string> PolicyStrings, Seq<string> MxHost)
{
    /// <summary>RFC 8460 §4.3 <c>policy-type</c> for an MTA-STS policy.</summary>
    public const string Sts = "sts";

    /// <summary>RFC 8460 §4.3 <c>policy-type</c> when no policy was found.</summary>
    public const string NoPolicyFound = "no-policy-found";
}

/// <summary>One RFC 8460 §4.4 <c>failure-details</c> entry.</summary>
/// <param name="ResultType">The result type, e.g. <c>certificate-expired</c> (<see cref="FailureKindExtensions.ResultType(FailureKind)"/>).</param>
/// <param name="FailureReasonCode">The optional <c>failure-reason-code</c>, e.g. <c>UntrustedRoot</c> or <c>smtp-starttls-reply-code-454</c>.</param>
public sealed record TlsFailureDetail(string ResultType, string? FailureReasonCode);

/// <summary>One session as TLSRPT counts it (RFC 8460 §4.4): the policy, the MX, the addresses and, for a failed session, why.</summary>
/// <param name="Policy">The policy that applied, or no-policy-found.</param>
/// <param name="ReceivingMxHostname">The MX host name (<c>receiving-mx-hostname</c>); empty for a discovery session, where no MX was contacted.</param>
/// <param name="ReceivingIp">The address dialled (<c>receiving-ip</c>); null when the MX was refused before connecting.</param>
/// <param name="SendingMtaIp">The local address of the connection (<c>sending-mta-ip</c>), when known.</param>
/// <param name="Failures">Empty for a successful session; else every failure seen in it (one failed session, several details).</param>
/// <param name="At">When the session ended (the report's date range).</param>
public sealed record TlsSession(TlsReportPolicy Policy, string ReceivingMxHostname, IPAddress? ReceivingIp, IPAddress? SendingMtaIp, Seq<TlsFailureDetail> Failures, DateTimeOffset At)
{
    /// <summary>
    /// The domain the MX announced in its first EHLO (or HELO) reply, before STARTTLS (<c>receiving-mx-helo</c>, RFC 8460 §4.4:
    /// optional); null when no reply was read (refused before connecting, a discovery session). MailKit's <c>SmtpClient</c> has no
    /// property for it; the sender reads it from the protocol log.
    /// </summary>
    public string? ReceivingMxHelo { get; init; }

    /// <summary>True when TLS was negotiated and validated (<c>total-successful-session-count</c>).</summary>
    public bool Successful => Failures.IsEmpty;
}
