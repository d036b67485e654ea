using System.Diagnostics;
using System.Text;
using LanguageExt;

namespace MtaSts.Functional;

/// <summary>
/// RFC 8461 §4 and §5 as pure functions: MX matching (§4.1), the per-MX decision for each mode and
/// TLS outcome (§4.2, §5), candidate ordering (§5.1, §8.4), DANE precedence (§2) and the policy URL
/// (§3.2). Nothing here allocates on the per-delivery path for ASCII host names, and nothing throws.
/// </summary>
public static class Enforcement
{
    /// <summary>
    /// §4.1 (M-01, M-02): does <paramref name="host"/> match <paramref name="pattern"/>? ASCII
    /// case-insensitive, label by label; one trailing dot on the host ignored; a U-label host is
    /// converted to its A-label first; an invalid host name never matches. <c>*.parent</c> matches
    /// exactly one non-empty left-most label followed by <c>parent</c>.
    /// </summary>
    /// <param name="pattern">A parsed (already normalised) pattern; null throws <see cref="ArgumentNullException"/>.</param>
    /// <param name="host">The MX host name from the MX record.</param>
    /// <returns>True when the host is valid and matches.</returns>
    public static bool MxMatches(MxPattern pattern, string? host) =>
        Match(pattern ?? throw new ArgumentNullException(nameof(pattern)), host);

    /// <summary>§4.1 with the pattern as text: an invalid pattern (D-06, strict) never matches.</summary>
    /// <param name="pattern">The pattern text, e.g. <c>*.example.net</c>.</param>
    /// <param name="host">The MX host name.</param>
    /// <returns>True when the pattern is valid and the host matches it.</returns>
    public static bool MxMatches(string? pattern, string? host) =>
        MxPattern.Parse(pattern).Match(Right: p => MxMatches(p, host), Left: static _ => false);

    /// <summary>The first of the policy's patterns that <paramref name="host"/> matches (§4.1), if any.</summary>
    /// <param name="policy">The policy.</param>
    /// <param name="host">The MX host name.</param>
    /// <returns>The matching pattern, or None.</returns>
    public static Option<MxPattern> MatchingPattern(Policy policy, string? host) =>
        FirstMatch(policy ?? throw new ArgumentNullException(nameof(policy)), host) is var i and >= 0
            ? policy.PatternAt(i)
            : Option<MxPattern>.None;

    /// <summary>
    /// The decision for one MX under a policy (§5, M-03), before connecting or, given
    /// <paramref name="tls"/>, after STARTTLS (§4.2, M-04):
    /// <list type="bullet">
    /// <item><c>none</c> → <see cref="Decision.NotApplied"/>.</item>
    /// <item>no pattern matches → <c>enforce</c>: <see cref="Decision.Refuse"/>; <c>testing</c>: <see cref="Decision.DeliverAndReport"/> (<see cref="FailureKind.MxMismatch"/>).</item>
    /// <item>a pattern matches, TLS not yet negotiated or valid → <see cref="Decision.Deliver"/>.</item>
    /// <item>a pattern matches, TLS failed → <c>enforce</c>: refuse; <c>testing</c>: deliver and report, with the RFC 8460 result type.</item>
    /// </list>
    /// </summary>
    /// <param name="policy">The applied policy (valid, unexpired); null throws <see cref="ArgumentNullException"/> (no policy is <see cref="Enforce(Option{Policy}, string, TlsOutcome, bool)"/> with none).</param>
    /// <param name="mxHost">The MX host name from the MX record.</param>
    /// <param name="tls">What happened at STARTTLS; <see cref="TlsOutcome.NotNegotiated"/> before connecting.</param>
    /// <returns>A shared decision instance.</returns>
    public static Decision Enforce(Policy policy, string? mxHost, TlsOutcome tls = default)
    {
        ArgumentNullException.ThrowIfNull(policy);

        if (policy.Mode == PolicyMode.None)
        {
            return Decision.Shared.NotApplied(NotAppliedReason.ModeNone);
        }

        var match = FirstMatch(policy, mxHost);
        if (match < 0)
        {
            return Failed(policy.Mode, FailureKind.MxMismatch);
        }

        return tls.IsFailed(out var failure) ? Failed(policy.Mode, failure) : policy.DeliveryAt(match);
    }

    /// <summary>
    /// The decision when the sender may or may not have a policy (§3.3, §5): no policy →
    /// <see cref="NotAppliedReason.NoPolicy"/>; when DANE (RFC 7672) applies to the domain →
    /// <see cref="NotAppliedReason.Dane"/> whatever the policy says (§2, M-06); otherwise as
    /// <see cref="Enforce(Policy, string, TlsOutcome)"/>.
    /// </summary>
    /// <param name="policy">The policy to apply, if any.</param>
    /// <param name="mxHost">The MX host name.</param>
    /// <param name="tls">What happened at STARTTLS.</param>
    /// <param name="daneApplies">True when the domain has DANE TLSA records that govern this delivery.</param>
    /// <returns>A shared decision instance.</returns>
    public static Decision Enforce(Option<Policy> policy, string? mxHost, TlsOutcome tls = default, bool daneApplies = false) =>
        daneApplies ? Decision.Shared.NotApplied(NotAppliedReason.Dane)
        : policy.IsSome ? Enforce((Policy)policy, mxHost, tls)
        : Decision.Shared.NotApplied(NotAppliedReason.NoPolicy);

    /// <summary>
    /// §5.1 step 2 and §8.4: the MX records in preference order (lowest first; equal preferences keep
    /// their given order, so a caller that randomises them per RFC 5321 §5.1 does so before calling),
    /// each with its pre-connection decision. Refused candidates stay in the list: the MTA walks it
    /// once and treats a refused MX as unreachable, never filtering the list in a second pass.
    /// </summary>
    /// <param name="mxRecords">The domain's MX records.</param>
    /// <param name="policy">The policy to apply, if any.</param>
    /// <param name="daneApplies">True when DANE governs this domain (M-06).</param>
    /// <returns>The candidates, in the order to try them.</returns>
    public static Seq<MxCandidate> Candidates(IEnumerable<MxRecord>? mxRecords, Option<Policy> policy, bool daneApplies = false) =>
        (mxRecords ?? throw new ArgumentNullException(nameof(mxRecords)))
            .Where(static r => r is not null)
            .Select(static (r, i) => (Record: r, Index: i))
            .OrderBy(static x => x.Record.Preference)
            .ThenBy(static x => x.Index)
            .Select(x => new MxCandidate(x.Record, Enforce(policy, x.Record.Host, TlsOutcome.NotNegotiated, daneApplies)))
            .ToSeq()
            .Strict();

    /// <summary>
    /// §3.2 (M-07): <c>https://mta-sts.&lt;domain&gt;/.well-known/mta-sts.txt</c>, with the domain
    /// lower-cased, converted to A-labels, one trailing dot removed (<see cref="PolicyDomain.Parse"/>).
    /// An address literal (§3.4: no MTA-STS for those) and an invalid domain are typed errors, never a URL.
    /// </summary>
    /// <param name="domain">The policy domain (the next-hop domain, §1.1).</param>
    /// <returns>The policy URL, or <see cref="MtaStsError.AddressLiteral"/> / <see cref="MtaStsError.InvalidValue"/>.</returns>
    public static Either<MtaStsError, Uri> PolicyUrl(string? domain) =>
        PolicyDomain.Parse(domain).Map(static d => d.PolicyUrl);

    private static Decision Failed(PolicyMode mode, FailureKind failure) => mode switch
    {
        PolicyMode.Enforce => Decision.Shared.Refusal(failure),
        PolicyMode.Testing => Decision.Shared.Report(failure),
        PolicyMode.None => Decision.Shared.NotApplied(NotAppliedReason.ModeNone),
        _ => throw new UnreachableException(),
    };

    /// <summary>
    /// The index of the first pattern <paramref name="host"/> matches, or -1. For an ASCII host the
    /// comparison comes first and the host-name check only when it is needed (M-01, F-06): a host equal
    /// to an exact pattern is that valid name, and one equal to none matches nothing whether valid or
    /// not; only a wildcard hit needs the check (its first label is the host's own). A non-ASCII host
    /// is normalised (IDNA, F-07) and checked first.
    /// </summary>
    private static int FirstMatch(Policy policy, string? host)
    {
        if (!AsciiCandidate(host, out var span))
        {
            return HostNames.TryNormalize(host, out var name) ? FirstMatchNormalized(policy, name) : -1;
        }

        var checkedValid = 0; // 0: not checked yet, 1: valid, -1: invalid
        for (var i = 0; i < policy.PatternCount; i++)
        {
            if (MatchesAscii(policy.PatternAt(i), span, ref checkedValid))
            {
                return i;
            }
        }

        return -1;
    }

    private static bool Match(MxPattern pattern, string? host)
    {
        if (!AsciiCandidate(host, out var span))
        {
            return HostNames.TryNormalize(host, out var name) && Matches(pattern, name);
        }

        var checkedValid = 0;
        return MatchesAscii(pattern, span, ref checkedValid);
    }

    /// <summary>A non-empty ASCII host with one trailing dot removed (M-01); false for anything that needs IDNA or is empty.</summary>
    private static bool AsciiCandidate(string? host, out ReadOnlySpan<char> span)
    {
        span = host;
        if (span.IsEmpty)
        {
            return false;
        }

        if (span[^1] == '.')
        {
            span = span[..^1];
        }

        return !span.IsEmpty && Ascii.IsValid(span);
    }

    /// <summary>§4.1 on an ASCII host: compare first, check the host name (D-06) only on a wildcard hit, once.</summary>
    private static bool MatchesAscii(MxPattern pattern, ReadOnlySpan<char> host, ref int checkedValid) => pattern switch
    {
        MxPattern.Exact e => Ascii.EqualsIgnoreCase(host, e.Host.Value),
        MxPattern.Wildcard w => HostNames.IsOneLabelBelow(host, w.Parent.Value) && Valid(host, ref checkedValid),
        _ => throw new UnreachableException(),
    };

    private static bool Valid(ReadOnlySpan<char> host, ref int checkedValid)
    {
        if (checkedValid == 0)
        {
            checkedValid = HostNames.IsHostName(host) ? 1 : -1;
        }

        return checkedValid > 0;
    }

    private static int FirstMatchNormalized(Policy policy, ReadOnlySpan<char> name)
    {
        for (var i = 0; i < policy.PatternCount; i++)
        {
            if (Matches(policy.PatternAt(i), name))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>§4.1 on a normalised host: equality of the whole name, or of everything after its first label.</summary>
    private static bool Matches(MxPattern pattern, ReadOnlySpan<char> name) => pattern switch
    {
        MxPattern.Exact e => name.Equals(e.Host.Value, StringComparison.OrdinalIgnoreCase),
        MxPattern.Wildcard w => HostNames.IsOneLabelBelow(name, w.Parent.Value),
        _ => throw new UnreachableException(),
    };
}

/// <summary>An MX record: preference and exchange host (RFC 5321 §5.1).</summary>
/// <param name="Preference">Lower is tried first.</param>
/// <param name="Host">The exchange host name.</param>
public sealed record MxRecord(int Preference, string Host);

/// <summary>One MX to try, with what MTA-STS says about it before connecting (§5.1).</summary>
/// <param name="Mx">The MX record.</param>
/// <param name="Decision">Deliver (then check TLS with <see cref="Enforcement.Enforce(Policy, string, TlsOutcome)"/>), refuse (skip as unreachable), deliver and report, or not applied.</param>
public sealed record MxCandidate(MxRecord Mx, Decision Decision);
