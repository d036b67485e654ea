using Microsoft.Extensions.DependencyInjection;
using MtaSts.Functional.Tests.Docs;
using MtaSts.Testing;

namespace MtaSts.Functional.Resolver.Redis.Tests;

/// <summary>README's "Run a fleet" DI example, verbatim, against a real redis-server and the loopback servers.</summary>
public sealed class ReadmeFleetExampleTests(RedisFixture redis, Loopback world) : IClassFixture<RedisFixture>, IClassFixture<Loopback>
{
    [RedisFact]
    public async Task HostedFleetExample_ResolvesThroughTheSharedCache()
    {
        var domain = Fleet.Domain("readme");
        world.Publish(domain, "v1", Loopback.Serve(Loopback.ValidPolicy));
        var cacheFile = Path.Combine(Directory.CreateTempSubdirectory("mtasts-readme-").FullName, "cache.db");
        var services = new ServiceCollection();

        // After AddMtaSts (or instead of it): the cache on Redis, the leased refresh instead of the local one
        services.AddMtaSts(o => o.CachePath = cacheFile);   // optional: this node's own SQLite file, its fallback
        services.AddMtaStsRedis(o =>
        {
            o.ConnectionString = "127.0.0.1:6379";   // or o.Multiplexer = an IConnectionMultiplexer you have
            o.KeyPrefix = "mtasts";                  // one cache per prefix (the Cluster hash tag)
            o.Retention = TimeSpan.FromDays(7);
            o.LeaseTime = TimeSpan.FromMinutes(5);
        });

        // The test's own server and loopback world (configured after the example, so these win).
        services.Configure<MtaStsRedisOptions>(o => o.ConnectionString = redis.Server.ConnectionString);
        services.Configure<MtaStsOptions>(o =>
        {
            o.NameServers.Add(world.Dns.EndPoint);
            o.TrustAnchors.Add(world.Pki.Root);
            o.PolicyPort = world.Https.Port;
            o.ProactiveRefresh = false;
        });
        await using ServiceProvider provider = services.BuildServiceProvider();
        IMtaStsResolver mtaSts = provider.GetRequiredService<IMtaStsResolver>();   // as without Redis

        var resolved = await mtaSts.ResolveAsync(domain);
        Assert.Equal(PolicySource.Live, resolved.Match(static r => r.Source, static _ => PolicySource.None));
        using var node = await Fleet.NodeAsync(redis.Server, "mtasts", "reader");
        Assert.True((await node.Get(domain)).IsSome);
        Assert.True((await new SqlitePolicyCache(cacheFile).GetAsync(Fleet.Name(domain))).IsSome, "the node's own file is written through");
    }

    [Fact]
    public void Example_IsTheCodeInTheReadme()
    {
        var readme = File.ReadAllText(Path.Combine(Repo.Root, "README.md")).Replace("\r\n", "\n", StringComparison.Ordinal);
        var start = readme.IndexOf("## Run a fleet", StringComparison.Ordinal);
        var end = readme.IndexOf("\n## ", start + 1, StringComparison.Ordinal);
        var blocks = readme[start..end].Split("```csharp\n").Skip(1).Select(static b => b[..b.IndexOf("```", StringComparison.Ordinal)]).ToList();
        var test = File.ReadAllLines(Path.Combine(Repo.Root, "tests", "MtaSts.Functional.Resolver.Redis.Tests", "ReadmeFleetExampleTests.cs")).Select(static l => l.Trim()).ToList();

        var missing = blocks.SelectMany(static b => b.Split('\n')).Select(static l => l.Trim()).Where(static l => l.Length > 0).Where(l => !test.Contains(l)).ToList();

        Assert.Single(blocks);
        Assert.Empty(missing);
    }
}
