using System.Collections.Concurrent;
using MtaSts.MailKit;

namespace MtaSts.TlsRpt;

/// <summary>
/// The TLSRPT session store in memory: implements MailKit's <see cref="ITlsSessionRecorder"/> port and
/// merges every session into the <see cref="DailyResults"/> of its (policy domain, UTC day). Safe for
/// concurrent recorders; lost when the process ends.
/// </summary>
public sealed class InMemoryTlsRptStore : ITlsSessionRecorder
{
    private readonly ConcurrentDictionary<(string PolicyDomain, DateOnly Day), DailyResults> days = new();

    /// <inheritdoc/>
    public ValueTask RecordAsync(TlsSession session, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        var key = DailyResults.KeyOf(session);
        days.AddOrUpdate(key, static (k, s) => DailyResults.Empty(k.PolicyDomain, k.Day).Add(s), static (_, old, s) => old.Add(s), session);
        return ValueTask.CompletedTask;
    }

    /// <summary>The results of one policy domain and day, when any session was recorded.</summary>
    /// <param name="policyDomain">The policy domain (A-labels).</param>
    /// <param name="day">The UTC day.</param>
    /// <returns>The results, or null.</returns>
    public DailyResults? Get(string policyDomain, DateOnly day) => days.TryGetValue((policyDomain, day), out var r) ? r : null;

    /// <summary>Every (policy domain, day) with results for <paramref name="day"/>, ordered by domain.</summary>
    /// <param name="day">The UTC day.</param>
    /// <returns>The results of that day.</returns>
    public IReadOnlyList<DailyResults> Day(DateOnly day) =>
        [.. days.Where(kv => kv.Key.Day == day).Select(static kv => kv.Value).OrderBy(static r => r.PolicyDomain, StringComparer.Ordinal)];
}
