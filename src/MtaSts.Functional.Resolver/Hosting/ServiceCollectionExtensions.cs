using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MtaSts.Functional.Resolver;

/// <summary>Registers the resolver with .NET dependency injection.</summary>
public static class ServiceCollectionExtensions
{
    /// <summary>The name of the policy fetch's <see cref="HttpClient"/> in <see cref="IHttpClientFactory"/> (its primary handler enforces RFC 8461 §3.3).</summary>
    public const string HttpClientName = "MtaSts.Functional.Resolver";

    /// <summary>
    /// Adds <see cref="IMtaStsResolver"/> and its parts: DNS (the <see cref="ITxtLookup"/> port), the policy fetcher (the <see cref="IPolicyFetcher"/> port) on a named
    /// <see cref="IHttpClientFactory"/> client, the cache (SQLite when <see cref="MtaStsOptions.CachePath"/>
    /// is set, else in memory), <see cref="TimeProvider.System"/> unless one is registered, metrics, and the
    /// <see cref="MtaStsRefreshService"/> hosted service.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns><paramref name="services"/>.</returns>
    public static IServiceCollection AddMtaSts(this IServiceCollection services, Action<MtaStsOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var optionsBuilder = services.AddOptions<MtaStsOptions>();
        if (configure is not null)
        {
            optionsBuilder.Configure(configure);
        }

        services.AddLogging();
        services.AddMetrics();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(static sp => new MtaStsMetrics(sp.GetService<System.Diagnostics.Metrics.IMeterFactory>()));
        services.TryAddSingleton(static sp => new DnsDiscovery(Options(sp)));
        services.TryAddSingleton(static sp => new PolicyHttpHandler(Options(sp), sp.GetRequiredService<DnsDiscovery>()));
        services.AddHttpClient(PolicyFetcher.HttpClientName, static client => client.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(static sp => sp.GetRequiredService<PolicyHttpHandler>().Create());
        services.TryAddSingleton(static sp =>
        {
            var factory = sp.GetRequiredService<IHttpClientFactory>();
            return new PolicyFetcher(() => factory.CreateClient(PolicyFetcher.HttpClientName), sp.GetRequiredService<PolicyHttpHandler>(), Options(sp));
        });
        services.TryAddSingleton<IPolicyCache>(static sp => Options(sp).CachePath is { Length: > 0 } path
            ? new SqlitePolicyCache(path, sp.GetRequiredService<ILogger<SqlitePolicyCache>>())
            : new InMemoryPolicyCache());
        services.TryAddSingleton<ITxtLookup>(static sp => sp.GetRequiredService<DnsDiscovery>());
        services.TryAddSingleton<IPolicyFetcher>(static sp => sp.GetRequiredService<PolicyFetcher>());
        services.TryAddSingleton<IMtaStsResolver>(static sp => new MtaStsResolver(
            sp.GetRequiredService<IPolicyCache>(),
            sp.GetRequiredService<ITxtLookup>(),
            sp.GetRequiredService<IPolicyFetcher>(),
            sp.GetRequiredService<TimeProvider>(),
            Options(sp),
            sp.GetRequiredService<MtaStsMetrics>(),
            sp.GetRequiredService<ILogger<MtaStsResolver>>()));
        services.TryAddSingleton(static sp => new PolicyRefresher(sp.GetRequiredService<IPolicyCache>(), sp.GetRequiredService<IMtaStsResolver>(), sp.GetRequiredService<TimeProvider>(), Options(sp)));
        services.AddHostedService<MtaStsRefreshService>();
        return services;
    }

    private static MtaStsOptions Options(IServiceProvider services) => services.GetRequiredService<IOptions<MtaStsOptions>>().Value;
}
