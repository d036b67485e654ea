using LanguageExt;
using Microsoft.Extensions.Time.Testing;

namespace MtaSts.Functional.Resolver.Tests.Resolving;

/// <summary>A TXT port that answers from memory and counts its queries.</summary>
internal sealed class FakeTxt : ITxtLookup
{
    private int queries;

    public TxtAnswer Answer { get; set; } = new(TxtOutcome.Absent, TimeSpan.FromHours(1));

    public int Queries => Volatile.Read(ref queries);

    public void Id(string id, TimeSpan? ttl = null) => Answer = new TxtAnswer(TxtOutcome.From([[$"v=STSv1; id={id};"]]), ttl ?? TimeSpan.FromHours(1));

    public Task<TxtAnswer> LookupTxtAsync(PolicyDomain domain, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref queries);
        return Task.FromResult(Answer);
    }
}

/// <summary>A fetch port that answers from memory and counts its fetches.</summary>
internal sealed class FakeFetch : IPolicyFetcher
{
    public const string Text = "version: STSv1\nmode: enforce\nmx: mail.example.com\nmax_age: 86400\n";
    private int fetches;

    public FetchOutcome Outcome { get; set; } = FetchOutcome.FromBody(Text);

    public int Fetches => Volatile.Read(ref fetches);

    public Task<FetchOutcome> FetchAsync(PolicyDomain domain, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref fetches);
        return Task.FromResult(Outcome);
    }
}

/// <summary>A storage that counts what the resolver asks of it (an in-memory one underneath).</summary>
internal sealed class CountingCache : IPolicyCache
{
    private readonly InMemoryPolicyCache inner = new();

    public int Gets { get; private set; }

    public int Puts { get; private set; }

    public List<IReadOnlyCollection<KeyValuePair<PolicyDomain, DateTimeOffset>>> Touches { get; } = [];

    public string? Problem { get; set; }

    public InMemoryPolicyCache Inner => inner;

    public ValueTask<Option<CacheEntry>> GetAsync(PolicyDomain domain, CancellationToken cancellationToken = default)
    {
        Gets++;
        return inner.GetAsync(domain, cancellationToken);
    }

    public ValueTask PutAsync(CacheEntry entry, CancellationToken cancellationToken = default)
    {
        Puts++;
        return inner.PutAsync(entry, cancellationToken);
    }

    public ValueTask<bool> RemoveAsync(PolicyDomain domain, CancellationToken cancellationToken = default) => inner.RemoveAsync(domain, cancellationToken);

    public ValueTask<Seq<CacheEntry>> ListAsync(CancellationToken cancellationToken = default) => inner.ListAsync(cancellationToken);

    public ValueTask TouchAsync(IReadOnlyCollection<KeyValuePair<PolicyDomain, DateTimeOffset>> uses, CancellationToken cancellationToken = default)
    {
        lock (Touches)
        {
            Touches.Add(uses);
        }

        return inner.TouchAsync(uses, cancellationToken);
    }
}

/// <summary>The reuse window of a TXT answer, seen from the TXT port.</summary>
internal static class TxtReuse
{
    /// <summary>
    /// After a first lookup that asked DNS: a lookup just before <paramref name="reusedFor"/> has passed asks
    /// nothing, one at <paramref name="reusedFor"/> asks again (zero: every lookup asks).
    /// </summary>
    public static async Task AssertAskedAgainAfter(TimeSpan reusedFor, Func<Task> lookup, FakeTimeProvider clock, FakeTxt txt)
    {
        if (reusedFor > TimeSpan.Zero)
        {
            clock.Advance(reusedFor - TimeSpan.FromTicks(1));
            await lookup();
            Assert.Equal(1, txt.Queries);
            clock.Advance(TimeSpan.FromTicks(1));
        }

        await lookup();
        Assert.Equal(2, txt.Queries);
    }
}
