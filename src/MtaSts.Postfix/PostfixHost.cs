using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Systemd;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MtaSts.Functional.Resolver;
using MtaSts.Postfix.Dane;

namespace MtaSts.Postfix;

/// <summary>
/// The socketmap server on the .NET Generic Host: the resolver (<c>AddMtaSts</c>: its cache, proactive
/// refresh and metrics), the DANE check, the responder and the listener; systemd notify and journald
/// log format when run by systemd (Microsoft.Extensions.Hosting.Systemd); notify also whenever
/// <c>NOTIFY_SOCKET</c> is set (sd_notify(3)).
/// </summary>
public static class PostfixHost
{
    /// <summary>Registers the server and the resolver under it.</summary>
    /// <param name="services">The services.</param>
    /// <param name="resolver">The resolver's options (name servers, trust anchors, cache path, timeouts).</param>
    /// <param name="options">The server's options.</param>
    /// <returns><paramref name="services"/>.</returns>
    public static IServiceCollection AddMtaStsPostfix(this IServiceCollection services, MtaStsOptions resolver, SocketmapOptions options)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(resolver);
        ArgumentNullException.ThrowIfNull(options);

        // A closed IOptions<MtaStsOptions> wins over the open one AddMtaSts adds: the options are used as given.
        services.AddSingleton(Options.Create(resolver));
        services.AddMtaSts();
        services.AddSingleton(options);
        services.AddSingleton(static sp => new PostfixMetrics(sp.GetService<System.Diagnostics.Metrics.IMeterFactory>()));
        services.AddSingleton(static sp => new DaneProbe(sp.GetRequiredService<IOptions<MtaStsOptions>>().Value, sp.GetRequiredService<SocketmapOptions>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(static sp => new SocketmapResponder(
            sp.GetRequiredService<IMtaStsResolver>(),
            sp.GetRequiredService<DaneProbe>(),
            sp.GetRequiredService<SocketmapOptions>(),
            sp.GetRequiredService<PostfixMetrics>(),
            sp.GetRequiredService<ILogger<SocketmapResponder>>()));
        services.AddSingleton(static sp => new SocketmapServer(
            sp.GetRequiredService<SocketmapResponder>(),
            sp.GetRequiredService<SocketmapOptions>(),
            sp.GetRequiredService<PostfixMetrics>(),
            sp.GetRequiredService<ILogger<SocketmapServer>>()));
        services.AddHostedService(static sp => sp.GetRequiredService<SocketmapServer>());
        if (options.Metrics is { Length: > 0 })
        {
            services.AddSingleton(static sp => new PrometheusEndpoint(sp.GetRequiredService<SocketmapOptions>().Metrics!, sp.GetRequiredService<ILogger<PrometheusEndpoint>>()));
            services.AddHostedService(static sp => sp.GetRequiredService<PrometheusEndpoint>());
        }

        return services;
    }

    /// <summary>
    /// A host builder with the server registered, console logging (journald format under systemd; levels
    /// from <paramref name="configuration"/>'s <c>Logging</c> section), and systemd integration.
    /// </summary>
    /// <param name="resolver">The resolver's options.</param>
    /// <param name="options">The server's options.</param>
    /// <param name="configuration">Configuration for logging levels, if any.</param>
    /// <returns>The builder; <c>Build()</c> and run it.</returns>
    public static HostApplicationBuilder CreateBuilder(MtaStsOptions resolver, SocketmapOptions options, IConfiguration? configuration = null)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        if (configuration is not null)
        {
            builder.Configuration.AddConfiguration(configuration);
            builder.Logging.AddConfiguration(configuration.GetSection("Logging"));
        }

        builder.Logging.AddSimpleConsole(static o => o.SingleLine = true);
        builder.Services.AddSystemd();
        if (!SystemdHelpers.IsSystemdService() && !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NOTIFY_SOCKET")))
        {
            // sd_notify(3): notifications go wherever $NOTIFY_SOCKET says, and nowhere when it is unset.
            // AddSystemd() only switches them on when the parent process is named "systemd" (or this is
            // PID 1), which misses a service started through a wrapper (ExecStart=/bin/sh -c …, with
            // NotifyAccess=all) or by another manager that speaks the protocol. Same notifier, same lifetime:
            // READY=1 once every hosted service has started (the sockets listen), STOPPING=1 on shutdown.
            builder.Services.AddSingleton<ISystemdNotifier, SystemdNotifier>();
            builder.Services.AddSingleton<IHostLifetime, SystemdLifetime>();
        }

        // A graceful stop waits for requests in flight, each bounded by the reply timeout.
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = options.ReplyTimeout + TimeSpan.FromSeconds(5));
        builder.Services.AddMtaStsPostfix(resolver, options);
        return builder;
    }
}
