using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;

namespace MtaSts.Functional.Resolver.Tests.Resolving;

/// <summary>
/// The resolver sandwich over in-memory ports (no sockets): the warm path (no DNS, no storage read,
/// no parse inside the TXT grace), the grace bounded by the TTL, LastUsed in batches, the cache's health.
/// </summary>
public class WarmPathTests
{
    private static readonly DateTimeOffset Start = new(2026, 6, 1, 8, 0, 0, TimeSpan.Zero);
    private static readonly PolicyDomain Domain = "example.com".D();

    private sealed record World(MtaStsResolver Resolver, FakeTimeProvider Clock, FakeTxt Txt, FakeFetch Fetch, CountingCache Cache);

    private static World Create(Action<MtaStsOptions>? configure = null, ILogger<MtaStsResolver>? logger = null)
    {
        var options = new MtaStsOptions();
        configure?.Invoke(options);
        var (clock, txt, fetch, cache) = (new FakeTimeProvider(Start), new FakeTxt(), new FakeFetch(), new CountingCache());
        txt.Id("v1");
        return new World(new MtaStsResolver(cache, txt, fetch, clock, options, logger: logger), clock, txt, fetch, cache);
    }

    [Fact]
    public async Task WarmLookup_InsideTheGrace_AsksNoPortAndParsesNothing()
    {
        var w = Create();
        var first = await w.Resolver.ResolveAsync(Domain);
        Assert.Equal((PolicySource.Live, 1, 1, 1, 1), (first.Source, w.Txt.Queries, w.Fetch.Fetches, w.Cache.Gets, w.Cache.Puts));

        w.Clock.Advance(TimeSpan.FromSeconds(59));
        var warm = await w.Resolver.ResolveAsync(Domain);
        var again = await w.Resolver.ResolveAsync("EXAMPLE.com.");

        Assert.Equal((PolicySource.Cache, 1, 1, 1, 1), (warm.Source, w.Txt.Queries, w.Fetch.Fetches, w.Cache.Gets, w.Cache.Puts));
        Assert.Same(first.Step.Policy.IfNone(() => throw new InvalidOperationException()), warm.Step.Policy.IfNone(() => throw new InvalidOperationException()));
        Assert.Equal(PolicySource.Cache, again.Map(static r => r.Source).IfLeft(PolicySource.None));
    }

    [Fact]
    public async Task Grace_Ends_NextLookupAsksDns_AndANewIdIsFetched()
    {
        var w = Create();
        await w.Resolver.ResolveAsync(Domain);
        w.Txt.Id("v2");

        w.Clock.Advance(TimeSpan.FromSeconds(59));
        Assert.Equal("v1", (await w.Resolver.ResolveAsync(Domain)).Policy.Map(static p => p.Id.Value));
        w.Clock.Advance(TimeSpan.FromSeconds(1));
        var after = await w.Resolver.ResolveAsync(Domain);

        Assert.Equal((2, 2, "v2", PolicySource.Live), (w.Txt.Queries, w.Fetch.Fetches, after.Policy.Map(static p => p.Id.Value).IfNone(string.Empty), after.Source));
    }

    [Theory]
    [InlineData(10, 60, 10)]
    [InlineData(3600, 60, 60)]
    [InlineData(0, 60, 0)]
    [InlineData(3600, 0, 0)]
    public async Task Grace_IsTheLesserOfTheOptionAndTheTtl(int ttlSeconds, int graceSeconds, int reusedForSeconds)
    {
        var w = Create(o => o.TxtGrace = TimeSpan.FromSeconds(graceSeconds));
        w.Txt.Id("v1", TimeSpan.FromSeconds(ttlSeconds));
        await w.Resolver.ResolveAsync(Domain);

        await TxtReuse.AssertAskedAgainAfter(TimeSpan.FromSeconds(reusedForSeconds), async () => await w.Resolver.ResolveAsync(Domain), w.Clock, w.Txt);
    }

    [Fact]
    public async Task Refresh_AlwaysAsksDns_EvenInsideTheGrace()
    {
        var w = Create();
        await w.Resolver.ResolveAsync(Domain);

        var refreshed = await w.Resolver.RefreshAsync(Domain);

        Assert.Equal((2, 2, PolicySource.Live), (w.Txt.Queries, w.Fetch.Fetches, refreshed.Source));
    }

    [Fact]
    public async Task LastUsed_ReachesTheStorageAtMostOncePerInterval_InABatch_NeverPerLookup()
    {
        var w = Create(o => o.TxtGrace = TimeSpan.Zero);
        await w.Resolver.ResolveAsync(Domain);
        for (var i = 0; i < 100; i++)
        {
            w.Clock.Advance(TimeSpan.FromSeconds(2));
            await w.Resolver.ResolveAsync(Domain);
        }

        await w.Resolver.LastFlush;
        Assert.Equal((1, 0), (w.Cache.Puts, w.Cache.Touches.Count)); // 200 s of lookups, inside the 5-minute interval

        w.Clock.Advance(TimeSpan.FromMinutes(2));
        var usedAt = w.Clock.GetUtcNow();
        await w.Resolver.ResolveAsync(Domain);
        await w.Resolver.ResolveAsync(Domain);
        await w.Resolver.LastFlush;
        await w.Resolver.FlushAsync();

        var batch = Assert.Single(w.Cache.Touches, static t => t.Count > 0);
        Assert.Equal([KeyValuePair.Create(Domain, usedAt)], batch);
        Assert.Equal(usedAt, (await w.Cache.Inner.GetAsync(Domain)).Map(static e => e.LastUsed));
        Assert.Equal(1, w.Cache.Puts);
    }

    [Fact]
    public async Task NewIdAlreadyFetchedByAnotherProcess_IsReadFromTheStorage_NotFetched()
    {
        var w = Create(o => o.TxtGrace = TimeSpan.Zero);
        await w.Resolver.ResolveAsync(Domain);

        // Another resolver sharing the storage fetched id v2.
        var other = new MtaStsResolver(w.Cache, w.Txt, w.Fetch, w.Clock, new MtaStsOptions());
        w.Txt.Id("v2");
        await other.ResolveAsync(Domain);
        Assert.Equal(2, w.Fetch.Fetches);

        var seen = await w.Resolver.ResolveAsync(Domain);
        Assert.Equal((2, "v2", PolicySource.Cache), (w.Fetch.Fetches, seen.Policy.Map(static p => p.Id.Value).IfNone(string.Empty), seen.Source));
    }

    [Fact]
    public async Task WarmLookup_AllocatesAtMost256Bytes()
    {
        var w = Create();
        await w.Resolver.ResolveAsync(Domain);
        _ = w.Resolver.ResolveAsync("example.com");

        var before = GC.GetAllocatedBytesForCurrentThread();
        var task = w.Resolver.ResolveAsync("example.com");
        var valueTask = w.Resolver.ResolveAsync(Domain);
        var after = GC.GetAllocatedBytesForCurrentThread();

        Assert.True(task.IsCompletedSuccessfully && valueTask.IsCompletedSuccessfully);
        Assert.True(after - before <= 2 * 256, $"two warm lookups allocated {after - before} B");
    }

    [Fact]
    public void CacheProblem_IsExposed_AndLoggedOnce()
    {
        var logs = new FakeLogCollector();
        var logger = new FakeLogger<MtaStsResolver>(logs);
        var w = Create(logger: logger);
        Assert.Null(w.Resolver.CacheProblem);

        w.Cache.Problem = "SQLite error 26 on open: file is not a database";
        Assert.Equal(w.Cache.Problem, w.Resolver.CacheProblem);
        Assert.Equal(w.Cache.Problem, w.Resolver.CacheProblem);

        var record = Assert.Single(logs.GetSnapshot());
        Assert.Equal(("CacheUnusable", LogLevel.Error), (record.Id.Name, record.Level));
        Assert.Contains("file is not a database", record.Message, StringComparison.Ordinal);
    }
}
