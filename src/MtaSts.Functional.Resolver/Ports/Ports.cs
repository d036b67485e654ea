using MtaSts.Functional.Lifecycle;

namespace MtaSts.Functional.Resolver;

/// <summary>
/// What a TXT lookup gave, with how long DNS says it may be reused: the least TTL of the answer's
/// records (CNAMEs included), the SOA minimum of a negative answer, zero for a temporary failure.
/// </summary>
/// <param name="Outcome">The outcome, with the raw TXT strings.</param>
/// <param name="TimeToLive">How long the answer may be reused (never negative).</param>
public sealed record TxtAnswer(TxtOutcome Outcome, TimeSpan TimeToLive);

/// <summary>The port for the <c>_mta-sts.&lt;domain&gt;</c> TXT lookup (RFC 8461 §3.1).</summary>
public interface ITxtLookup
{
    /// <summary>Looks up the domain's TXT records and classifies them; never throws for DNS problems.</summary>
    /// <param name="domain">The policy domain.</param>
    /// <param name="cancellationToken">Cancels the lookup (the only exception it throws).</param>
    /// <returns>The answer.</returns>
    Task<TxtAnswer> LookupTxtAsync(PolicyDomain domain, CancellationToken cancellationToken = default);
}

/// <summary>The port for the HTTPS policy fetch (RFC 8461 §3.3).</summary>
public interface IPolicyFetcher
{
    /// <summary>Fetches <see cref="PolicyDomain.PolicyUrl"/>; never throws for network or HTTP problems.</summary>
    /// <param name="domain">The policy domain.</param>
    /// <param name="cancellationToken">Cancels the fetch (the only exception it throws).</param>
    /// <returns>The fetched policy, or the typed failure.</returns>
    Task<FetchOutcome> FetchAsync(PolicyDomain domain, CancellationToken cancellationToken = default);
}
