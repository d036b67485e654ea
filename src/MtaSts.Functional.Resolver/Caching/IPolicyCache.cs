using System.Collections.Concurrent;
using LanguageExt;
using MtaSts.Functional.Lifecycle;

namespace MtaSts.Functional.Resolver;

/// <summary>
/// The storage port: where the resolver keeps <see cref="CacheEntry"/> values, keyed by
/// <see cref="PolicyDomain"/>. Implementations are thread-safe and never throw for storage problems
/// (they report them in <see cref="Problem"/> and carry on), so a broken disk never stops delivery.
/// The resolver keeps the parsed entries in memory in front of it: a storage is read once per domain
/// and process (and again before a fetch, in case another process sharing it fetched first), written
/// when an entry changes, and told about use (<see cref="CacheEntry.LastUsed"/>) in batches.
/// </summary>
public interface IPolicyCache
{
    /// <summary>Why the storage cannot be used right now (the host can alert on it), or null when it can.</summary>
    string? Problem => null;

    /// <summary>The entry of <paramref name="domain"/>, if any.</summary>
    /// <param name="domain">The policy domain.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The entry or none.</returns>
    ValueTask<Option<CacheEntry>> GetAsync(PolicyDomain domain, CancellationToken cancellationToken = default);

    /// <summary>Stores <paramref name="entry"/>, replacing the domain's previous entry.</summary>
    /// <param name="entry">The entry.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task.</returns>
    ValueTask PutAsync(CacheEntry entry, CancellationToken cancellationToken = default);

    /// <summary>Removes the entry of <paramref name="domain"/>.</summary>
    /// <param name="domain">The policy domain.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>Whether there was one.</returns>
    ValueTask<bool> RemoveAsync(PolicyDomain domain, CancellationToken cancellationToken = default);

    /// <summary>Every entry (for the refresh pass and the CLI).</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The entries, ordered by domain.</returns>
    ValueTask<Seq<CacheEntry>> ListAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Records that entries were used (a batch of <see cref="CacheEntry.LastUsed"/> updates): each
    /// existing entry's <c>LastUsed</c> moves forward to the given time, nothing else changes, and a
    /// domain without an entry is skipped. The default reads and writes each entry; a storage that can
    /// update in place (one transaction) should.
    /// </summary>
    /// <param name="uses">Domain and time of last use.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task.</returns>
    async ValueTask TouchAsync(IReadOnlyCollection<KeyValuePair<PolicyDomain, DateTimeOffset>> uses, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(uses);
        foreach (var (domain, at) in uses)
        {
            var entry = await GetAsync(domain, cancellationToken).ConfigureAwait(false);
            if (entry.IsSome && ((CacheEntry)entry).LastUsed < at)
            {
                await PutAsync((CacheEntry)entry with { LastUsed = at }, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}

/// <summary>The in-process storage: a concurrent dictionary. Lost when the process ends.</summary>
public sealed class InMemoryPolicyCache : IPolicyCache
{
    private readonly ConcurrentDictionary<PolicyDomain, CacheEntry> entries = new();

    /// <inheritdoc/>
    public ValueTask<Option<CacheEntry>> GetAsync(PolicyDomain domain, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(domain);
        return ValueTask.FromResult(entries.TryGetValue(domain, out var entry) ? Prelude.Some(entry) : Option<CacheEntry>.None);
    }

    /// <inheritdoc/>
    public ValueTask PutAsync(CacheEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        entries[entry.Domain] = entry;
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public ValueTask<bool> RemoveAsync(PolicyDomain domain, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(domain);
        return ValueTask.FromResult(entries.TryRemove(domain, out _));
    }

    /// <inheritdoc/>
    public ValueTask<Seq<CacheEntry>> ListAsync(CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(entries.Values.OrderBy(static e => e.Domain.Value, StringComparer.Ordinal).ToSeq().Strict());

    /// <inheritdoc/>
    public ValueTask TouchAsync(IReadOnlyCollection<KeyValuePair<PolicyDomain, DateTimeOffset>> uses, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(uses);
        foreach (var (domain, at) in uses)
        {
            while (entries.TryGetValue(domain, out var entry) && entry.LastUsed < at && !entries.TryUpdate(domain, entry with { LastUsed = at }, entry))
            {
                // Another writer replaced the entry meanwhile: read it again.
            }
        }

        return ValueTask.CompletedTask;
    }
}
