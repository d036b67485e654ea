using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using MtaSts.Functional.Properties.Generators;

namespace MtaSts.Functional.Properties.Laws;

/// <summary>RFC 8461 §4.1 (M-01, M-02): MX host matching.</summary>
public class MxMatchingLaws
{
    /// <summary>Matching ignores ASCII case and one trailing dot on the host (§4.1 via RFC 6125 §6.4.1; M-01).</summary>
    [Law]
    public Property MatchingIgnoresCaseAndOneTrailingDot(MxPattern pattern) =>
        Prop.ForAll(
            Arb.From(HostGenerators.Near(pattern).SelectMany(h => HostGenerators.Respell(h.TrimEnd('.')).Select(r => (h, r)))),
            pair => (Enforcement.MxMatches(pattern, pair.h) == Enforcement.MxMatches(pattern, pair.r))
                .Label($"{pattern} vs {pair.h} / {pair.r}")
                .Classify(Enforcement.MxMatches(pattern, pair.h), "match"));

    /// <summary>A wildcard matches exactly the hosts one label below its parent: never the parent, never two labels deeper (§4.1, M-02).</summary>
    [Law]
    public Property WildcardMatchesExactlyOneLabel(MxPattern pattern) =>
        Prop.ForAll(
            Arb.From(Generators.Generators.Label().Two()),
            labels =>
            {
                var parent = pattern.Domain.Value;
                var one = labels.Item1 + "." + parent;
                var two = labels.Item1 + "." + labels.Item2 + "." + parent;
                var valid = one.Length <= 253;
                return (pattern is MxPattern.Wildcard
                        ? Enforcement.MxMatches(pattern, one) == valid && !Enforcement.MxMatches(pattern, parent) && !Enforcement.MxMatches(pattern, two)
                        : Enforcement.MxMatches(pattern, parent) && !Enforcement.MxMatches(pattern, one))
                    .Classify(pattern is MxPattern.Wildcard, "wildcard");
            });

    /// <summary>Matching agrees with a straightforward reference definition of §4.1 written here.</summary>
    [Law]
    public Property MatchingAgreesWithTheReference(MxPattern pattern) =>
        Prop.ForAll(
            Arb.From(HostGenerators.Near(pattern)),
            host => (Enforcement.MxMatches(pattern, host) == Reference(pattern.Render(), host)).Label($"{pattern} vs {host}"));

    /// <summary>
    /// The reference: lower-case both, drop one trailing dot from the host, split into labels; a
    /// literal pattern matches equal label lists; <c>*.rest</c> matches a host with exactly one more
    /// label whose other labels equal <c>rest</c>. (ASCII hosts only, as generated.)
    /// </summary>
    private static bool Reference(string pattern, string host)
    {
        var h = host.EndsWith('.') ? host[..^1] : host;
        var hostLabels = h.ToLowerInvariant().Split('.');
        var patternLabels = pattern.ToLowerInvariant().Split('.');
        if (hostLabels.Any(static l => l.Length == 0 || l.Length > 63) || h.Length > 253)
        {
            return false;
        }

        return patternLabels[0] == "*"
            ? hostLabels.Length == patternLabels.Length && hostLabels.Skip(1).SequenceEqual(patternLabels.Skip(1))
            : hostLabels.SequenceEqual(patternLabels);
    }
}

/// <summary>RFC 8461 §5 (M-03, M-04): what each mode does with an MX.</summary>
public class EnforceLaws
{
    private static Arbitrary<(Policy Policy, string Host)> PolicyAndHost => Arb.From(HostGenerators.PolicyAndHost);

    private static Arbitrary<TlsOutcome> Tls => Arb.From(HostGenerators.Tls);

    /// <summary><c>none</c> never refuses: the domain has no active policy (§5).</summary>
    [Law]
    public Property NoneNeverRefuses() =>
        Prop.ForAll(PolicyAndHost, Tls, (ph, tls) =>
            ph.Policy.Mode != PolicyMode.None
            || Enforcement.Enforce(ph.Policy, ph.Host, tls) == new Decision.NotApplied(NotAppliedReason.ModeNone));

    /// <summary><c>testing</c> never refuses: deliver as though there were no failure, and report (§5).</summary>
    [Law]
    public Property TestingNeverRefuses() =>
        Prop.ForAll(PolicyAndHost, Tls, (ph, tls) =>
            ph.Policy.Mode != PolicyMode.Testing
            || Enforcement.Enforce(ph.Policy, ph.Host, tls) is Decision.Deliver or Decision.DeliverAndReport);

    /// <summary>In <c>enforce</c> an MX is refused iff no pattern matches it or TLS failed (§4, §5).</summary>
    [Law]
    public Property EnforceRefusesIffNoPatternMatchesOrTlsFailed() =>
        Prop.ForAll(PolicyAndHost, Tls, (ph, tls) =>
        {
            var matches = ph.Policy.Mx.Exists(p => Enforcement.MxMatches(p, ph.Host));
            var tlsFailed = tls is not (TlsOutcome.NotNegotiated or TlsOutcome.Valid);
            return (ph.Policy.Mode != PolicyMode.Enforce
                    || (Enforcement.Enforce(ph.Policy, ph.Host, tls) is Decision.Refuse) == (!matches || tlsFailed))
                .Classify(matches, "matches")
                .Classify(tlsFailed, "TLS failed")
                .Collect(ph.Policy.Mode);
        });

    /// <summary>Adding an <c>mx</c> pattern never turns a deliver into a refuse (§4.1: any pattern suffices).</summary>
    [Law]
    public Property AddingAnMxNeverTurnsDeliverIntoRefuse() =>
        Prop.ForAll(PolicyAndHost, Arb.From(Generators.Generators.MxPattern), Tls, (ph, extra, tls) =>
        {
            var before = Enforcement.Enforce(ph.Policy, ph.Host, tls);
            var wider = Generators.Generators.Right(Policy.Create(ph.Policy.Mode, ph.Policy.Mx.Add(extra), ph.Policy.MaxAge, ph.Policy.Extensions));
            var after = Enforcement.Enforce(wider, ph.Host, tls);
            return (before is not Decision.Deliver || after is Decision.Deliver).Classify(before is Decision.Deliver, "delivered before");
        });

    /// <summary>DANE always wins: with DANE applying, MTA-STS is never applied (§2, M-06).</summary>
    [Law]
    public Property DaneAlwaysPrecedes() =>
        Prop.ForAll(PolicyAndHost, Tls, (ph, tls) =>
            Enforcement.Enforce(LanguageExt.Option<Policy>.Some(ph.Policy), ph.Host, tls, daneApplies: true) == new Decision.NotApplied(NotAppliedReason.Dane));
}
