using System.Diagnostics;

namespace MtaSts.Functional;

/// <summary>
/// What happened at STARTTLS with one MX (RFC 8461 §4.2), as the caller's TLS stack saw it: a closed
/// union of <see cref="NotNegotiated"/> (the default: no connection yet), <see cref="Valid"/>, or
/// <see cref="Failed"/> with one of the TLS failures of <see cref="FailureKind"/>. A value type, so
/// that deciding allocates nothing.
/// </summary>
public readonly record struct TlsOutcome
{
    private readonly State state;
    private readonly FailureKind failure;

    private TlsOutcome(State state, FailureKind failure) => (this.state, this.failure) = (state, failure);

    private enum State
    {
        NotNegotiated,
        Valid,
        Failed,
    }

    /// <summary>No connection yet: decide on MX matching alone (§4.1), before connecting. The default value.</summary>
    public static TlsOutcome NotNegotiated => default;

    /// <summary>STARTTLS succeeded with a trusted, unexpired certificate whose DNS-ID SAN matches the MX host.</summary>
    public static TlsOutcome Valid { get; } = new(State.Valid, default);

    /// <summary>Whether STARTTLS was not negotiated yet.</summary>
    public bool IsNotNegotiated => state == State.NotNegotiated;

    /// <summary>Whether STARTTLS validated.</summary>
    public bool IsValid => state == State.Valid;

    /// <summary>The TLS failure, if STARTTLS failed.</summary>
    public LanguageExt.Option<FailureKind> Failure => state == State.Failed ? failure : LanguageExt.Option<FailureKind>.None;

    /// <summary>STARTTLS failed (§4.2): not offered, or the certificate did not validate.</summary>
    /// <param name="kind">The failure: any <see cref="FailureKind"/> but <see cref="FailureKind.MxMismatch"/>, which is not a TLS outcome (§4.1).</param>
    /// <returns>The outcome.</returns>
    public static TlsOutcome Failed(FailureKind kind) =>
        kind is FailureKind.StartTlsNotSupported or FailureKind.CertificateHostMismatch or FailureKind.CertificateExpired
            or FailureKind.CertificateNotTrusted or FailureKind.ValidationFailure
            ? new(State.Failed, kind)
            : throw new ArgumentOutOfRangeException(nameof(kind), kind, "not a TLS failure (MX mismatch is decided by §4.1 matching)");

    /// <summary>Whether STARTTLS failed, and how.</summary>
    /// <param name="kind">The failure, when it did.</param>
    /// <returns>True when it failed.</returns>
    public bool IsFailed(out FailureKind kind)
    {
        kind = failure;
        return state == State.Failed;
    }

    /// <summary><c>not-negotiated</c>, <c>valid</c>, or the RFC 8460 result type of the failure.</summary>
    /// <returns>The name.</returns>
    public override string ToString() => state switch
    {
        State.NotNegotiated => "not-negotiated",
        State.Valid => "valid",
        _ => failure.ResultType(),
    };
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
/// union, matched with an exhaustive <c>switch</c>. Only <see cref="Enforcement"/> makes decisions and
/// every instance is shared (never allocated per call), so deciding allocates nothing.
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
    /// Deliver: the MX matches <see cref="Pattern"/> (§4.1). Before the connection this means
    /// "go ahead, but require STARTTLS with a certificate valid for the MX host name" (§4.2); after
    /// it (<see cref="TlsOutcome.Valid"/>) it means the attempt validated.
    /// </summary>
    public sealed record Deliver : Decision
    {
        internal Deliver(MxPattern pattern, PolicyMode mode) => (Pattern, Mode) = (pattern, mode);

        /// <summary>The first policy pattern that matched the MX host.</summary>
        public MxPattern Pattern { get; }

        /// <summary>The policy mode (<c>enforce</c> or <c>testing</c>).</summary>
        public PolicyMode Mode { get; }

        /// <inheritdoc/>
        public override string Section => "§4.1, §5";
    }

    /// <summary>
    /// <c>testing</c> mode: the policy failed to validate, deliver anyway and report the failure
    /// (RFC 8461 §5; TLSRPT, RFC 8460).
    /// </summary>
    public sealed record DeliverAndReport : Decision
    {
        internal DeliverAndReport(FailureKind failure) => Failure = failure;

        /// <summary>What failed.</summary>
        public FailureKind Failure { get; }

        /// <inheritdoc/>
        public override string Section => Failure.Section() + ", §5";
    }

    /// <summary>
    /// <c>enforce</c> mode: do not deliver to this MX; treat it as unreachable and try the next
    /// candidate (§5.1, §8.4). The failure is transient: never bounce a message permanently before
    /// re-checking the TXT id for a new policy (§5 N-50, §5.1 N-53).
    /// </summary>
    public sealed record Refuse : Decision
    {
        internal Refuse(FailureKind failure) => Failure = failure;

        /// <summary>What failed; report it (RFC 8460) as well.</summary>
        public FailureKind Failure { get; }

        /// <inheritdoc/>
        public override string Section => Failure.Section() + ", §5";
    }

    /// <summary>MTA-STS does not apply to this attempt: deliver as without it (§5 <c>none</c>, §3.3, §2).</summary>
    public sealed record NotApplied : Decision
    {
        internal NotApplied(NotAppliedReason reason) => Reason = reason;

        /// <summary>No policy, mode <c>none</c>, or DANE.</summary>
        public NotAppliedReason Reason { get; }

        /// <summary>The shared decision for <paramref name="reason"/> (for a caller that decides without a policy, e.g. on a lookup error).</summary>
        /// <param name="reason">Why MTA-STS does not apply.</param>
        /// <returns>The shared instance.</returns>
        public static NotApplied Of(NotAppliedReason reason) => (NotApplied)Shared.NotApplied(reason);

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
