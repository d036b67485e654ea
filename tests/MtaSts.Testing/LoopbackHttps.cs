using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace MtaSts.Testing;

/// <summary>
/// Kestrel over HTTPS on 127.0.0.1 with one certificate and one request handler per policy host,
/// chosen by SNI and the Host header. Certificates come from <see cref="TestPki"/>.
/// </summary>
public sealed class LoopbackHttps : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, X509Certificate2> certificates = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, RequestDelegate> handlers = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, int> hits = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentQueue<IHeaderDictionary> requestHeaders = new();
    private readonly WebApplication app;

    private LoopbackHttps(WebApplication app) => this.app = app;

    public int Port { get; private set; }

    public IReadOnlyCollection<IHeaderDictionary> RequestHeaders => requestHeaders;

    public static async Task<LoopbackHttps> StartAsync(X509Certificate2 fallbackCertificate)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        LoopbackHttps? server = null;
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(https =>
            https.ServerCertificateSelector = (_, name) => name is not null && server!.certificates.TryGetValue(name, out var c) ? c : fallbackCertificate)));
        var app = builder.Build();
        server = new LoopbackHttps(app);
        app.Run(context =>
        {
            var host = context.Request.Host.Host;
            server.hits.AddOrUpdate(host, 1, static (_, n) => n + 1);
            server.requestHeaders.Enqueue(context.Request.Headers);
            if (context.Request.Path != "/.well-known/mta-sts.txt" || !server.handlers.TryGetValue(host, out var handler))
            {
                context.Response.StatusCode = 404;
                return Task.CompletedTask;
            }

            return handler(context);
        });
        await app.StartAsync();
        server.Port = new Uri(app.Urls.First()).Port;
        return server;
    }

    public void Host(string host, X509Certificate2 certificate, RequestDelegate handler)
    {
        certificates[host] = certificate;
        handlers[host] = handler;
    }

    public void Handle(string host, RequestDelegate handler) => handlers[host] = handler;

    public int Hits(string host) => hits.TryGetValue(host, out var n) ? n : 0;

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        await app.StopAsync(timeout.Token);
        await app.DisposeAsync();
    }
}
