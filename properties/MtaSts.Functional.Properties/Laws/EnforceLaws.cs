using FsCheck;
using FsCheck.Fluent;
using MtaSts.Conformance.Generators;

namespace MtaSts.Functional.Properties.Laws;

/// <summary>RFC 8461 §5 (M-03, M-04): what each mode does with an MX.</summary>
public class EnforceLaws
{
    private static Arbitrary<(Policy Policy, string Host)> PolicyAndHost => Arb.From(HostGenerators.PolicyAndHost);

    private static Arbitrary<TlsOutcome> Tls => Arb.From(HostGenerators.Tls);

    /// <summary><c>none</c> never refuses: the domain has no active policy (§5).</summary>
    [Law]
    public Property NoneNeverRefuses() =>
        Prop.ForAll(PolicyAndHost, Tls, (ph, tls) =>
            (ph.Policy.Mode != PolicyMode.None
             || Enforcement.Enforce(ph.Policy, ph.Host, tls) is Decision.NotApplied { Reason: NotAppliedReason.ModeNone })
            .Classify(ph.Policy.Mode == PolicyMode.None, "mode none (the premise holds)"));

    /// <summary><c>testing</c> never refuses: deliver as though there were no failure, and report (§5).</summary>
    [Law]
    public Property TestingNeverRefuses() =>
        Prop.ForAll(PolicyAndHost, Tls, (ph, tls) =>
            (ph.Policy.Mode != PolicyMode.Testing
             || Enforcement.Enforce(ph.Policy, ph.Host, tls) is Decision.Deliver or Decision.DeliverAndReport)
            .Classify(ph.Policy.Mode == PolicyMode.Testing, "mode testing (the premise holds)")
            .Classify(ph.Policy.Mode == PolicyMode.Testing && Enforcement.Enforce(ph.Policy, ph.Host, tls) is Decision.DeliverAndReport, "testing, failure reported"));

    /// <summary>In <c>enforce</c> an MX is refused iff no pattern matches it or TLS failed (§4, §5).</summary>
    [Law]
    public Property EnforceRefusesIffNoPatternMatchesOrTlsFailed() =>
        Prop.ForAll(PolicyAndHost, Tls, (ph, tls) =>
        {
            var matches = ph.Policy.Mx.Exists(p => Enforcement.MxMatches(p, ph.Host));
            var tlsFailed = tls.Failure.IsSome;
            return (ph.Policy.Mode != PolicyMode.Enforce
                    || (Enforcement.Enforce(ph.Policy, ph.Host, tls) is Decision.Refuse) == (!matches || tlsFailed))
                .Classify(matches, "matches")
                .Classify(tlsFailed, "TLS failed")
                .Collect(ph.Policy.Mode);
        });

    /// <summary>Adding an <c>mx</c> pattern never turns a deliver into a refuse (§4.1: any pattern suffices).</summary>
    [Law]
    public Property AddingAnMxNeverTurnsDeliverIntoRefuse() =>
        Prop.ForAll(PolicyAndHost, Arb.From(Generators.MxPattern), Tls, (ph, extra, tls) =>
        {
            var before = Enforcement.Enforce(ph.Policy, ph.Host, tls);
            var wider = Generators.Right(Policy.Create(ph.Policy.Mode, ph.Policy.Mx.Add(extra), ph.Policy.MaxAge, ph.Policy.Extensions));
            var after = Enforcement.Enforce(wider, ph.Host, tls);
            return (before is not Decision.Deliver || after is Decision.Deliver).Classify(before is Decision.Deliver, "delivered before");
        });

    /// <summary>DANE always wins: with DANE applying, MTA-STS is never applied (§2, M-06).</summary>
    [Law]
    public Property DaneAlwaysPrecedes() =>
        Prop.ForAll(PolicyAndHost, Tls, (ph, tls) =>
            Enforcement.Enforce(LanguageExt.Option<Policy>.Some(ph.Policy), ph.Host, tls, daneApplies: true) is Decision.NotApplied { Reason: NotAppliedReason.Dane });
}
