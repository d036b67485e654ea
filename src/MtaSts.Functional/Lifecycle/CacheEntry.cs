using LanguageExt;

namespace MtaSts.Functional.Lifecycle;

/// <summary>A policy as the cache keeps it (RFC 8461 §3.2, §3.3; C-01).</summary>
/// <param name="Id">The TXT <c>id</c> it was fetched under.</param>
/// <param name="Policy">The parsed policy.</param>
/// <param name="Text">The policy text exactly as fetched (TLSRPT <c>policy-string</c>).</param>
/// <param name="FetchedAt">When it was last fetched successfully.</param>
/// <param name="ExpiresAt"><paramref name="FetchedAt"/> + <c>max_age</c> (N-34).</param>
public sealed record CachedPolicy(PolicyId Id, Policy Policy, string Text, DateTimeOffset FetchedAt, DateTimeOffset ExpiresAt)
{
    /// <summary>C-01: valid strictly before <see cref="ExpiresAt"/>; an expired policy is never applied.</summary>
    /// <param name="now">The current time.</param>
    /// <returns>Whether the policy may be applied at <paramref name="now"/>.</returns>
    public bool IsValidAt(DateTimeOffset now) => now < ExpiresAt;
}

/// <summary>The last failed fetch for a domain: the C-04 back-off is per domain and <c>id</c>.</summary>
/// <param name="Id">The <c>id</c> the fetch was for.</param>
/// <param name="At">When it failed.</param>
/// <param name="Failure">Why.</param>
public sealed record FailedFetch(PolicyId Id, DateTimeOffset At, FetchFailure Failure);

/// <summary>
/// One domain's cache entry: the last valid policy (if any), the last failed fetch (if any) and when
/// the entry was last used. Keyed by the policy domain.
/// </summary>
/// <param name="Domain">The policy domain (the cache key).</param>
/// <param name="Policy">The last successfully fetched policy, expired or not.</param>
/// <param name="LastFailure">The last failed fetch since that success.</param>
/// <param name="LastUsed">When a delivery lookup last consulted the entry (bookkeeping the shell writes in batches; no rule reads it).</param>
public sealed record CacheEntry(PolicyDomain Domain, Option<CachedPolicy> Policy, Option<FailedFetch> LastFailure, DateTimeOffset LastUsed)
{
    /// <summary>The cached policy when it may be applied at <paramref name="now"/> (C-01).</summary>
    /// <param name="now">The current time.</param>
    /// <returns>The valid policy, or none.</returns>
    public Option<CachedPolicy> ValidAt(DateTimeOffset now) => Policy.IsSome && ((CachedPolicy)Policy).IsValidAt(now) ? Policy : Option<CachedPolicy>.None;
}
