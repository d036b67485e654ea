using FsCheck;
using FsCheck.Fluent;
using MtaSts.Conformance.Generators;

namespace MtaSts.Functional.Properties.Laws;

/// <summary>RFC 8461 §3.2, §3.4 (M-07, N-15): where the policy of a domain is fetched.</summary>
public class PolicyUrlLaws
{
    /// <summary>The URL is https://mta-sts.&lt;the domain, lower-cased, without its trailing dot&gt;/.well-known/mta-sts.txt; a name that is no domain has none.</summary>
    [Law]
    public Property PolicyUrlIsTheLowerCasedDomainUnderMtaSts() =>
        Prop.ForAll(Arb.From(HostGenerators.PolicyDomain), static d =>
            (Enforcement.PolicyUrl(d.Domain).Match(Right: static u => u.AbsoluteUri, Left: static _ => string.Empty) == (d.Url ?? string.Empty))
                .Label($"{d.Domain} → {d.Url ?? "no URL"}: {Enforcement.PolicyUrl(d.Domain)}")
                .Classify(d.Url is null, "no URL"));
}
