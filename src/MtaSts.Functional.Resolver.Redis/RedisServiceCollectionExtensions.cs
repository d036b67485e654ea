using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace MtaSts.Functional.Resolver.Redis;

/// <summary>Puts the resolver's cache on Redis, shared by a fleet of senders.</summary>
public static class RedisServiceCollectionExtensions
{
    /// <summary>
    /// Adds the resolver (<see cref="ServiceCollectionExtensions.AddMtaSts"/>, if not added yet) with its cache on Redis:
    /// <see cref="IPolicyCache"/> becomes a <see cref="RedisPolicyCache"/> (with the SQLite file of
    /// <see cref="MtaStsOptions.CachePath"/>, when set, as this node's own fallback), and the proactive refresh becomes the
    /// fleet's leased <see cref="RedisRefreshService"/> instead of <see cref="MtaStsRefreshService"/>. The connection is
    /// <see cref="MtaStsRedisOptions.Multiplexer"/>, else a registered <see cref="IConnectionMultiplexer"/>, else one made
    /// from <see cref="MtaStsRedisOptions.ConnectionString"/> (an unreachable server is then an outage, not a start-up
    /// failure: it reconnects by itself).
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets the Redis options.</param>
    /// <param name="configureResolver">Sets the resolver's options, when this call adds the resolver.</param>
    /// <returns><paramref name="services"/>.</returns>
    public static IServiceCollection AddMtaStsRedis(this IServiceCollection services, Action<MtaStsRedisOptions> configure, Action<MtaStsOptions>? configureResolver = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        if (!services.Any(static d => d.ServiceType == typeof(IMtaStsResolver)))
        {
            services.AddMtaSts(configureResolver);
        }
        else if (configureResolver is not null)
        {
            services.Configure(configureResolver);
        }

        services.AddOptions<MtaStsRedisOptions>().Configure(configure);
        services.TryAddSingleton(static sp =>
        {
            var options = sp.GetRequiredService<IOptions<MtaStsRedisOptions>>().Value;
            var resolver = sp.GetRequiredService<IOptions<MtaStsOptions>>().Value;
            var given = options.Multiplexer ?? sp.GetService<IConnectionMultiplexer>();
            var local = resolver.CachePath is { Length: > 0 } path ? new SqlitePolicyCache(path, sp.GetRequiredService<ILogger<SqlitePolicyCache>>()) : null;

            // A connection made here from the connection string is the cache's, disposed with it (and with the container).
            return new RedisPolicyCache(given ?? Connect(options), ownsConnection: given is null, options, resolver, local, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<RedisPolicyCache>>(), sp.GetService<System.Diagnostics.Metrics.IMeterFactory>());
        });
        services.Replace(ServiceDescriptor.Singleton<IPolicyCache>(static sp => sp.GetRequiredService<RedisPolicyCache>()));
        services.TryAddSingleton(static sp => new RedisRefreshPass(
            sp.GetRequiredService<RedisPolicyCache>(),
            sp.GetRequiredService<IMtaStsResolver>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<IOptions<MtaStsOptions>>().Value));
        services.RemoveAll<IHostedService>(static d => d.ImplementationType == typeof(MtaStsRefreshService));
        services.AddHostedService<RedisRefreshService>();
        return services;
    }

    private static IConnectionMultiplexer Connect(MtaStsRedisOptions options) =>
        RedisPolicyCache.Configure(options.ConnectionString, options).Match(
            Right: static c => (IConnectionMultiplexer)ConnectionMultiplexer.Connect(c),
            Left: problem => throw new InvalidOperationException($"MTA-STS Redis cache: {problem}"));

    private static void RemoveAll<T>(this IServiceCollection services, Func<ServiceDescriptor, bool> match)
    {
        foreach (var descriptor in services.Where(d => d.ServiceType == typeof(T) && match(d)).ToList())
        {
            services.Remove(descriptor);
        }
    }
}
