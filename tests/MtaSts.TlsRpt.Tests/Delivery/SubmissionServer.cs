using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using SmtpServer;
using SmtpServer.Mail;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace MtaSts.TlsRpt.Tests.Delivery;

/// <summary>A submission server for report mail: <c>SmtpServer</c> (NuGet) on 127.0.0.1, plain SMTP or with STARTTLS, keeping each message's DATA; or refusing every recipient.</summary>
public sealed class SubmissionServer : IAsyncDisposable
{
    private readonly CancellationTokenSource stop = new();
    private readonly Task running;

    public SubmissionServer(bool refuse = false, System.Security.Cryptography.X509Certificates.X509Certificate2? certificate = null)
    {
        Port = FreePort();
        var options = new SmtpServerOptionsBuilder()
            .ServerName("submission.tlsrpt.test")
            .Endpoint(b =>
            {
                b.Endpoint(new IPEndPoint(IPAddress.Loopback, Port)).IsSecure(false).SessionTimeout(TimeSpan.FromSeconds(30));
                if (certificate is not null)
                {
                    b.Certificate(certificate); // offers STARTTLS
                }
            })
            .Build();
        var services = new SmtpServer.ComponentModel.ServiceProvider();
        services.Add(new Store(Messages));
        services.Add(new Filter(refuse));
        var server = new SmtpServer.SmtpServer(options, services);
        running = server.StartAsync(stop.Token);
        if (running.IsFaulted)
        {
            running.GetAwaiter().GetResult();
        }
    }

    public int Port { get; }

    /// <summary>A TCP port on 127.0.0.1 that nothing listens on (just now).</summary>
    public static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    /// <summary>The messages received: envelope sender, recipients, DATA bytes.</summary>
    public ConcurrentQueue<(string From, string[] To, byte[] Data)> Messages { get; } = new();

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        try
        {
            await running;
        }
        catch (OperationCanceledException)
        {
        }

        stop.Dispose();
    }

    private sealed class Store(ConcurrentQueue<(string From, string[] To, byte[] Data)> messages) : MessageStore
    {
        public override Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
        {
            messages.Enqueue(($"{transaction.From.User}@{transaction.From.Host}", transaction.To.Select(static m => $"{m.User}@{m.Host}").ToArray(), buffer.ToArray()));
            return Task.FromResult(SmtpResponse.Ok);
        }
    }

    private sealed class Filter(bool refuse) : IMailboxFilter
    {
        public Task<bool> CanAcceptFromAsync(ISessionContext context, IMailbox from, int size, CancellationToken cancellationToken) => Task.FromResult(true);

        public Task<bool> CanDeliverToAsync(ISessionContext context, IMailbox to, IMailbox from, CancellationToken token) => Task.FromResult(!refuse);
    }
}
