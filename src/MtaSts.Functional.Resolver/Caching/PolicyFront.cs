using System.Collections.Concurrent;
using LanguageExt;
using MtaSts.Functional.Lifecycle;

namespace MtaSts.Functional.Resolver;

/// <summary>
/// The in-memory front of the cache, above the storage port (<see cref="IPolicyCache"/>): per domain,
/// the parsed entry as last read or written, the last TXT answer and until when it may be reused, and
/// when <c>LastUsed</c> last reached the storage. A warm lookup reads only this: no DNS, no disk, no parse.
/// </summary>
internal sealed class PolicyFront
{
    private readonly ConcurrentDictionary<PolicyDomain, Slot> slots = new();
    private ConcurrentDictionary<PolicyDomain, DateTimeOffset> pending = new();

    /// <summary>How many domains the front holds.</summary>
    public int Count => slots.Count;

    public bool TryGet(PolicyDomain domain, out Slot slot) => slots.TryGetValue(domain, out slot!);

    public void Set(PolicyDomain domain, Slot slot) => slots[domain] = slot;

    public void Forget(PolicyDomain domain) => slots.TryRemove(domain, out _);

    /// <summary>Notes a use to write in the next batch (the latest time per domain wins).</summary>
    public void Used(PolicyDomain domain, DateTimeOffset at) => pending[domain] = at;

    /// <summary>Takes the uses noted since the last batch.</summary>
    public IReadOnlyCollection<KeyValuePair<PolicyDomain, DateTimeOffset>> TakeUses()
    {
        var taken = Interlocked.Exchange(ref pending, new ConcurrentDictionary<PolicyDomain, DateTimeOffset>());
        return taken.ToArray();
    }

    /// <summary>
    /// One domain's state. Immutable except <see cref="Memo"/>, the last warm resolution, which a lookup
    /// that settles the same way hands out again instead of allocating a new one.
    /// </summary>
    /// <param name="Entry">The entry as the storage has it (none: the storage has no entry).</param>
    /// <param name="Txt">The last TXT answer, if any.</param>
    /// <param name="TxtUntil">Until when <paramref name="Txt"/> may be reused (exclusive).</param>
    /// <param name="LastUsedWritten">When the storage last learned of a use.</param>
    internal sealed record Slot(Option<CacheEntry> Entry, TxtOutcome? Txt, DateTimeOffset TxtUntil, DateTimeOffset LastUsedWritten)
    {
        public Memo? Memo { get; set; }
    }

    /// <summary>A warm resolution and the same value as the task the string overload returns.</summary>
    internal sealed class Memo(Resolution resolution)
    {
        private Task<Either<MtaStsError, Resolution>>? task;

        public Resolution Resolution { get; } = resolution;

        public Task<Either<MtaStsError, Resolution>> Task => task ??= System.Threading.Tasks.Task.FromResult(Either<MtaStsError, Resolution>.Right(Resolution));
    }
}
