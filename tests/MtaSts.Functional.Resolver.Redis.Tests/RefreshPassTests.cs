using System.Collections.Concurrent;
using static MtaSts.Functional.Resolver.Redis.Tests.Fleet;

namespace MtaSts.Functional.Resolver.Redis.Tests;

/// <summary>The fleet's refresh pass: the due index, leases, one refresh per due domain per pass (C-06).</summary>
public sealed class RefreshPassTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    private static readonly MtaStsOptions Resolver = new() { RefreshInterval = TimeSpan.FromDays(1), RefreshJitter = TimeSpan.FromHours(1) };

    [RedisFact]
    public async Task ConcurrentPasses_OnThreeNodes_RefreshEachDueDomainOnce()
    {
        var prefix = Prefix();
        var nodes = new List<RedisPolicyCache>();
        for (var i = 0; i < 3; i++)
        {
            nodes.Add(await NodeAsync(redis.Server, prefix, $"n{i}", Resolver));
        }

        try
        {
            // max_age one day: due after half of it (C-06), still valid.
            var due = Enumerable.Range(0, 300).Select(static i => $"due{i:D3}.test").ToArray();
            var notDue = Enumerable.Range(0, 20).Select(static i => $"fresh{i:D2}.test").ToArray();
            foreach (var d in due)
            {
                await nodes[0].PutAsync(Entry(d, Policy("v1", Now.AddHours(-13))));
            }

            foreach (var d in notDue)
            {
                await nodes[0].PutAsync(Entry(d, Policy("v1", Now)));
            }

            var fetches = new ConcurrentBag<(int Node, string Domain)>();
            var passes = nodes.Select((n, i) => new RedisRefreshPass(n, (d, _) => { fetches.Add((i, d.Value)); return Task.CompletedTask; }, TimeProvider.System, Resolver)).ToList();

            var refreshed = await Task.WhenAll(passes.Select(static p => p.RunAsync()));

            Assert.Equal(due, fetches.Select(static f => f.Domain).Order(StringComparer.Ordinal).ToArray());
            Assert.Equal(due, refreshed.SelectMany(static r => r).Select(static d => d.Value).Order(StringComparer.Ordinal).ToArray());

            // The leases hold: a second round of passes (the refresh above wrote nothing back) fetches nothing.
            await Task.WhenAll(passes.Select(static p => p.RunAsync()));
            Assert.Equal(due.Length, fetches.Count);
        }
        finally
        {
            nodes.ForEach(static n => n.Dispose());
        }
    }

    [RedisFact]
    public async Task RefreshedPolicy_LeavesTheDuePartOfTheIndex()
    {
        var prefix = Prefix();
        using var a = await NodeAsync(redis.Server, prefix, "a", Resolver);
        var domain = Domain("refreshed");
        await a.PutAsync(Entry(domain, Policy("v1", Now.AddHours(-13))));
        Assert.Contains(domain, (await a.DueAsync(Now)).Match(static d => d.Select(static x => x.Value).ToArray(), static () => []));

        var pass = new RedisRefreshPass(a, async (d, _) => await a.PutAsync(Entry(d.Value, Policy("v1", Now))), TimeProvider.System, Resolver);
        Assert.Equal(new[] { domain }, (await pass.RunAsync()).Map(static d => d.Value).ToArray());

        Assert.DoesNotContain(domain, (await a.DueAsync(Now)).Match(static d => d.Select(static x => x.Value).ToArray(), static () => []));
        Assert.Empty(await pass.RunAsync());
    }

    [RedisFact]
    public async Task ExpiredPolicy_IsNotRefreshed_AndLeavesTheIndex()
    {
        var prefix = Prefix();
        using var a = await NodeAsync(redis.Server, prefix, "a", Resolver);
        var domain = Domain("expired");
        await a.PutAsync(Entry(domain, Policy("v1", Now.AddDays(-2))));
        Assert.Contains(domain, (await a.DueAsync(Now)).Match(static d => d.Select(static x => x.Value).ToArray(), static () => []));
        var fetched = 0;

        var pass = new RedisRefreshPass(a, (_, _) => { Interlocked.Increment(ref fetched); return Task.CompletedTask; }, TimeProvider.System, Resolver);
        Assert.Empty(await pass.RunAsync());

        Assert.Equal(0, fetched);
        Assert.DoesNotContain(domain, (await a.DueAsync(Now)).Match(static d => d.Select(static x => x.Value).ToArray(), static () => []));
        Assert.True((await a.Get(domain)).IsSome, "the entry itself stays for its retention");
    }
}
