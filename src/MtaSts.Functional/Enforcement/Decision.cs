using System.Diagnostics;

namespace MtaSts.Functional;

/// <summary>What happened at STARTTLS with one MX (RFC 8461 §4.2), as the caller's TLS stack saw it.</summary>
public enum TlsOutcome
{
    /// <summary>No connection yet: decide on MX matching alone (§4.1), before connecting.</summary>
    NotNegotiated,

    /// <summary>STARTTLS succeeded with a trusted, unexpired certificate whose DNS-ID SAN matches the MX host.</summary>
    Valid,

    /// <summary>The MX did not offer STARTTLS, or refused it.</summary>
    StartTlsNotSupported,

    /// <summary>No DNS-ID SAN of the certificate matches the MX host (see <see cref="CertificateNames.Matches(IEnumerable{string}, string)"/>).</summary>
    CertificateHostMismatch,

    /// <summary>The certificate has expired (or is not yet valid).</summary>
    CertificateExpired,

    /// <summary>The certificate does not chain to a trusted root.</summary>
    CertificateNotTrusted,

    /// <summary>Any other validation failure.</summary>
    ValidationFailure,
}

/// <summary>Why a policy failed to validate for one MX (RFC 8461 §4), with its RFC 8460 result type.</summary>
public enum FailureKind
{
    /// <summary>The MX host matches none of the policy's <c>mx</c> patterns (§4.1). RFC 8460: <c>validation-failure</c>.</summary>
    MxMismatch,

    /// <summary>RFC 8460 <c>starttls-not-supported</c> (§4.2).</summary>
    StartTlsNotSupported,

    /// <summary>RFC 8460 <c>certificate-host-mismatch</c> (§4.2).</summary>
    CertificateHostMismatch,

    /// <summary>RFC 8460 <c>certificate-expired</c> (§4.2).</summary>
    CertificateExpired,

    /// <summary>RFC 8460 <c>certificate-not-trusted</c> (§4.2).</summary>
    CertificateNotTrusted,

    /// <summary>RFC 8460 <c>validation-failure</c> (§4.2).</summary>
    ValidationFailure,
}

/// <summary>Why MTA-STS was not applied to a delivery attempt.</summary>
public enum NotAppliedReason
{
    /// <summary>The domain has no (valid, unexpired) policy: deliver as without MTA-STS (§3.3, §5).</summary>
    NoPolicy,

    /// <summary>The policy's mode is <c>none</c>: the domain has no active policy (§5, §8.3).</summary>
    ModeNone,

    /// <summary>DANE (RFC 7672) applies to the domain; MTA-STS never overrides it (§2, M-06).</summary>
    Dane,
}

/// <summary>RFC 8460 names and RFC 8461 sections for <see cref="FailureKind"/>.</summary>
public static class FailureKindExtensions
{
    /// <summary>The RFC 8460 §4.3 result type a TLSRPT report uses for this failure (M-04).</summary>
    /// <param name="kind">The failure.</param>
    /// <returns>For example <c>certificate-host-mismatch</c>.</returns>
    public static string ResultType(this FailureKind kind) => kind switch
    {
        FailureKind.MxMismatch => "validation-failure",
        FailureKind.StartTlsNotSupported => "starttls-not-supported",
        FailureKind.CertificateHostMismatch => "certificate-host-mismatch",
        FailureKind.CertificateExpired => "certificate-expired",
        FailureKind.CertificateNotTrusted => "certificate-not-trusted",
        FailureKind.ValidationFailure => "validation-failure",
        _ => throw new UnreachableException(),
    };

    /// <summary>The RFC 8461 section that defines this check.</summary>
    /// <param name="kind">The failure.</param>
    /// <returns><c>§4.1</c> for MX matching, <c>§4.2</c> for the TLS checks.</returns>
    public static string Section(this FailureKind kind) => kind == FailureKind.MxMismatch ? "§4.1" : "§4.2";
}

/// <summary>
/// What a sending MTA does with one MX under an MTA-STS policy (RFC 8461 §5, M-03, M-04): a closed
/// union, matched with an exhaustive <c>switch</c>. Every instance is shared (never allocated per call),
/// so deciding allocates nothing.
/// </summary>
public abstract record Decision
{
    private Decision()
    {
    }

    /// <summary>The RFC 8461 section that decided this outcome, for explanations and logs.</summary>
    public abstract string Section { get; }

    /// <summary>A one-line human description with the deciding section.</summary>
    public sealed override string ToString() => this switch
    {
        Deliver d => $"deliver: matches mx pattern '{d.Pattern}' ({d.Mode.ToKeyword()}); require STARTTLS with a certificate valid for the MX host ({Section})",
        DeliverAndReport r => $"deliver and report {r.Failure}, result type {r.Failure.ResultType()} (testing; {Section})",
        Refuse r => $"refuse this MX and try the next one (transient): {r.Failure}, result type {r.Failure.ResultType()} ({Section})",
        NotApplied n => $"MTA-STS not applied: {n.Reason} ({Section})",
        _ => throw new UnreachableException(),
    };

    /// <summary>
    /// Deliver: the MX matches <paramref name="Pattern"/> (§4.1). Before the connection this means
    /// "go ahead, but require STARTTLS with a certificate valid for the MX host name" (§4.2); after
    /// it (<see cref="TlsOutcome.Valid"/>) it means the attempt validated.
    /// </summary>
    /// <param name="Pattern">The first policy pattern that matched the MX host.</param>
    /// <param name="Mode">The policy mode (<c>enforce</c> or <c>testing</c>).</param>
    public sealed record Deliver(MxPattern Pattern, PolicyMode Mode) : Decision
    {
        /// <inheritdoc/>
        public override string Section => "§4.1, §5";
    }

    /// <summary>
    /// <c>testing</c> mode: the policy failed to validate, deliver anyway and report the failure
    /// (RFC 8461 §5; TLSRPT, RFC 8460).
    /// </summary>
    /// <param name="Failure">What failed.</param>
    public sealed record DeliverAndReport(FailureKind Failure) : Decision
    {
        /// <inheritdoc/>
        public override string Section => Failure.Section() + ", §5";
    }

    /// <summary>
    /// <c>enforce</c> mode: do not deliver to this MX; treat it as unreachable and try the next
    /// candidate (§5.1, §8.4). The failure is transient: never bounce a message permanently before
    /// re-checking the TXT id for a new policy (§5 N-50, §5.1 N-53).
    /// </summary>
    /// <param name="Failure">What failed; report it (RFC 8460) as well.</param>
    public sealed record Refuse(FailureKind Failure) : Decision
    {
        /// <summary>Always true: an enforce failure is a temporary delivery failure (§5).</summary>
        public bool IsTransient => true;

        /// <inheritdoc/>
        public override string Section => Failure.Section() + ", §5";
    }

    /// <summary>MTA-STS does not apply to this attempt: deliver as without it (§5 <c>none</c>, §3.3, §2).</summary>
    /// <param name="Reason">No policy, mode <c>none</c>, or DANE.</param>
    public sealed record NotApplied(NotAppliedReason Reason) : Decision
    {
        /// <inheritdoc/>
        public override string Section => Reason switch
        {
            NotAppliedReason.NoPolicy => "§3.3, §5",
            NotAppliedReason.ModeNone => "§5",
            NotAppliedReason.Dane => "§2",
            _ => throw new UnreachableException(),
        };
    }

    /// <summary>The shared instances of every decision that carries no pattern.</summary>
    internal static class Shared
    {
        private static readonly DeliverAndReport[] Reports = Enum.GetValues<FailureKind>().Select(static k => new DeliverAndReport(k)).ToArray();
        private static readonly Refuse[] Refusals = Enum.GetValues<FailureKind>().Select(static k => new Refuse(k)).ToArray();
        private static readonly NotApplied[] NotApplieds = Enum.GetValues<NotAppliedReason>().Select(static r => new NotApplied(r)).ToArray();

        public static Decision Report(FailureKind failure) => Reports[(int)failure];

        public static Decision Refusal(FailureKind failure) => Refusals[(int)failure];

        public static Decision NotApplied(NotAppliedReason reason) => NotApplieds[(int)reason];
    }
}
