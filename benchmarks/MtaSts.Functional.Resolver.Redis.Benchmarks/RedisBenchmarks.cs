using BenchmarkDotNet.Attributes;
using MtaSts.Functional.Lifecycle;
using static MtaSts.Functional.Resolver.Redis.Benchmarks.Entries;

namespace MtaSts.Functional.Resolver.Redis.Benchmarks;

/// <summary>
/// Lookups on a node whose cache is on Redis (issue 14): warm (the resolver's in-memory front answers, no network),
/// against the same resolver on the in-memory storage; and the first lookup of a domain another node cached
/// (one Redis round trip). DNS and HTTPS are in-memory ports.
/// </summary>
[MemoryDiagnoser]
public class RedisLookupBenchmarks
{
    private static readonly PolicyDomain Warm = Name("warm.test");
    private static readonly PolicyDomain Other = Name("other.test");
    private BenchRedis server = null!;
    private RedisPolicyCache nodeA = null!;
    private RedisPolicyCache nodeB = null!;
    private MtaStsResolver onRedis = null!;
    private MtaStsResolver inMemory = null!;
    private MtaStsOptions options = null!;

    [GlobalSetup]
    public void Setup()
    {
        server = new BenchRedis();
        var cacheOptions = new MtaStsRedisOptions { KeyPrefix = "bench", OperationTimeout = TimeSpan.FromSeconds(5) };
        nodeA = Connect(cacheOptions, "a");
        nodeB = Connect(cacheOptions, "b");
        options = new MtaStsOptions { TxtGrace = TimeSpan.FromHours(1), LastUsedInterval = TimeSpan.FromHours(1), ProactiveRefresh = false };
        onRedis = Resolver(nodeB);
        inMemory = Resolver(new InMemoryPolicyCache());
        Ok(onRedis.ResolveAsync(Warm).AsTask().GetAwaiter().GetResult());
        Ok(inMemory.ResolveAsync(Warm).AsTask().GetAwaiter().GetResult());
        nodeA.PutAsync(Entry(Other.Value, DateTimeOffset.UtcNow)).AsTask().GetAwaiter().GetResult();

        // What each kind of lookup sends to Redis, counted by the server.
        var before = server.Commands();
        for (var i = 0; i < 10_000; i++)
        {
            onRedis.ResolveAsync(Warm).AsTask().GetAwaiter().GetResult();
        }

        var warm = server.Commands();
        for (var i = 0; i < 1_000; i++)
        {
            FirstLookupOfADomainAnotherNodeCached().GetAwaiter().GetResult();
        }

        var first = server.Commands();
        Console.WriteLine($"// redis commands: warm lookup {(warm.Total - before.Total) / 10_000.0:F3} per lookup; first lookup {(first.Total - warm.Total) / 1_000.0:F3} per lookup ({(first.Reads - warm.Reads) / 1_000.0:F3} HMGET, {(first.Scripts - warm.Scripts) / 1_000.0:F3} scripts)");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        onRedis.Dispose();
        inMemory.Dispose();
        nodeA.Dispose();
        nodeB.Dispose();
        server.Dispose();
    }

    [Benchmark(Baseline = true)]
    public ValueTask<Resolution> WarmLookup_InMemoryStorage() => inMemory.ResolveAsync(Warm);

    [Benchmark]
    public ValueTask<Resolution> WarmLookup_RedisStorage() => onRedis.ResolveAsync(Warm);

    /// <summary>A new resolver on node B (empty front, node B's copy forgotten): one read of the entry node A wrote.</summary>
    [Benchmark]
    public async Task<Resolution> FirstLookupOfADomainAnotherNodeCached()
    {
        nodeB.ForgetLocal(Other);
        using var fresh = Resolver(nodeB);
        return await fresh.ResolveAsync(Other).ConfigureAwait(false);
    }

    /// <summary>The storage read alone: one HMGET round trip, decode and parse.</summary>
    [Benchmark]
    public async Task<LanguageExt.Option<CacheEntry>> StorageReadOfADomainAnotherNodeCached()
    {
        nodeB.ForgetLocal(Other);
        return await nodeB.GetAsync(Other).ConfigureAwait(false);
    }

    private static void Ok(Resolution r)
    {
        if (r.Policy.IsNone)
        {
            throw new InvalidOperationException("the benchmark resolver found no policy");
        }
    }

    private MtaStsResolver Resolver(IPolicyCache cache) => new(cache, new FixedTxt("v1"), new FixedFetch(), TimeProvider.System, options);

    private RedisPolicyCache Connect(MtaStsRedisOptions cacheOptions, string node) =>
        RedisPolicyCache.ConnectAsync(server.ConnectionString, new MtaStsRedisOptions { KeyPrefix = cacheOptions.KeyPrefix, OperationTimeout = cacheOptions.OperationTimeout, NodeName = node }, requireConnection: true)
            .GetAwaiter().GetResult().IfLeft(static e => throw new InvalidOperationException(e));
}

/// <summary>
/// The fleet's refresh pass over 100,000 due domains in the index (issue 14): reading the due part of the index and
/// taking every lease (the refresh itself is a no-op here; leases last 1 ms so that each pass leases every domain again).
/// </summary>
public class RedisRefreshPassBenchmarks
{
    private const int Domains = 100_000;
    private BenchRedis server = null!;
    private RedisPolicyCache cache = null!;
    private RedisRefreshPass pass = null!;

    [GlobalSetup]
    public void Setup()
    {
        server = new BenchRedis();
        var options = new MtaStsRedisOptions { KeyPrefix = "pass", LeaseTime = TimeSpan.FromMilliseconds(1), OperationTimeout = TimeSpan.FromSeconds(30), NodeName = "pass" };
        cache = RedisPolicyCache.ConnectAsync(server.ConnectionString, options, requireConnection: true).GetAwaiter().GetResult().IfLeft(static e => throw new InvalidOperationException(e));
        var due = DateTimeOffset.UtcNow.AddHours(-13);
        Parallel.ForEachAsync(Enumerable.Range(0, Domains), new ParallelOptions { MaxDegreeOfParallelism = 64 }, async (i, _) => await cache.PutAsync(Entry($"d{i:D6}.pass.test", due)).ConfigureAwait(false)).GetAwaiter().GetResult();
        var resolver = new MtaStsOptions { RefreshConcurrency = 64 };
        pass = new RedisRefreshPass(cache, static (_, _) => Task.CompletedTask, TimeProvider.System, resolver);

        var before = server.Commands();
        var refreshed = pass.RunAsync().GetAwaiter().GetResult().Count;
        var after = server.Commands();
        Console.WriteLine($"// refresh pass: {refreshed} domains leased; redis commands per domain {(after.Total - before.Total) / (double)Domains:F3} (of which client scripts {(after.Scripts - before.Scripts) / (double)Domains:F3})");
        if (refreshed != Domains)
        {
            throw new InvalidOperationException($"the pass leased {refreshed} of {Domains} domains");
        }

        Thread.Sleep(10);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        cache.Dispose();
        server.Dispose();
    }

    [Benchmark]
    public async Task<int> RefreshPass_100000DueDomains() => (await pass.RunAsync().ConfigureAwait(false)).Count;
}

/// <summary>
/// How long until another node learns of a change (issue 14: every node applies a new policy within a bounded time):
/// node A writes a newer entry, node B's cache raises <see cref="RedisPolicyCache.Changed"/> on the notice.
/// </summary>
public class RedisNoticeBenchmarks
{
    private static readonly PolicyDomain Domain = Name("notice.test");
    private BenchRedis server = null!;
    private RedisPolicyCache nodeA = null!;
    private RedisPolicyCache nodeB = null!;
    private TaskCompletionSource seen = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private DateTimeOffset at = DateTimeOffset.UtcNow;

    [GlobalSetup]
    public void Setup()
    {
        server = new BenchRedis();
        nodeA = Connect("a");
        nodeB = Connect("b");
        nodeB.Subscribed.GetAwaiter().GetResult();
        nodeB.Changed += _ => seen.TrySetResult();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        nodeA.Dispose();
        nodeB.Dispose();
        server.Dispose();
    }

    /// <summary>One put-if-newer on node A until node B has the notice (its copy is forgotten then).</summary>
    [Benchmark]
    public async Task PutOnOneNode_UntilAnotherNodeForgetsItsCopy()
    {
        seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        at = at.AddSeconds(1);
        await nodeA.PutAsync(Entry(Domain.Value, at)).ConfigureAwait(false);
        await seen.Task.WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
    }

    private RedisPolicyCache Connect(string node) =>
        RedisPolicyCache.ConnectAsync(server.ConnectionString, new MtaStsRedisOptions { KeyPrefix = "notice", OperationTimeout = TimeSpan.FromSeconds(5), NodeName = node }, requireConnection: true)
            .GetAwaiter().GetResult().IfLeft(static e => throw new InvalidOperationException(e));
}
