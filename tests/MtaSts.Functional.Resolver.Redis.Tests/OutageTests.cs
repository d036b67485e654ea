using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using StackExchange.Redis;
using static MtaSts.Functional.Resolver.Redis.Tests.Fleet;

namespace MtaSts.Functional.Resolver.Redis.Tests;

/// <summary>Redis killed, restarted, paused: lookups keep answering, within the bound; nothing learned meanwhile is lost.</summary>
public sealed class OutageTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(1);

    [RedisFact]
    public async Task RedisKilledMidRun_LookupsKeepAnswering_AndWhatWasLearnedIsWrittenWhenItIsBack()
    {
        await using var server = await RedisServer.StartNewAsync(persistent: true);
        var prefix = Prefix();
        using var a = await NodeAsync(server, prefix, "a", timeout: Bound);
        using var b = await NodeAsync(server, prefix, "b", timeout: Bound);
        using var down = new MetricCollector<int>(a.Metrics.Meter, "mtasts.redis.available");
        var before = Enumerable.Range(0, 30).Select(static i => $"before{i:D2}.test").ToArray();
        var during = Enumerable.Range(0, 10).Select(static i => $"during{i:D2}.test").ToArray();
        foreach (var d in before)
        {
            await a.PutAsync(Entry(d, Policy("v1", Now)));
            Assert.True((await b.Get(d)).IsSome);
        }

        await server.KillAsync();

        foreach (var d in before)
        {
            Assert.Equal("v1", (await b.Get(d)).Bind(static e => e.Policy).Map(static p => p.Id.Value));
        }

        foreach (var d in during)
        {
            await a.PutAsync(Entry(d, Policy("v2", Now)));
            Assert.Equal("v2", (await a.Get(d)).Bind(static e => e.Policy).Map(static p => p.Id.Value));
        }

        Assert.True((await b.Get("unknown.test")).IsNone);
        Assert.True(a.IsDown);
        Assert.StartsWith("the Redis cache is unreachable", a.Problem);
        Assert.Equal(during.Length, a.PendingCount);
        down.RecordObservableInstruments();
        Assert.Equal(0, down.LastMeasurement?.Value);

        await server.StartAsync();

        Assert.True(await EventuallyAsync(() => Task.FromResult(a.PendingCount == 0 && !a.IsDown)), $"pending {a.PendingCount}");
        Assert.Null(a.Problem);
        using var c = await NodeAsync(server, prefix, "c");
        foreach (var d in before.Concat(during))
        {
            Assert.True((await c.Get(d)).IsSome, d);
        }
    }

    [RedisFact]
    public async Task PausedRedis_LookupsReturnWithinTheBound_FromMemory()
    {
        await using var server = await RedisServer.StartNewAsync();
        var prefix = Prefix();
        using var a = await NodeAsync(server, prefix, "a", timeout: Bound);
        using var errors = new MetricCollector<long>(a.Metrics.Meter, "mtasts.redis.errors");
        var known = Domain("known");
        await a.PutAsync(Entry(known, Policy("v1", Now)));
        await a.RemoveAsync(Name("nothing.test"));
        using var admin = await ConnectionMultiplexer.ConnectAsync(server.ConnectionString + ",allowAdmin=true");

        // Every client's commands wait 5 s at the server: slower than the bound.
        await admin.GetDatabase().ExecuteAsync("CLIENT", "PAUSE", "5000", "ALL");
        var unknown = await a.Get(Domain("unknown"));
        var stillKnown = await a.Get(known);

        Assert.True(unknown.IsNone);
        Assert.True(stillKnown.IsSome);
        Assert.True(a.IsDown);
        Assert.NotEmpty(errors.GetMeasurementSnapshot());
    }

    [RedisFact]
    public async Task RedisDownAtStart_TheNodesSqliteFileAnswers()
    {
        await using var server = await RedisServer.StartNewAsync();
        var file = Path.Combine(Directory.CreateTempSubdirectory("mtasts-sqlite-").FullName, "cache.db");
        var prefix = Prefix();
        var domain = Domain("sqlite");
        using (var a = await NodeAsync(server, prefix, "a", local: new SqlitePolicyCache(file)))
        {
            await a.PutAsync(Entry(domain, Policy("v1", Now)));
        }

        await server.KillAsync();
        var options = new MtaStsRedisOptions { KeyPrefix = prefix, NodeName = "restarted", OperationTimeout = Bound };
        var started = await RedisPolicyCache.ConnectAsync(server.ConnectionString, options, local: new SqlitePolicyCache(file));
        using var restarted = started.IfLeft(static e => throw new InvalidOperationException(e));

        Assert.True(restarted.IsDown);
        Assert.Equal("v1", (await restarted.Get(domain)).Bind(static e => e.Policy).Map(static p => p.Id.Value));
        Assert.Contains(domain, (await restarted.ListAsync()).Map(static e => e.Domain.Value));
    }

    [RedisFact]
    public async Task Unreachable_WhenRequired_IsOneClearLine()
    {
        await using var server = await RedisServer.StartNewAsync();
        await server.KillAsync();

        var result = await RedisPolicyCache.ConnectAsync(server.ConnectionString, requireConnection: true);

        var line = (string)result.Case!;
        Assert.StartsWith($"cannot reach Redis at 127.0.0.1:{server.Port}", line);
        Assert.DoesNotContain('\n', line);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("127.0.0.1:6379,notanoption=1", "not a Redis connection string")]
    [InlineData("abortConnect=false", "names no Redis server")]
    public async Task WrongConnectionString_IsOneClearLine(string connectionString, string expected)
    {
        var result = await RedisPolicyCache.ConnectAsync(connectionString, requireConnection: true);

        var line = (string)result.Case!;
        Assert.Contains(expected, line);
        Assert.DoesNotContain('\n', line);
    }
}
