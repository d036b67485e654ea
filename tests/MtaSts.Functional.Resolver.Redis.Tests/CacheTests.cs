using LanguageExt;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using StackExchange.Redis;
using static MtaSts.Functional.Resolver.Redis.Tests.Fleet;

namespace MtaSts.Functional.Resolver.Redis.Tests;

/// <summary>The shared cache on a real redis-server, with several nodes (each its own connection) in this process.</summary>
public sealed class CacheTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    private RedisServer Server => redis.Server;

    [RedisFact]
    public async Task Put_OnOneNode_IsReadByAnother_AsTheSameEntry()
    {
        var prefix = Prefix();
        using var a = await NodeAsync(Server, prefix, "a");
        using var b = await NodeAsync(Server, prefix, "b");
        var domain = Domain("same");
        var entry = Entry(domain, Policy("v1", Now), Failure("v2", Now.AddMinutes(1)), Now.AddMinutes(2));

        await a.PutAsync(entry);

        Assert.Equal(entry, await b.Get(domain));
    }

    [RedisFact]
    public async Task Put_AnOlderFetchArrivingLast_LeavesTheNewer()
    {
        var prefix = Prefix();
        using var a = await NodeAsync(Server, prefix, "a");
        using var b = await NodeAsync(Server, prefix, "b");
        var domain = Domain("order");
        var newer = Entry(domain, Policy("v2", Now.AddMinutes(5)));
        var older = Entry(domain, Policy("v1", Now));

        await a.PutAsync(newer);
        await b.PutAsync(older);

        using var c = await NodeAsync(Server, prefix, "c");
        Assert.Equal("v2", (await c.Get(domain)).Bind(static e => e.Policy).Map(static p => p.Id.Value));
        Assert.Equal("v2", (await b.Get(domain)).Bind(static e => e.Policy).Map(static p => p.Id.Value));
    }

    [RedisFact]
    public async Task FailedFetch_WrittenByOneNode_IsTheBackOffOfEveryNode()
    {
        var prefix = Prefix();
        using var a = await NodeAsync(Server, prefix, "a");
        using var b = await NodeAsync(Server, prefix, "b");
        var domain = Domain("backoff");
        var policy = Policy("v1", Now.AddHours(-1));
        await a.PutAsync(Entry(domain, policy));
        Assert.True((await b.Get(domain)).IsSome);

        await a.PutAsync(Entry(domain, policy, Failure("v2", Now)));

        // B's copy is evicted by A's notice; the entry it reads then makes the lifecycle back off (C-04).
        Assert.True(await EventuallyAsync(async () => (await b.Get(domain)).Exists(static e => e.LastFailure.IsSome)));
        var txt = TxtOutcome.From([["v=STSv1; id=v2;"]]);
        var plan = PolicyLifecycle.Plan(Name(domain), await b.Get(domain), Now.AddMinutes(1), txt, LookupKind.Delivery);
        var settled = Assert.IsType<LifecyclePlan.Settled>(plan);
        Assert.Contains(settled.Step.Reports, static r => r is LifecycleReport.BackedOff);
    }

    [RedisFact]
    public async Task NewPolicy_PutByOneNode_ReplacesEveryOtherNodesCopy()
    {
        var prefix = Prefix();
        var nodes = new List<RedisPolicyCache>();
        for (var i = 0; i < 4; i++)
        {
            nodes.Add(await NodeAsync(Server, prefix, $"n{i}"));
        }

        try
        {
            var domain = Domain("notice");
            await nodes[0].PutAsync(Entry(domain, Policy("v1", Now)));
            foreach (var n in nodes)
            {
                Assert.Equal("v1", (await n.Get(domain)).Bind(static e => e.Policy).Map(static p => p.Id.Value));
            }

            await nodes[0].PutAsync(Entry(domain, Policy("v2", Now.AddMinutes(1))));

            foreach (var n in nodes.Skip(1))
            {
                Assert.True(await EventuallyAsync(async () => (await n.Get(domain)).Bind(static e => e.Policy).Exists(static p => p.Id.Value == "v2")));
            }
        }
        finally
        {
            nodes.ForEach(static n => n.Dispose());
        }
    }

    [RedisFact]
    public async Task WarmLookup_IsAnsweredFromTheNodesMemory_WithoutRedis()
    {
        var prefix = Prefix();
        using var a = await NodeAsync(Server, prefix, "a");
        var domain = Domain("warm");
        var entry = Entry(domain, Policy("v1", Now));
        await a.PutAsync(entry);
        var direct = ConnectionMultiplexer.Connect(Server.ConnectionString).GetDatabase();

        // Changed behind the cache's back (no notice): a warm lookup does not see it, so it did not ask Redis.
        await direct.HashSetAsync(a.Keys.Entry(domain), "pid", "v9");

        Assert.Equal(entry, await a.Get(domain));
    }

    [RedisFact]
    public async Task LastUseOnly_IsNotWrittenOnEveryLookup()
    {
        var prefix = Prefix();
        using var a = await NodeAsync(Server, prefix, "a");
        using var b = await NodeAsync(Server, prefix, "b");
        var domain = Domain("used");
        var entry = Entry(domain, Policy("v1", Now));
        await a.PutAsync(entry);

        await a.PutAsync(entry with { LastUsed = Now.AddSeconds(10) });
        Assert.Equal(Now, (await b.Get(domain)).Map(static e => e.LastUsed));

        await a.PutAsync(entry with { LastUsed = Now.AddMinutes(2) });
        using var c = await NodeAsync(Server, prefix, "c");
        Assert.Equal(Now.AddMinutes(2), (await c.Get(domain)).Map(static e => e.LastUsed));
    }

    [RedisFact]
    public async Task KeyExpiry_IsPolicyExpiryPlusRetention_OrLastFailurePlusRetention()
    {
        var prefix = Prefix();
        var retention = TimeSpan.FromDays(3);
        using var a = await NodeAsync(Server, prefix, "a", retention: retention);
        var db = a.Connection.GetDatabase();
        var withPolicy = Domain("expiry");
        var failedOnly = Domain("failed");
        var policy = Policy("v1", Now);

        await a.PutAsync(Entry(withPolicy, policy));
        await a.PutAsync(Entry(failedOnly, null, Failure("v1", Now)));

        Assert.Equal((policy.ExpiresAt + retention).ToUnixTimeMilliseconds(), (long)await db.ExecuteAsync("PEXPIRETIME", a.Keys.Entry(withPolicy)));
        Assert.Equal((Now + retention).ToUnixTimeMilliseconds(), (long)await db.ExecuteAsync("PEXPIRETIME", a.Keys.Entry(failedOnly)));
    }

    [RedisFact]
    public async Task ExpiredPolicy_IsKeptForTheRetention_ThenGone()
    {
        var prefix = Prefix();
        using var a = await NodeAsync(Server, prefix, "a", retention: TimeSpan.FromDays(1));
        var kept = Domain("kept");
        var gone = Domain("gone");

        await a.PutAsync(Entry(kept, Policy("v1", Now.AddDays(-1.5))));
        await a.PutAsync(Entry(gone, Policy("v1", Now.AddDays(-2.5))));
        await a.PutAsync(Entry(Domain("fresh"), Policy("v1", Now)));

        using var b = await NodeAsync(Server, prefix, "b");
        Assert.True((await b.Get(kept)).Exists(e => e.Policy.IsSome && e.ValidAt(Now).IsNone));
        Assert.True((await b.Get(gone)).IsNone);
        var listed = (await b.ListAsync()).Map(static e => e.Domain.Value).ToList();
        Assert.Contains(kept, listed);
        Assert.DoesNotContain(gone, listed);
        Assert.False(await a.Connection.GetDatabase().SortedSetScoreAsync(a.Keys.All, gone) is not null, "the index forgets an entry past its retention");
    }

    [RedisFact]
    public async Task List_ManyDomains_GivesEveryEntry_InDomainOrder()
    {
        var prefix = Prefix();
        using var a = await NodeAsync(Server, prefix, "a");
        var domains = Enumerable.Range(0, 5000).Select(static i => $"d{i:D5}.many.test").ToArray();
        await Parallel.ForEachAsync(domains, new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (d, _) => await a.PutAsync(Entry(d, Policy("v1", Now))));

        using var b = await NodeAsync(Server, prefix, "b");
        var listed = await b.ListAsync();

        Assert.Equal(domains, listed.Map(static e => e.Domain.Value).ToArray());
        Assert.True(await b.RemoveAsync(Name(domains[7])));
        Assert.Equal(domains.Length - 1, (await a.ListAsync()).Count);
    }

    [RedisFact]
    public async Task Touch_MovesTheLastUseForward_AndNothingElse()
    {
        var prefix = Prefix();
        using var a = await NodeAsync(Server, prefix, "a");
        var domain = Domain("touch");
        var entry = Entry(domain, Policy("v1", Now), Failure("v2", Now.AddMinutes(1)));
        await a.PutAsync(entry);
        IPolicyCache cache = a;

        await cache.TouchAsync([KeyValuePair.Create(Name(domain), Now.AddMinutes(10)), KeyValuePair.Create(Name(Domain("missing")), Now)]);
        await cache.TouchAsync([KeyValuePair.Create(Name(domain), Now.AddMinutes(5))]);

        using var b = await NodeAsync(Server, prefix, "b");
        Assert.Equal(entry with { LastUsed = Now.AddMinutes(10) }, await b.Get(domain));
        Assert.Equal(1, (await b.ListAsync()).Count);
    }

    public static TheoryData<string, string[]> CorruptValues => new()
    {
        { "a string, not a hash", ["SET"] },
        { "another format version", ["HSET", "v", "2", "u", "1"] },
        { "a policy that does not parse", ["HSET", "v", "1", "pf", "1800000000000", "pid", "v1", "pt", "version: STSv9\r\n", "pe", "1800086400000", "u", "1800000000000"] },
        { "a time that is not a number", ["HSET", "v", "1", "pf", "soon", "pid", "v1", "pt", PolicyText, "pe", "1800086400000", "u", "1800000000000"] },
        { "an unknown failure kind", ["HSET", "v", "1", "fa", "1800000000000", "fid", "v1", "fk", "Gremlins", "fd", "x", "u", "1800000000000"] },
        { "no last use", ["HSET", "v", "1"] },
    };

    [RedisTheory]
    [MemberData(nameof(CorruptValues))]
    public async Task CorruptOrForeignValue_IsReported_AndAMiss_AndReplacedByTheNextPut(string why, string[] command)
    {
        var prefix = Prefix();
        using var logs = new FakeLoggerProvider();
        using var factory = LoggerFactory.Create(b => b.AddProvider(logs));
        using var a = await NodeAsync(Server, prefix, "a", logs: factory);
        using var collector = new MetricCollector<long>(a.Metrics.Meter, "mtasts.redis.invalid_entries");
        var domain = Domain("corrupt");
        var db = a.Connection.GetDatabase();
        var key = a.Keys.Entry(domain);
        if (command[0] == "SET")
        {
            await db.StringSetAsync(key, "hello");
        }
        else
        {
            await db.HashSetAsync(key, command.Skip(1).Chunk(2).Select(static p => new HashEntry(p[0], p[1])).ToArray());
        }

        Assert.True((await a.Get(domain)).IsNone, why);
        Assert.Contains(logs.Collector.GetSnapshot(), r => r.Level == LogLevel.Warning && r.Message.Contains(a.Keys.Entry(domain).ToString(), StringComparison.Ordinal));
        Assert.Equal(1, collector.GetMeasurementSnapshot().EvaluateAsCounter());
        Assert.DoesNotContain(domain, (await a.ListAsync()).Map(static e => e.Domain.Value));

        var entry = Entry(domain, Policy("v1", Now));
        await a.PutAsync(entry);
        using var b = await NodeAsync(Server, prefix, "b");
        Assert.Equal(entry, await b.Get(domain));
    }

    [RedisFact]
    public async Task Remove_OnOneNode_IsSeenByTheOthers()
    {
        var prefix = Prefix();
        using var a = await NodeAsync(Server, prefix, "a");
        using var b = await NodeAsync(Server, prefix, "b");
        var domain = Domain("purge");
        await a.PutAsync(Entry(domain, Policy("v1", Now)));
        Assert.True((await b.Get(domain)).IsSome);

        Assert.True(await a.RemoveAsync(Name(domain)));

        Assert.True(await EventuallyAsync(async () => (await b.Get(domain)).IsNone));
        Assert.False(await a.RemoveAsync(Name(domain)));
    }
}

/// <summary>A theory that needs redis-server (see <see cref="RedisFactAttribute"/>).</summary>
public sealed class RedisTheoryAttribute : TheoryAttribute
{
    public RedisTheoryAttribute() => Skip = RedisServer.SkipReason!;
}
