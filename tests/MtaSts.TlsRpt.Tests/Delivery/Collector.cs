using System.Collections.Concurrent;
using System.IO.Compression;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using MtaSts.Testing;

namespace MtaSts.TlsRpt.Tests.Delivery;

/// <summary>
/// A TLSRPT HTTPS collector (RFC 8460 §5.4) on 127.0.0.1: Kestrel with a certificate from the test PKI for
/// <see cref="Host"/>. It checks the content type, un-gzips and parses each body, then answers with the
/// next status of its script (the last one repeats), or never answers when told to hang.
/// </summary>
public sealed class Collector : IAsyncDisposable
{
    public const string Host = "collector.tlsrpt.test";

    private readonly WebApplication app;
    private readonly TestPki pki;
    private readonly Queue<int> script;
    private readonly int last;
    private readonly TaskCompletionSource hung = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private Collector(WebApplication app, TestPki pki, int[] statuses, bool hang)
    {
        this.app = app;
        this.pki = pki;
        script = new Queue<int>(statuses);
        last = statuses[^1];
        Hang = hang;
    }

    public int Port { get; private set; }

    public bool Hang { get; }

    /// <summary>Each request: its content type, the parsed report (null when the body did not un-gzip and parse), the status answered.</summary>
    public ConcurrentQueue<(string? ContentType, JsonDocument? Report, int Status)> Requests { get; } = new();

    public string Uri => $"https://{Host}:{Port}/v1/tlsrpt";

    public static async Task<Collector> StartAsync(int[] statuses, bool hang = false)
    {
        var pki = new TestPki("TLSRPT collector test CA");
        var certificate = pki.Leaf(Host, [Host]);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.UseHttps(certificate)));
        var app = builder.Build();
        var collector = new Collector(app, pki, statuses, hang);
        app.MapPost("/v1/tlsrpt", collector.HandleAsync);
        await app.StartAsync();
        collector.Port = new Uri(app.Urls.First()).Port;
        return collector;
    }

    /// <summary>An HttpClient that reaches <see cref="Host"/> at 127.0.0.1 and trusts only the test CA.</summary>
    public HttpClient Client() => new(new SocketsHttpHandler
    {
        AllowAutoRedirect = false,
        ConnectCallback = async (context, ct) =>
        {
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, context.DnsEndPoint.Port), ct);
            return new NetworkStream(socket, ownsSocket: true);
        },
        SslOptions = new SslClientAuthenticationOptions
        {
            RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
            {
                if (certificate is null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != SslPolicyErrors.None)
                {
                    return false;
                }

                using var chain = new X509Chain();
                chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.Add(pki.Root);
                chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                return chain.Build(new X509Certificate2(certificate));
            },
        },
    });

    private async Task HandleAsync(HttpContext context)
    {
        if (Hang)
        {
            Requests.Enqueue((context.Request.ContentType, null, 0));
            await Task.WhenAny(hung.Task, Task.Delay(Timeout.Infinite, context.RequestAborted));
            return;
        }

        JsonDocument? report = null;
        try
        {
            await using var gzip = new GZipStream(context.Request.Body, CompressionMode.Decompress);
            report = await JsonDocument.ParseAsync(gzip);
        }
        catch (Exception e) when (e is InvalidDataException or JsonException)
        {
        }

        int status;
        lock (script)
        {
            status = script.Count > 0 ? script.Dequeue() : last;
        }

        var ok = context.Request.ContentType == "application/tlsrpt+gzip" && report is not null;
        Requests.Enqueue((context.Request.ContentType, report, ok ? status : 415));
        context.Response.StatusCode = ok ? status : 415;
    }

    public async ValueTask DisposeAsync()
    {
        hung.TrySetResult();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        await app.StopAsync(timeout.Token);
        await app.DisposeAsync();
        pki.Dispose();
    }
}
