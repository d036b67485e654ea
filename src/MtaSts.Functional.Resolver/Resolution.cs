using LanguageExt;
using MtaSts.Functional.Lifecycle;

namespace MtaSts.Functional.Resolver;

/// <summary>The answer to "what is the MTA-STS policy of this domain right now".</summary>
/// <param name="Domain">The policy domain.</param>
/// <param name="Txt">What the TXT lookup gave, with the raw TXT strings (possibly a reused answer, see <see cref="MtaStsOptions.TxtGrace"/>).</param>
/// <param name="Step">The lifecycle's settled step: the policy to apply, where it came from, what to report.</param>
public sealed record Resolution(PolicyDomain Domain, TxtOutcome Txt, LifecycleStep Step)
{
    /// <summary>The policy to apply with its id, text and lifetime, or none: deliver as without MTA-STS.</summary>
    public Option<CachedPolicy> Policy => Step.Apply;

    /// <summary>Where the policy came from (<see cref="PolicySource.Live"/>: fetched by this lookup).</summary>
    public PolicySource Source => Step.Source;

    /// <summary>What to log, alert on, or put in a TLSRPT report (a failed fetch is a <see cref="LifecycleReport.FetchFailed"/>).</summary>
    public Seq<LifecycleReport> Reports => Step.Reports;

    /// <summary>The core's decision for one MX host under this resolution (RFC 8461 §4, §5).</summary>
    /// <param name="mxHost">The MX host.</param>
    /// <param name="tls">The TLS outcome with it, if known.</param>
    /// <param name="daneApplies">Whether DANE applies to the domain (M-06).</param>
    /// <returns>The decision.</returns>
    public Decision Decide(string mxHost, TlsOutcome tls = default, bool daneApplies = false) =>
        Enforcement.Enforce(Step.Policy, mxHost, tls, daneApplies);
}

/// <summary>A resolution and the decision for each MX host, in preference order (RFC 8461 §5).</summary>
/// <param name="Resolution">The policy lookup.</param>
/// <param name="Candidates">Every MX with its decision; none dropped.</param>
public sealed record DeliveryPlan(Resolution Resolution, Seq<MxCandidate> Candidates);
