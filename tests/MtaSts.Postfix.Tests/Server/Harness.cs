using System.Collections.Concurrent;
using System.Net;
using LanguageExt;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MtaSts.Functional.Lifecycle;
using MtaSts.Functional.Resolver;
using MtaSts.Postfix.Tests.Protocol;

namespace MtaSts.Postfix.Tests.Server;

/// <summary>A running <c>mta-sts serve</c> host on 127.0.0.1:0 (and optionally a unix socket), stopped on dispose.</summary>
public sealed class RunningServer : IAsyncDisposable
{
    private readonly IHost host;

    private RunningServer(IHost host, string address)
    {
        this.host = host;
        Address = address;
    }

    /// <summary>The TCP address, <c>127.0.0.1:PORT</c>.</summary>
    public string Address { get; }

    public IServiceProvider Services => host.Services;

    /// <summary>Starts the server with the real resolver (<paramref name="resolver"/> options) or a fake one.</summary>
    public static async Task<RunningServer> StartAsync(MtaStsOptions resolver, Action<SocketmapOptions>? configure = null, IMtaStsResolver? fake = null, TimeProvider? clock = null)
    {
        var options = new SocketmapOptions { Dane = false };
        configure?.Invoke(options);
        if (options.Listen.Count == 0)
        {
            options.Listen.Add("127.0.0.1:0");
        }

        var builder = PostfixHost.CreateBuilder(resolver, options);
        builder.Logging.ClearProviders();
        if (fake is not null)
        {
            builder.Services.AddSingleton(fake);   // before AddMtaSts's TryAdd would matter: last registration wins for GetRequiredService
        }

        if (clock is not null)
        {
            builder.Services.AddSingleton(clock);   // the lifecycle clock (AddMtaSts only TryAdds the system clock)
        }

        var host = builder.Build();
        await host.StartAsync();
        var server = host.Services.GetServices<IHostedService>().OfType<SocketmapServer>().Single();
        var tcp = server.EndPoints.OfType<IPEndPoint>().FirstOrDefault();
        return new RunningServer(host, tcp is null ? string.Empty : $"127.0.0.1:{tcp.Port}");
    }

    public Task<SocketmapClient> ConnectAsync() => SocketmapClient.ConnectAsync(Address);

    public async Task<string> QueryAsync(string key, string name = "postfix")
    {
        await using var client = await ConnectAsync();
        return await client.QueryAsync(name, key);
    }

    public Task StopAsync() => host.StopAsync();

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await host.StopAsync(timeout.Token);
        host.Dispose();
    }
}

/// <summary>
/// A resolver for protocol tests: answers the RFC 8461 §3.2 example policy for every domain, after the
/// gate of that domain (if any) opens; counts calls.
/// </summary>
public sealed class FakeResolver : IMtaStsResolver
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource> gates = new(StringComparer.Ordinal);
    private int calls;

    public int Calls => Volatile.Read(ref calls);

    /// <summary>Lookups of <paramref name="domain"/> wait until the returned source is completed.</summary>
    public TaskCompletionSource Hold(string domain) => gates.GetOrAdd(domain, static _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));

    /// <summary>Per domain, the lookups that have started waiting on its gate.</summary>
    public ConcurrentDictionary<string, int> Waiting { get; } = new(StringComparer.Ordinal);

    public async ValueTask<Resolution> ResolveAsync(PolicyDomain domain, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref calls);
        if (gates.TryGetValue(domain.Value, out var gate))
        {
            Waiting.AddOrUpdate(domain.Value, 1, static (_, n) => n + 1);
            await gate.Task.WaitAsync(cancellationToken);
        }

        var step = new LifecycleStep(Prelude.Some(ReplyRuleTests.Cached(ReplyRuleTests.Rfc8461Example)), PolicySource.Cache, Option<CacheEntry>.None, Seq<LifecycleReport>.Empty);
        return new Resolution(domain, TxtOutcome.Absent, step);
    }

    public Task<Either<MtaStsError, Resolution>> ResolveAsync(string domain, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<Either<MtaStsError, Resolution>> RefreshAsync(string domain, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public async Task<Resolution> RefreshAsync(PolicyDomain domain, CancellationToken cancellationToken = default) => await ResolveAsync(domain, cancellationToken);

    public Task<Either<MtaStsError, DeliveryPlan>> PlanAsync(string domain, IEnumerable<MxRecord> mxRecords, bool daneApplies = false, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException();
}
