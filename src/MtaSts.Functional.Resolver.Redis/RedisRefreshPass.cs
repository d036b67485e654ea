using System.Collections.Concurrent;
using LanguageExt;
using MtaSts.Functional.Lifecycle;

namespace MtaSts.Functional.Resolver.Redis;

/// <summary>
/// One proactive refresh pass of a fleet (RFC 8461 §3.3, §10.2; C-06) on the shared cache: walks the index of
/// domains whose refresh is due (never <c>KEYS</c>/<c>SCAN</c>), takes each domain's lease (<c>SET NX PX</c>, in the
/// same script that reads the entry), and refreshes only the domains this node leased and that are still due
/// (another node may have refreshed one since the index was read). Other nodes keep serving the current entry.
/// </summary>
public sealed class RedisRefreshPass
{
    private readonly RedisPolicyCache cache;
    private readonly Func<PolicyDomain, CancellationToken, Task> refresh;
    private readonly TimeProvider time;
    private readonly MtaStsOptions options;

    /// <summary>Creates the pass.</summary>
    /// <param name="cache">The shared cache.</param>
    /// <param name="resolver">Refreshes a leased domain (<see cref="IMtaStsResolver.RefreshAsync(PolicyDomain, CancellationToken)"/>).</param>
    /// <param name="time">The clock.</param>
    /// <param name="options">Refresh interval, jitter and concurrency.</param>
    public RedisRefreshPass(RedisPolicyCache cache, IMtaStsResolver resolver, TimeProvider time, MtaStsOptions options)
        : this(cache, Refresh(resolver), time, options)
    {
    }

    internal RedisRefreshPass(RedisPolicyCache cache, Func<PolicyDomain, CancellationToken, Task> refresh, TimeProvider time, MtaStsOptions options)
    {
        this.cache = cache ?? throw new ArgumentNullException(nameof(cache));
        this.refresh = refresh ?? throw new ArgumentNullException(nameof(refresh));
        this.time = time ?? throw new ArgumentNullException(nameof(time));
        this.options = options ?? throw new ArgumentNullException(nameof(options));
    }

    private static Func<PolicyDomain, CancellationToken, Task> Refresh(IMtaStsResolver resolver)
    {
        ArgumentNullException.ThrowIfNull(resolver);
        return (domain, cancellationToken) => resolver.RefreshAsync(domain, cancellationToken);
    }

    /// <summary>Runs one pass; when Redis does not answer, it refreshes nothing (the next pass tries again).</summary>
    /// <param name="cancellationToken">Stops the pass.</param>
    /// <returns>The domains this node refreshed, ordered.</returns>
    public async Task<Seq<PolicyDomain>> RunAsync(CancellationToken cancellationToken = default)
    {
        const int Batch = 1000;
        var now = time.GetUtcNow();
        var dueNow = await cache.DueAsync(now).ConfigureAwait(false);
        if (dueNow.IsNone)
        {
            return Seq<PolicyDomain>.Empty;
        }

        var due = (PolicyDomain[])dueNow;

        var refreshed = new ConcurrentBag<PolicyDomain>();
        for (var start = 0; start < due.Length; start += Batch)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var batch = due.AsMemory(start, Math.Min(Batch, due.Length - start)).ToArray();
            var leased = await Task.WhenAll(batch.Select(cache.LeaseAsync)).ConfigureAwait(false);
            var mine = new List<PolicyDomain>();
            for (var i = 0; i < batch.Length; i++)
            {
                if (leased[i].IsNone)
                {
                    continue;
                }

                var entry = (Option<CacheEntry>)leased[i];

                // The check under the lease: still valid and due (RefreshDue with the largest jitter is the earliest any node would refresh).
                if (entry.IsSome && PolicyLifecycle.RefreshDue((CacheEntry)entry, now, options.RefreshInterval, options.RefreshJitter))
                {
                    mine.Add(batch[i]);
                }
                else if (entry.IsNone || ((CacheEntry)entry).ValidAt(now).IsNone)
                {
                    await cache.NotDueAsync(batch[i]).ConfigureAwait(false);
                }
            }

            await Parallel.ForEachAsync(
                mine,
                new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.RefreshConcurrency), CancellationToken = cancellationToken },
                async (domain, ct) =>
                {
                    await refresh(domain, ct).ConfigureAwait(false);
                    refreshed.Add(domain);
                }).ConfigureAwait(false);
        }

        return refreshed.OrderBy(static d => d.Value, StringComparer.Ordinal).ToSeq().Strict();
    }
}
