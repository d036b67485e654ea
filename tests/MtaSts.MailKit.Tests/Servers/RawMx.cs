using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace MtaSts.MailKit.Tests.Servers;

/// <summary>
/// A small hand-written SMTP server for what SmtpServer cannot do: answer STARTTLS with a chosen
/// reply (454), and record the SNI name the client asked for (ServerCertificateSelectionCallback).
/// It accepts one message per session, in plaintext or after TLS.
/// </summary>
public sealed class RawMx : IAsyncDisposable
{
    private readonly TcpListener listener;
    private readonly X509Certificate2? certificate;
    private readonly int startTlsReply;
    private readonly int rcptReply;
    private readonly bool silent;
    private readonly CancellationTokenSource stop = new();
    private readonly Task loop;
    private int sessions;

    /// <param name="address">The loopback address to listen on.</param>
    /// <param name="port">The port.</param>
    /// <param name="certificate">The certificate offered after STARTTLS (with <paramref name="startTlsReply"/> 220).</param>
    /// <param name="startTlsReply">The reply to STARTTLS: 220 to go on with TLS, else e.g. 454.</param>
    /// <param name="rcptReply">The reply to RCPT TO (e.g. 451 or 550 to refuse the recipient).</param>
    /// <param name="silent">Accept connections but never send the greeting (a stalled MX).</param>
    public RawMx(IPAddress address, int port, X509Certificate2? certificate, int startTlsReply, int rcptReply = 250, bool silent = false)
    {
        this.rcptReply = rcptReply;
        this.silent = silent;
        listener = new TcpListener(address, port);
        listener.Start();
        this.certificate = certificate;
        this.startTlsReply = startTlsReply;
        loop = Task.Run(AcceptAsync);
    }

    /// <summary>The SNI names asked for, in order (null when the client sent none).</summary>
    public ConcurrentQueue<string?> SniNames { get; } = new();

    /// <summary>The messages received (the DATA content, dot-unstuffed).</summary>
    public ConcurrentQueue<string> Messages { get; } = new();

    /// <summary>TCP connections accepted.</summary>
    public int Sessions => Volatile.Read(ref sessions);

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        listener.Stop();
        try
        {
            await loop;
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            var client = await listener.AcceptTcpClientAsync(stop.Token);
            Interlocked.Increment(ref sessions);
            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using var _ = client;
        Stream stream = client.GetStream();
        try
        {
            var reader = new LineReader(stream);
            if (silent)
            {
                await reader.ReadLineAsync(stop.Token); // until the client gives up or the server stops
                return;
            }

            await WriteAsync(stream, "220 raw.test ESMTP\r\n");
            var tls = false;
            while (await reader.ReadLineAsync(stop.Token) is { } line)
            {
                var verb = line.Split(' ')[0].ToUpperInvariant();
                switch (verb)
                {
                    case "EHLO":
                        await WriteAsync(stream, tls ? "250 raw.test\r\n" : "250-raw.test\r\n250 STARTTLS\r\n");
                        break;
                    case "HELO":
                        await WriteAsync(stream, "250 raw.test\r\n");
                        break;
                    case "STARTTLS" when startTlsReply != 220 || certificate is null:
                        await WriteAsync(stream, $"{startTlsReply} TLS not available due to temporary reason\r\n");
                        break;
                    case "STARTTLS":
                        await WriteAsync(stream, "220 go ahead\r\n");
                        var ssl = new SslStream(stream, false);
                        await ssl.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
                        {
                            ServerCertificateSelectionCallback = (_, name) =>
                            {
                                SniNames.Enqueue(string.IsNullOrEmpty(name) ? null : name);
                                return certificate;
                            },
                        }, stop.Token);
                        stream = ssl;
                        reader = new LineReader(stream);
                        tls = true;
                        break;
                    case "DATA":
                        await WriteAsync(stream, "354 go on\r\n");
                        var body = new StringBuilder();
                        while (await reader.ReadLineAsync(stop.Token) is { } data && data != ".")
                        {
                            body.Append(data.StartsWith('.') ? data[1..] : data).Append("\r\n");
                        }

                        Messages.Enqueue(body.ToString());
                        await WriteAsync(stream, "250 queued\r\n");
                        break;
                    case "RCPT":
                        await WriteAsync(stream, rcptReply == 250 ? "250 ok\r\n" : $"{rcptReply} recipient refused for this test\r\n");
                        break;
                    case "QUIT":
                        await WriteAsync(stream, "221 bye\r\n");
                        return;
                    default:
                        await WriteAsync(stream, "250 ok\r\n");
                        break;
                }
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or System.Security.Authentication.AuthenticationException or ObjectDisposedException)
        {
            // The client went away or rejected our certificate.
        }
    }

    private static Task WriteAsync(Stream stream, string text) => stream.WriteAsync(Encoding.ASCII.GetBytes(text)).AsTask();

    /// <summary>Reads CRLF lines byte by byte (so nothing after STARTTLS is buffered in plaintext).</summary>
    private sealed class LineReader(Stream stream)
    {
        private readonly byte[] one = new byte[1];

        public async Task<string?> ReadLineAsync(CancellationToken ct)
        {
            var line = new StringBuilder();
            while (true)
            {
                if (await stream.ReadAsync(one, ct) == 0)
                {
                    return null;
                }

                if (one[0] == '\n')
                {
                    return line.ToString().TrimEnd('\r');
                }

                line.Append((char)one[0]);
            }
        }
    }
}
