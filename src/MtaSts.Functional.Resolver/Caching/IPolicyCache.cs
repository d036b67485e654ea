using System.Collections.Concurrent;
using LanguageExt;

namespace MtaSts.Functional.Resolver;

/// <summary>
/// Where the resolver keeps <see cref="CacheEntry"/> values, keyed by the lower-case A-label policy
/// domain. Implementations are thread-safe and never throw for storage problems (they report them
/// and carry on), so a broken disk never stops delivery.
/// </summary>
public interface IPolicyCache
{
    /// <summary>The entry of <paramref name="domain"/>, if any.</summary>
    /// <param name="domain">The policy domain.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The entry or none.</returns>
    ValueTask<Option<CacheEntry>> GetAsync(string domain, CancellationToken cancellationToken = default);

    /// <summary>Stores <paramref name="entry"/>, replacing the domain's previous entry.</summary>
    /// <param name="entry">The entry.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task.</returns>
    ValueTask PutAsync(CacheEntry entry, CancellationToken cancellationToken = default);

    /// <summary>Removes the entry of <paramref name="domain"/>.</summary>
    /// <param name="domain">The policy domain.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>Whether there was one.</returns>
    ValueTask<bool> RemoveAsync(string domain, CancellationToken cancellationToken = default);

    /// <summary>Every entry (for the refresh pass and the CLI).</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The entries, ordered by domain.</returns>
    ValueTask<Seq<CacheEntry>> ListAsync(CancellationToken cancellationToken = default);
}

/// <summary>The in-process cache: a concurrent dictionary. Lost when the process ends.</summary>
public sealed class InMemoryPolicyCache : IPolicyCache
{
    private readonly ConcurrentDictionary<string, CacheEntry> entries = new(StringComparer.OrdinalIgnoreCase);

    /// <inheritdoc/>
    public ValueTask<Option<CacheEntry>> GetAsync(string domain, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(entries.TryGetValue(domain, out var entry) ? Prelude.Some(entry) : Option<CacheEntry>.None);

    /// <inheritdoc/>
    public ValueTask PutAsync(CacheEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        entries[entry.Domain] = entry;
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public ValueTask<bool> RemoveAsync(string domain, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(entries.TryRemove(domain, out _));

    /// <inheritdoc/>
    public ValueTask<Seq<CacheEntry>> ListAsync(CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(entries.Values.OrderBy(static e => e.Domain, StringComparer.Ordinal).ToSeq().Strict());
}
