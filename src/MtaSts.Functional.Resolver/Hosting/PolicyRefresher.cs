using LanguageExt;
using MtaSts.Functional.Lifecycle;

namespace MtaSts.Functional.Resolver;

/// <summary>
/// One proactive refresh pass (RFC 8461 §3.3, §10.2; C-06): every cached, still-valid policy whose
/// <see cref="PolicyLifecycle.RefreshAt"/> has come is re-fetched, a bounded number at a time. Failures are
/// logged by the resolver (a warning unless the cached mode is <c>none</c>).
/// </summary>
public sealed class PolicyRefresher
{
    private readonly IPolicyCache cache;
    private readonly IMtaStsResolver resolver;
    private readonly TimeProvider time;
    private readonly MtaStsOptions options;
    private readonly Func<PolicyDomain, TimeSpan> jitter;

    /// <summary>Creates the refresher; each domain's jitter is drawn at random up to <see cref="MtaStsOptions.RefreshJitter"/>.</summary>
    /// <param name="cache">The cache to scan.</param>
    /// <param name="resolver">Does the refreshing.</param>
    /// <param name="time">The clock.</param>
    /// <param name="options">Interval, jitter, concurrency.</param>
    public PolicyRefresher(IPolicyCache cache, IMtaStsResolver resolver, TimeProvider time, MtaStsOptions options)
    {
        this.cache = cache ?? throw new ArgumentNullException(nameof(cache));
        this.resolver = resolver ?? throw new ArgumentNullException(nameof(resolver));
        this.time = time ?? throw new ArgumentNullException(nameof(time));
        this.options = options ?? throw new ArgumentNullException(nameof(options));
        jitter = _ => options.RefreshJitter * Random.Shared.NextDouble();
    }

    /// <summary>Runs one pass.</summary>
    /// <param name="cancellationToken">Stops the pass.</param>
    /// <returns>The domains refreshed, with their resolutions.</returns>
    public async Task<Seq<Resolution>> RefreshDueAsync(CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var entries = await cache.ListAsync(cancellationToken).ConfigureAwait(false);
        var due = entries.Filter(e => PolicyLifecycle.RefreshDue(e, now, options.RefreshInterval, jitter(e.Domain))).Map(static e => e.Domain).ToArray();
        var done = new System.Collections.Concurrent.ConcurrentBag<Resolution>();
        await Parallel.ForEachAsync(
            due,
            new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.RefreshConcurrency), CancellationToken = cancellationToken },
            async (domain, ct) => done.Add(await resolver.RefreshAsync(domain, ct).ConfigureAwait(false))).ConfigureAwait(false);
        return done.OrderBy(static r => r.Domain.Value, StringComparer.Ordinal).ToSeq().Strict();
    }
}
