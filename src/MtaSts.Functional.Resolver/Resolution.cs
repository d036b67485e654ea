using LanguageExt;

namespace MtaSts.Functional.Resolver;

/// <summary>The answer to "what is the MTA-STS policy of this domain right now".</summary>
/// <param name="Domain">The normalised policy domain (lower-case A-labels).</param>
/// <param name="Policy">The policy to apply with its id, text and lifetime, or none: deliver as without MTA-STS.</param>
/// <param name="Source">Where the policy came from.</param>
/// <param name="Txt">What the TXT lookup gave.</param>
/// <param name="Fetch">What the HTTPS fetch gave, when one was made.</param>
/// <param name="Reports">What to log, alert on, or put in a TLSRPT report.</param>
public sealed record Resolution(string Domain, Option<CachedPolicy> Policy, PolicySource Source, TxtOutcome Txt, Option<FetchOutcome> Fetch, Seq<LifecycleReport> Reports)
{
    /// <summary>The core's decision for one MX host under this resolution (RFC 8461 §4, §5).</summary>
    /// <param name="mxHost">The MX host.</param>
    /// <param name="tls">The TLS outcome with it, if known.</param>
    /// <param name="daneApplies">Whether DANE applies to the domain (M-06).</param>
    /// <returns>The decision.</returns>
    public Decision Decide(string mxHost, TlsOutcome tls = TlsOutcome.NotNegotiated, bool daneApplies = false) =>
        Enforcement.Enforce(Policy.Map(static p => p.Policy), mxHost, tls, daneApplies);
}

/// <summary>A resolution and the decision for each MX host, in preference order (RFC 8461 §5).</summary>
/// <param name="Resolution">The policy lookup.</param>
/// <param name="Candidates">Every MX with its decision; none dropped.</param>
public sealed record DeliveryPlan(Resolution Resolution, Seq<MxCandidate> Candidates);
