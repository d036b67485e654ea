using System.Diagnostics;
using LanguageExt;
using MtaSts.Functional;
using MtaSts.Functional.Lifecycle;
using MtaSts.Functional.Resolver;

namespace MtaSts.MailKit;

/// <summary>
/// TLSRPT sessions from MTA-STS discovery (RFC 8460 §4.3.2, RFC 8461 §6): the <c>policy</c> object a delivery's
/// sessions are counted under, and the failed session that a reportable discovery failure adds to the delivery.
/// Pure functions of a <see cref="Resolution"/>; <see cref="MtaStsSender"/> records what they give through
/// <see cref="ITlsSessionRecorder"/>.
/// </summary>
/// <remarks>
/// What is reportable follows RFC 8461 §6 (N-59): a failed policy fetch (in a delivery lookup a fetch is made
/// only when a valid TXT record is present), and any discovery failure — DNS temporary failure, an unusable
/// TXT record set, the C-04 back-off after a failed fetch — while a cached policy other than <c>none</c>
/// applies. A DNS failure or an unusable TXT record without such a policy is not reported (the domain is
/// treated as without MTA-STS: the digest's SERVFAIL vector, C-05); neither is "no record". Every reportable failure of one lookup
/// goes into ONE failed session (a failed session counts once, whatever its number of details).
/// </remarks>
public static class DiscoverySessions
{
    /// <summary>Appended to the reason code when a cached policy is applied instead (as mox writes it).</summary>
    public const string FallbackSuffix = "+fallback-to-cached-policy";

    /// <summary>The reason code of a lookup inside the C-04 back-off after a failed fetch (as mox writes it).</summary>
    public const string BackedOffReason = "back-off-after-recent-fetch-error";

    /// <summary>
    /// The <c>policy</c> object of the SMTP sessions of a delivery under <paramref name="resolution"/>: <c>sts</c> with the
    /// applied policy's lines (<c>policy-string</c>) and <c>mx</c> patterns (<c>mx-host</c>) when an <c>enforce</c> or
    /// <c>testing</c> policy applies; <c>no-policy-found</c> when none applies or its mode is <c>none</c> (RFC 8461 §5:
    /// treated as having no active policy).
    /// </summary>
    /// <param name="resolution">The resolution.</param>
    /// <returns>The policy object.</returns>
    public static TlsReportPolicy Policy(Resolution resolution)
    {
        ArgumentNullException.ThrowIfNull(resolution);
        return ActivePolicy(resolution).Match(
            Some: p => StsPolicy(resolution.Domain, p),
            None: () => new TlsReportPolicy(TlsReportPolicy.NoPolicyFound, resolution.Domain, Seq<string>.Empty, Seq<string>.Empty));
    }

    /// <summary>
    /// The failure details of the discovery behind <paramref name="resolution"/> that RFC 8461 §6 makes reportable, in
    /// the order the lifecycle reported them; empty when discovery succeeded or failed in a way that is not reported.
    /// </summary>
    /// <param name="resolution">The resolution.</param>
    /// <returns>The details (result type <c>sts-policy-fetch-error</c>, <c>sts-policy-invalid</c> or <c>sts-webpki-invalid</c>).</returns>
    public static Seq<TlsFailureDetail> Failures(Resolution resolution)
    {
        ArgumentNullException.ThrowIfNull(resolution);
        var fallback = ActivePolicy(resolution).IsSome;
        var suffix = fallback ? FallbackSuffix : string.Empty;
        return resolution.Reports.Choose(r => r switch
        {
            LifecycleReport.FetchFailed f => Prelude.Some(new TlsFailureDetail(f.Failure.ResultType, ReasonCode(f.Failure.Kind) + suffix)),
            LifecycleReport.BackedOff => Prelude.Some(new TlsFailureDetail(FetchError, BackedOffReason + suffix)),
            LifecycleReport.DnsTemporaryFailure when fallback => Prelude.Some(new TlsFailureDetail(FetchError, "dns-temporary-failure" + suffix)),
            LifecycleReport.TxtUnusable u when fallback => Prelude.Some(new TlsFailureDetail(FetchError, TxtReason(u.Error) + suffix)),
            LifecycleReport.DnsTemporaryFailure or LifecycleReport.TxtUnusable => Option<TlsFailureDetail>.None,
            _ => throw new UnreachableException(),
        }).Strict();
    }

    /// <summary>
    /// The failed session a reportable discovery failure adds to a delivery (see <see cref="Failures"/>), or none.
    /// Its policy is the <c>sts</c> policy in force (the cached one, when it is applied instead), or an <c>sts</c>
    /// policy object with only the domain when no policy could be had (as mox reports it); no MX was contacted, so
    /// <c>receiving-mx-hostname</c> is empty and the addresses are unknown.
    /// </summary>
    /// <param name="resolution">The resolution.</param>
    /// <param name="at">When the lookup ended.</param>
    /// <returns>The session, or none.</returns>
    public static Option<TlsSession> Session(Resolution resolution, DateTimeOffset at)
    {
        var failures = Failures(resolution);
        if (failures.IsEmpty)
        {
            return Option<TlsSession>.None;
        }

        var policy = ActivePolicy(resolution).Match(
            Some: p => StsPolicy(resolution.Domain, p),
            None: () => new TlsReportPolicy(TlsReportPolicy.Sts, resolution.Domain, Seq<string>.Empty, Seq<string>.Empty));
        return new TlsSession(policy, string.Empty, null, null, failures, at);
    }

    /// <summary>The <c>failure-reason-code</c> of a failed fetch, one per <see cref="FetchFailureKind"/>; the result type is <see cref="FetchFailure.ResultType"/>.</summary>
    /// <param name="kind">The kind of failure.</param>
    /// <returns>The reason code.</returns>
    public static string ReasonCode(FetchFailureKind kind) => kind switch
    {
        FetchFailureKind.Network => "policy-host-unreachable",
        FetchFailureKind.Timeout => "policy-fetch-timeout",
        FetchFailureKind.Redirect => "policy-fetch-redirect",
        FetchFailureKind.HttpStatus => "policy-fetch-http-status",
        FetchFailureKind.TooLarge => "policy-too-large",
        FetchFailureKind.ContentType => "policy-content-type",
        FetchFailureKind.Encoding => "policy-not-utf8",
        FetchFailureKind.InvalidPolicy => "policy-syntax",
        FetchFailureKind.Certificate => "policy-host-certificate",
        _ => throw new UnreachableException(),
    };

    private const string FetchError = "sts-policy-fetch-error";

    /// <summary>The applied policy when its mode is <c>enforce</c> or <c>testing</c>.</summary>
    private static Option<CachedPolicy> ActivePolicy(Resolution resolution) =>
        resolution.Policy.Filter(static p => p.Policy.Mode != PolicyMode.None);

    /// <summary>RFC 8460 §4.4: <c>policy-string</c> one element per policy line (CR removed, empty lines dropped), <c>mx-host</c> the patterns.</summary>
    private static TlsReportPolicy StsPolicy(PolicyDomain domain, CachedPolicy policy) =>
        new(
            TlsReportPolicy.Sts,
            domain,
            policy.Text.Split('\n').Select(static l => l.TrimEnd('\r')).Where(static l => l.Length > 0).ToSeq().Strict(),
            policy.Policy.Mx.Map(static m => m.Render()).Strict());

    private static string TxtReason(MtaStsError error) => error switch
    {
        MtaStsError.NoUsableRecord { Reason: UnusableRecordReason.Several } => "sts-record-several",
        _ => "sts-record-invalid",
    };
}
