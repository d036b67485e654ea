using System.Diagnostics;
using System.Net;
using LanguageExt;
using MtaSts.Functional;
using MtaSts.Functional.Lifecycle;

namespace MtaSts.MailKit;

/// <summary>One SMTP reply: the code and the text of its last line.</summary>
/// <param name="Code">The three-digit reply code (RFC 5321 §4.2).</param>
/// <param name="Text">The text after the code.</param>
public sealed record SmtpReply(int Code, string Text)
{
    /// <summary>A 4yz reply: try again later, or elsewhere (RFC 5321 §4.2.1).</summary>
    public bool IsTransient => Code is >= 400 and < 500;

    /// <summary>A 5yz reply: do not retry this message (RFC 5321 §4.2.1).</summary>
    public bool IsPermanent => Code is >= 500 and < 600;

    /// <inheritdoc/>
    public override string ToString() => $"{Code} {Text}";
}

/// <summary>How one attempt with one MX (address) ended.</summary>
public enum AttemptOutcome
{
    /// <summary>The policy refused the MX before connecting (enforce, MX not listed; RFC 8461 §4.1, §5): never connected to.</summary>
    RefusedBeforeConnecting,

    /// <summary>DANE governs the domain (M-06); this package does not deliver with DANE, so it did not connect.</summary>
    DaneNotHandled,

    /// <summary>The MX host had no address, or TCP did not connect.</summary>
    ConnectFailed,

    /// <summary>The policy refused the MX after STARTTLS (enforce; §4.2, §5): nothing sent.</summary>
    RefusedAfterTls,

    /// <summary>A 4yz reply, a dropped connection or an error before the message was sent: move to the next MX.</summary>
    TransientFailure,

    /// <summary>The attempt's time bound (<see cref="MtaStsDeliveryOptions.AttemptTimeout"/>) ran out before the message was sent.</summary>
    TimedOut,

    /// <summary>A 5yz reply to the envelope or the data: the message is not tried elsewhere.</summary>
    Rejected,

    /// <summary>The connection failed after the whole message was sent, before the reply: it may have been delivered, so it is not tried elsewhere (at most once).</summary>
    OutcomeUnknown,

    /// <summary>The MX accepted the message.</summary>
    Delivered,
}

/// <summary>One attempt: the MX, the address dialled, the TLS outcome, the MTA-STS decision, the last SMTP reply.</summary>
/// <param name="Mx">The MX record.</param>
/// <param name="Address">The address dialled; null when none was.</param>
/// <param name="Tls">The measured TLS outcome.</param>
/// <param name="Decision">The core's decision (before connecting, or after TLS when a session was attempted).</param>
/// <param name="Reply">The last SMTP reply read, if any.</param>
/// <param name="Outcome">How it ended.</param>
/// <param name="Detail">What went wrong, for people; null when delivered.</param>
public sealed record DeliveryAttempt(MxRecord Mx, IPAddress? Address, TlsResult Tls, Decision Decision, SmtpReply? Reply, AttemptOutcome Outcome, string? Detail);

/// <summary>Why a message was deferred (try again later: every one is transient).</summary>
public enum DeferReason
{
    /// <summary>The MX lookup failed temporarily.</summary>
    MxLookupFailed,

    /// <summary>Every MX was refused by the policy or failed (RFC 8461 §5: an enforce failure is temporary, N-50).</summary>
    NoMxAccepted,

    /// <summary>DANE governs the domain (M-06): deliver it with a DANE-validating client; MTA-STS is not applied.</summary>
    DaneRequired,
}

/// <summary>Why a message failed for good (do not retry as it is).</summary>
public enum FailReason
{
    /// <summary>No recipient, no sender, or recipients in more than one domain.</summary>
    InvalidEnvelope,

    /// <summary>The recipient domain cannot be a policy domain (an address literal or an invalid name; §3.4).</summary>
    InvalidDomain,

    /// <summary>The domain has a null MX (RFC 7505): it accepts no mail.</summary>
    NoMailService,

    /// <summary>An MX answered 5yz.</summary>
    Rejected,
}

/// <summary>The final status of a delivery: a closed union.</summary>
public abstract record DeliveryStatus
{
    private DeliveryStatus()
    {
    }

    /// <inheritdoc/>
    public sealed override string ToString() => this switch
    {
        Delivered d => $"delivered to {d.Mx.Host} ({d.Address}): {d.Reply}",
        Deferred d => $"deferred ({d.Reason}): {d.Detail}",
        Failed f => $"failed ({f.Reason}): {f.Detail}",
        Unknown u => $"outcome unknown at {u.Mx.Host} ({u.Address}): {u.Detail}",
        _ => throw new UnreachableException(),
    };

    /// <summary>The MX accepted the message.</summary>
    /// <param name="Mx">The MX.</param>
    /// <param name="Address">The address it was delivered to.</param>
    /// <param name="Reply">The reply to the end of data.</param>
    public sealed record Delivered(MxRecord Mx, IPAddress Address, SmtpReply Reply) : DeliveryStatus;

    /// <summary>Not delivered now; try again later (RFC 8461 §5: never bounce for an enforce failure before re-checking the policy).</summary>
    /// <param name="Reason">Why.</param>
    /// <param name="Detail">The last failure, for people.</param>
    public sealed record Deferred(DeferReason Reason, string Detail) : DeliveryStatus;

    /// <summary>Not delivered and not to be retried as it is.</summary>
    /// <param name="Reason">Why.</param>
    /// <param name="Detail">The reply or the problem.</param>
    public sealed record Failed(FailReason Reason, string Detail) : DeliveryStatus;

    /// <summary>The connection broke after the message was sent: it may have arrived; not retried elsewhere (at most once).</summary>
    /// <param name="Mx">The MX.</param>
    /// <param name="Address">The address.</param>
    /// <param name="Detail">What broke.</param>
    public sealed record Unknown(MxRecord Mx, IPAddress Address, string Detail) : DeliveryStatus;
}

/// <summary>The report of one delivery: the policy applied, every attempt in order, the final status.</summary>
/// <param name="Domain">The recipient domain.</param>
/// <param name="Policy">The MTA-STS policy applied, if any.</param>
/// <param name="Attempts">Every attempt, in the order made.</param>
/// <param name="Status">The final status.</param>
public sealed record DeliveryReport(string Domain, Option<CachedPolicy> Policy, Seq<DeliveryAttempt> Attempts, DeliveryStatus Status);

/// <summary>The port that says whether DANE (RFC 7672) governs a domain's delivery (M-06). The default says never.</summary>
public interface IDaneCheck
{
    /// <summary>Whether DANE TLSA records govern delivery to <paramref name="domain"/> through these MX hosts.</summary>
    /// <param name="domain">The recipient domain.</param>
    /// <param name="mx">Its MX records.</param>
    /// <param name="cancellationToken">Cancels the check.</param>
    /// <returns>True when DANE applies: MTA-STS is then not applied (RFC 8461 §2).</returns>
    ValueTask<bool> AppliesAsync(PolicyDomain domain, Seq<MxRecord> mx, CancellationToken cancellationToken = default);
}

/// <summary>The default <see cref="IDaneCheck"/>: this sender implements no DANE, so DANE never applies to it.</summary>
public sealed class NoDane : IDaneCheck
{
    /// <summary>The shared instance.</summary>
    public static NoDane Instance { get; } = new();

    /// <inheritdoc/>
    public ValueTask<bool> AppliesAsync(PolicyDomain domain, Seq<MxRecord> mx, CancellationToken cancellationToken = default) => ValueTask.FromResult(false);
}
