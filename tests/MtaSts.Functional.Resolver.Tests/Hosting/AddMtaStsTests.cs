using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using MtaSts.Testing;

namespace MtaSts.Functional.Resolver.Tests.Hosting;

/// <summary>The resolver as a hosted app uses it: <c>AddMtaSts</c>, IHttpClientFactory, ILogger, metrics, the refresh service.</summary>
[Collection(LoopbackCollection.Name)]
public class AddMtaStsTests(Loopback world)
{
    private static readonly DateTimeOffset Start = new(2026, 6, 1, 8, 0, 0, TimeSpan.Zero);

    private ServiceProvider Services(FakeTimeProvider clock, FakeLogCollector? logs = null, Action<MtaStsOptions>? more = null)
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(clock);
        if (logs is not null)
        {
            services.AddLogging(b => b.AddProvider(new FakeLoggerProvider(logs)).SetMinimumLevel(LogLevel.Debug));
        }

        var template = world.Options();
        services.AddMtaSts(o =>
        {
            o.NameServers.Add(world.Dns.EndPoint);
            o.TrustAnchors.AddRange(template.TrustAnchors);
            o.PolicyPort = template.PolicyPort;
            o.DnsTimeout = template.DnsTimeout;
            o.DnsRetries = 0;
            o.RefreshJitter = TimeSpan.Zero;
            more?.Invoke(o);
        });
        return services.BuildServiceProvider();
    }

    [Fact]
    public async Task AddMtaSts_ResolvesThroughTheFactoryClient_AndCounts()
    {
        const string domain = "di.hosting.test";
        world.Publish(domain, "v1", Loopback.Serve(Loopback.ValidPolicy));
        using var services = Services(new FakeTimeProvider(Start));
        using var lookups = new MetricCollector<long>(services.GetRequiredService<IMeterFactory>(), MtaStsMetrics.MeterName, "mtasts.lookups");
        using var hits = new MetricCollector<long>(services.GetRequiredService<IMeterFactory>(), MtaStsMetrics.MeterName, "mtasts.cache.hits");
        var resolver = services.GetRequiredService<IMtaStsResolver>();

        Assert.Equal(PolicySource.Live, (await resolver.ResolveAsync(domain)).Map(static r => r.Source).IfLeft(PolicySource.None));
        Assert.Equal(PolicySource.Cache, (await resolver.ResolveAsync(domain)).Map(static r => r.Source).IfLeft(PolicySource.None));

        Assert.Equal(["live", "cache"], lookups.GetMeasurementSnapshot().Select(static m => (string)m.Tags["source"]!).ToArray());
        Assert.Equal(1, hits.GetMeasurementSnapshot().EvaluateAsCounter());
        Assert.IsType<InMemoryPolicyCache>(services.GetRequiredService<IPolicyCache>());
    }

    [Fact]
    public async Task FailedFetchOfAnEnforcePolicy_LogsAWarning_AndCountsTheResultType()
    {
        const string domain = "warn.hosting.test";
        world.Publish(domain, "v1", Loopback.Serve(Loopback.ValidPolicy));
        var logs = new FakeLogCollector();
        var clock = new FakeTimeProvider(Start);
        using var services = Services(clock, logs);
        using var failures = new MetricCollector<long>(services.GetRequiredService<IMeterFactory>(), MtaStsMetrics.MeterName, "mtasts.failures");
        var resolver = services.GetRequiredService<IMtaStsResolver>();
        await resolver.ResolveAsync(domain);

        // Past the default TXT grace (60 s), so that the new id is seen.
        clock.Advance(TimeSpan.FromSeconds(61));
        world.ChangeId(domain, "v2");
        world.Https.Handle("mta-sts." + domain, Loopback.Serve(Loopback.ValidPolicy, "text/html"));
        await resolver.ResolveAsync(domain);

        var warning = Assert.Single(logs.GetSnapshot(), static r => r.Level == LogLevel.Warning);
        Assert.Contains("sts-policy-invalid", warning.Message, StringComparison.Ordinal);
        Assert.Equal("sts-policy-invalid", Assert.Single(failures.GetMeasurementSnapshot()).Tags["type"]);
    }

    [Fact]
    public async Task CachePath_SelectsTheSqliteCache()
    {
        var path = Path.Combine(Path.GetTempPath(), $"mtasts-di-{Guid.NewGuid():N}.db");
        try
        {
            using var services = Services(new FakeTimeProvider(Start), more: o => o.CachePath = path);
            Assert.Equal(path, Assert.IsType<SqlitePolicyCache>(services.GetRequiredService<IPolicyCache>()).Path);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            foreach (var file in Directory.GetFiles(Path.GetTempPath(), Path.GetFileName(path) + "*"))
            {
                File.Delete(file);
            }
        }
    }

    [Fact]
    public async Task RefreshService_RefreshesDuePolicies_OnTheRegisteredClock()
    {
        const string domain = "refresh.hosting.test";
        world.Publish(domain, "v1", Loopback.Serve(Loopback.ValidPolicy));
        var clock = new FakeTimeProvider(Start);
        using var services = Services(clock, more: o => o.RefreshCheckInterval = TimeSpan.FromMinutes(5));
        await services.GetRequiredService<IMtaStsResolver>().ResolveAsync(domain);
        var service = Assert.IsType<MtaStsRefreshService>(Assert.Single(services.GetServices<IHostedService>()));

        await service.StartAsync(CancellationToken.None);
        try
        {
            clock.Advance(TimeSpan.FromHours(12));
            for (var i = 0; i < 12 && world.Https.Hits("mta-sts." + domain) < 2; i++)
            {
                clock.Advance(TimeSpan.FromMinutes(5));
                await Task.Delay(250);
            }
        }
        finally
        {
            await service.StopAsync(CancellationToken.None);
        }

        Assert.Equal(2, world.Https.Hits("mta-sts." + domain));
        var entry = (await services.GetRequiredService<IPolicyCache>().GetAsync(domain)).Bind(static e => e.Policy);
        Assert.True(entry.Exists(p => p.FetchedAt > Start), "the refresh restarted the max_age clock");
    }
}
