using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using SmtpServer;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace MtaSts.MailKit.Tests.Servers;

/// <summary>
/// One MX: an <c>SmtpServer</c> (NuGet) instance on one loopback address. With a certificate it offers
/// STARTTLS with it; without one it offers no STARTTLS (SmtpServer advertises it only with a certificate).
/// </summary>
public sealed class PackageMx : IAsyncDisposable
{
    private readonly CancellationTokenSource stop = new();
    private readonly SmtpServer.SmtpServer server;
    private readonly Task running;
    private int sessions;

    public PackageMx(string name, IPAddress address, int port, X509Certificate2? certificate)
    {
        Name = name;
        Address = address;
        var options = new SmtpServerOptionsBuilder()
            .ServerName(name)
            .Endpoint(b =>
            {
                b.Endpoint(new IPEndPoint(address, port)).IsSecure(false).SessionTimeout(TimeSpan.FromSeconds(30));
                if (certificate is not null)
                {
                    b.Certificate(certificate);
                }
            })
            .Build();
        var services = new SmtpServer.ComponentModel.ServiceProvider();
        services.Add(new Store(Messages));
        server = new SmtpServer.SmtpServer(options, services);
        server.SessionCreated += (_, _) => Interlocked.Increment(ref sessions);

        // The listener is bound synchronously inside StartAsync; a bind failure faults the task at once.
        running = server.StartAsync(stop.Token);
        if (running.IsFaulted)
        {
            running.GetAwaiter().GetResult();
        }
    }

    public string Name { get; }

    public IPAddress Address { get; }

    /// <summary>The messages received: envelope recipients and the DATA bytes as stored.</summary>
    public ConcurrentQueue<(string[] To, byte[] Data)> Messages { get; } = new();

    /// <summary>SMTP sessions opened (a connection that reached the greeting).</summary>
    public int Sessions => Volatile.Read(ref sessions);

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

    private sealed class Store(ConcurrentQueue<(string[] To, byte[] Data)> messages) : MessageStore
    {
        public override Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
        {
            messages.Enqueue((transaction.To.Select(static m => $"{m.User}@{m.Host}").ToArray(), buffer.ToArray()));
            return Task.FromResult(SmtpResponse.Ok);
        }
    }
}
