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
    /// Forgets the TXT answers whose grace has ended (the next lookup asks DNS anyway), so that a
    /// domain looked up once does not keep its answer in memory. Returns how many were dropped.
    /// </summary>
    public int DropExpiredTxt(DateTimeOffset now)
    {
        var dropped = 0;
        foreach (var (domain, slot) in slots)
        {
            if (slot.Txt is not null && now >= slot.TxtUntil && slots.TryUpdate(domain, slot.WithoutTxt(), slot))
            {
                dropped++;
            }
        }

        return dropped;
    }

    /// <summary>
    /// One domain's state (kept small: a resolver may hold a million). Immutable except <see cref="Memo"/>,
    /// the last warm resolution, which a lookup that settles the same way hands out again instead of
    /// allocating a new one.
    /// </summary>
    internal sealed class Slot(CacheEntry? entry, TxtOutcome? txt, DateTimeOffset txtUntil, DateTimeOffset lastUsedWritten)
    {
        private readonly long txtUntil = txtUntil.UtcTicks;
        private readonly long lastUsedWritten = lastUsedWritten.UtcTicks;

        /// <summary>The entry as the storage has it (none: the storage has no entry).</summary>
        public Option<CacheEntry> Entry => Prelude.Optional(entry);

        /// <summary>The last TXT answer, if it may still be reused or has not been swept yet.</summary>
        public TxtOutcome? Txt { get; } = txt;

        /// <summary>Until when <see cref="Txt"/> may be reused (exclusive).</summary>
        public DateTimeOffset TxtUntil => new(txtUntil, TimeSpan.Zero);

        /// <summary>When the storage last learned of a use.</summary>
        public DateTimeOffset LastUsedWritten => new(lastUsedWritten, TimeSpan.Zero);

        public Memo? Memo { get; set; }

        public Slot WithLastUsedWritten(DateTimeOffset at) => new(entry, Txt, TxtUntil, at) { Memo = Memo };

        public Slot WithoutTxt() => new(entry, null, TxtUntil, LastUsedWritten);
    }

    /// <summary>A warm resolution and the same value as the task the string overload returns.</summary>
    internal sealed class Memo(Resolution resolution)
    {
        private Task<Either<MtaStsError, Resolution>>? task;

        public Resolution Resolution { get; } = resolution;

        public Task<Either<MtaStsError, Resolution>> Task => task ??= System.Threading.Tasks.Task.FromResult(Either<MtaStsError, Resolution>.Right(Resolution));
    }
}
