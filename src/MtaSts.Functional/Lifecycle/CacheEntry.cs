using LanguageExt;

namespace MtaSts.Functional.Lifecycle;

/// <summary>A policy as the cache keeps it (RFC 8461 §3.2, §3.3; C-01).</summary>
public sealed record CachedPolicy
{
    /// <summary>
    /// The text as UTF-8 bytes (half the memory of a string for a policy; a cache may hold a million), or the
    /// string itself when UTF-8 cannot carry it (a lone surrogate). One field for both: 8 bytes per policy.
    /// </summary>
    private readonly object body;

    /// <summary>A cached policy.</summary>
    /// <param name="id">The TXT <c>id</c> it was fetched under.</param>
    /// <param name="policy">The parsed policy.</param>
    /// <param name="text">The policy text exactly as fetched (TLSRPT <c>policy-string</c>).</param>
    /// <param name="fetchedAt">When it was last fetched successfully.</param>
    /// <param name="expiresAt"><paramref name="fetchedAt"/> + <c>max_age</c> (N-34).</param>
    public CachedPolicy(PolicyId id, Policy policy, string text, DateTimeOffset fetchedAt, DateTimeOffset expiresAt)
    {
        Id = id ?? throw new ArgumentNullException(nameof(id));
        Policy = policy ?? throw new ArgumentNullException(nameof(policy));
        ArgumentNullException.ThrowIfNull(text);
        var bytes = System.Text.Encoding.UTF8.GetBytes(text);
        body = System.Text.Encoding.UTF8.GetString(bytes) == text ? bytes : text; // a lone surrogate: keep the string

        FetchedAt = fetchedAt;
        ExpiresAt = expiresAt;
    }

    /// <summary>The TXT <c>id</c> it was fetched under.</summary>
    public PolicyId Id { get; init; }

    /// <summary>The parsed policy.</summary>
    public Policy Policy { get; init; }

    /// <summary>The policy text exactly as fetched (TLSRPT <c>policy-string</c>).</summary>
    public string Text => body as string ?? System.Text.Encoding.UTF8.GetString((byte[])body);

    /// <summary>When it was last fetched successfully.</summary>
    public DateTimeOffset FetchedAt { get; init; }

    /// <summary><see cref="FetchedAt"/> + <c>max_age</c> (N-34).</summary>
    public DateTimeOffset ExpiresAt { get; init; }

    /// <summary>Value equality over id, policy, text and times.</summary>
    /// <param name="other">The other cached policy.</param>
    /// <returns>Whether they are equal.</returns>
    public bool Equals(CachedPolicy? other) =>
        other is not null && (ReferenceEquals(this, other)
            || Id == other.Id && Policy == other.Policy && FetchedAt == other.FetchedAt && ExpiresAt == other.ExpiresAt && Text == other.Text);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Id, FetchedAt, ExpiresAt);

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
