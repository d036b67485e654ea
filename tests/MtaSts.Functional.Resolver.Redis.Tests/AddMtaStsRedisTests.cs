using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using StackExchange.Redis;

namespace MtaSts.Functional.Resolver.Redis.Tests;

/// <summary>Dependency injection: the cache on Redis, the leased refresh instead of the local one.</summary>
public sealed class AddMtaStsRedisTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    [RedisFact]
    public async Task AddMtaStsRedis_AfterAddMtaSts_PutsTheCacheOnRedis_AndLeasesTheRefresh()
    {
        var services = new ServiceCollection();
        services.AddMtaSts(static o => o.RefreshInterval = TimeSpan.FromHours(6));
        services.AddMtaStsRedis(o =>
        {
            o.ConnectionString = redis.Server.ConnectionString;
            o.KeyPrefix = Fleet.Prefix();
            o.LeaseTime = TimeSpan.FromMinutes(2);
        });
        await using var provider = services.BuildServiceProvider();

        var cache = Assert.IsType<RedisPolicyCache>(provider.GetRequiredService<IPolicyCache>());
        Assert.Same(cache, provider.GetRequiredService<RedisPolicyCache>());
        var hosted = provider.GetServices<IHostedService>().ToList();
        Assert.Contains(hosted, static h => h is RedisRefreshService);
        Assert.DoesNotContain(hosted, static h => h is MtaStsRefreshService);
        Assert.Equal(TimeSpan.FromMinutes(2), cache.Options.LeaseTime);

        var domain = Fleet.Domain("di");
        await cache.PutAsync(Fleet.Entry(domain, Fleet.Policy("v1", Fleet.Now)));
        Assert.True((await cache.Get(domain)).IsSome);

        // The connection made from the connection string is the cache's: the container's disposal closes it.
        var connection = cache.Connection;
        await provider.DisposeAsync();
        Assert.False(connection.IsConnected);
    }

    [RedisFact]
    public async Task AddMtaStsRedis_Alone_AddsTheResolver_OnAGivenConnection()
    {
        using var connection = await ConnectionMultiplexer.ConnectAsync(redis.Server.ConnectionString);
        var services = new ServiceCollection();
        services.AddMtaStsRedis(o => o.Multiplexer = connection, static o => o.ProactiveRefresh = false);
        await using (var provider = services.BuildServiceProvider())
        {
            Assert.NotNull(provider.GetRequiredService<IMtaStsResolver>());
            var cache = Assert.IsType<RedisPolicyCache>(provider.GetRequiredService<IPolicyCache>());
            Assert.Same(connection, cache.Connection);
            Assert.Single(provider.GetServices<IHostedService>().OfType<RedisRefreshService>());
        }

        Assert.True(connection.IsConnected, "a connection the application gave is not disposed with the cache");
    }
}
