using System.Buffers;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using MtaSts.Postfix.Protocol;

namespace MtaSts.Postfix;

/// <summary>
/// The socketmap listener: TCP and unix sockets, many sequential and pipelined requests per connection
/// answered in order, an idle timeout that a trickling client cannot extend, a connection limit, and a
/// graceful stop (no new connections or requests; requests already received are answered first).
/// A malformed netstring closes that connection only.
/// </summary>
internal sealed partial class SocketmapServer : IHostedService, IAsyncDisposable
{
    private readonly SocketmapResponder responder;
    private readonly SocketmapOptions options;
    private readonly PostfixMetrics metrics;
    private readonly ILogger logger;
    private readonly List<Socket> listeners = [];
    private readonly List<Task> acceptLoops = [];
    private readonly System.Collections.Concurrent.ConcurrentDictionary<Task, byte> connections = new();
    private readonly System.Collections.Concurrent.ConcurrentDictionary<Connection, byte> open = new();
    private readonly CancellationTokenSource stopping = new();
    private readonly SemaphoreSlim slots;
    private Timer? sweeper;

    public SocketmapServer(SocketmapResponder responder, SocketmapOptions options, PostfixMetrics metrics, ILogger<SocketmapServer>? logger = null)
    {
        this.responder = responder;
        this.options = options;
        this.metrics = metrics;
        this.logger = logger ?? (ILogger)NullLogger.Instance;
        slots = new SemaphoreSlim(options.MaxConnections, options.MaxConnections);
    }

    /// <summary>The bound endpoints (a TCP port 0 becomes the port the system chose).</summary>
    public IReadOnlyList<EndPoint> EndPoints => [.. listeners.Select(static l => l.LocalEndPoint!)];

    public Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var address in options.ListenOrDefault)
        {
            var socket = Bind(address);
            listeners.Add(socket);
            LogListening(logger, socket.LocalEndPoint?.ToString() ?? address);
        }

        foreach (var listener in listeners)
        {
            acceptLoops.Add(Task.Run(() => AcceptLoopAsync(listener), CancellationToken.None));
        }

        var period = TimeSpan.FromMilliseconds(Math.Clamp(options.IdleTimeout.TotalMilliseconds / 8, 10, 1000));
        sweeper = new Timer(static server => ((SocketmapServer)server!).Sweep(), this, period, period);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await stopping.CancelAsync().ConfigureAwait(false);
        foreach (var listener in listeners)
        {
            listener.Dispose();
        }

        await Task.WhenAll(acceptLoops).ConfigureAwait(false);

        // Requests already received are answered (each within the reply bound), then the connections close:
        // shutting the receiving side ends a wait for the next request (it reads end of stream), and a
        // connection that is answering sends its replies first, then sees the stop.
        foreach (var connection in open.Keys)
        {
            connection.Close(SocketShutdown.Receive);
        }

        await Task.WhenAll(connections.Keys).WaitAsync(cancellationToken).ConfigureAwait(false);
        foreach (var address in options.ListenOrDefault)
        {
            if (address.StartsWith("unix:", StringComparison.Ordinal))
            {
                File.Delete(address["unix:".Length..]);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (sweeper is not null)
        {
            await sweeper.DisposeAsync().ConfigureAwait(false);
        }

        foreach (var listener in listeners)
        {
            listener.Dispose();
        }

        stopping.Dispose();
        slots.Dispose();
    }

    /// <summary>
    /// The idle timeout of every connection, from one timer instead of a timer change per request: a
    /// connection whose deadline has passed (it is never due while it answers) is shut down, which ends
    /// its wait for bytes.
    /// </summary>
    private void Sweep()
    {
        var now = Environment.TickCount64;
        foreach (var connection in open.Keys)
        {
            if (now >= Volatile.Read(ref connection.Deadline))
            {
                connection.TimedOut = true;
                connection.Close(SocketShutdown.Both);
            }
        }
    }

    /// <summary>Parses <c>IP:PORT</c>, <c>[IPv6]:PORT</c> or <c>unix:PATH</c>.</summary>
    internal static EndPoint ParseEndPoint(string address)
    {
        if (address.StartsWith("unix:", StringComparison.Ordinal) && address.Length > "unix:".Length)
        {
            return new UnixDomainSocketEndPoint(address["unix:".Length..]);
        }

        return IPEndPoint.TryParse(address, out var ip) && address.Contains(':', StringComparison.Ordinal)
            ? ip
            : throw new FormatException($"'{address}': expected IP:PORT, [IPv6]:PORT or unix:PATH");
    }

    private Socket Bind(string address)
    {
        var endPoint = ParseEndPoint(address);
        if (endPoint is UnixDomainSocketEndPoint)
        {
            var path = address["unix:".Length..];
            if (File.Exists(path))
            {
                File.Delete(path);   // a socket left by a previous run
            }

            var unix = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            unix.Bind(endPoint);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(path, options.SocketMode);
            }

            unix.Listen(512);
            return unix;
        }

        var tcp = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        tcp.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        tcp.Bind(endPoint);
        tcp.Listen(512);
        return tcp;
    }

    private async Task AcceptLoopAsync(Socket listener)
    {
        var token = stopping.Token;
        while (!token.IsCancellationRequested)
        {
            Socket client;
            try
            {
                await slots.WaitAsync(token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            try
            {
                client = await listener.AcceptAsync(token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                slots.Release();
                if (token.IsCancellationRequested)
                {
                    return;
                }

                continue;
            }

            if (client.AddressFamily != AddressFamily.Unix)
            {
                client.NoDelay = true;
            }

            var connection = ServeAsync(client);
            connections.TryAdd(connection, 0);
            _ = connection.ContinueWith(
                t =>
                {
                    connections.TryRemove(t, out _);
                    slots.Release();
                },
                CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
        }
    }

    /// <summary>
    /// One connection: receive into a buffer, answer every whole frame in it in order, send the replies
    /// of that batch at once. The deadline restarts only after a reply, so a client trickling bytes cannot
    /// hold the connection past <see cref="SocketmapOptions.IdleTimeout"/>.
    /// </summary>
    private async Task ServeAsync(Socket socket)
    {
        await Task.Yield();
        metrics.Connection(1);
        var buffer = ArrayPool<byte>.Shared.Rent(4096);
        var output = new ArrayBufferWriter<byte>(512);
        var filled = 0;
        var idle = (long)options.IdleTimeout.TotalMilliseconds;
        var connection = new Connection(socket) { Deadline = Environment.TickCount64 + idle };
        open.TryAdd(connection, 0);
        try
        {
            if (stopping.IsCancellationRequested)
            {
                return;   // accepted as the server stopped: StopAsync may not have seen it in `open`
            }

            while (true)
            {
                if (filled == buffer.Length)
                {
                    // Only a frame longer than the buffer gets here; its length is already below the limit.
                    var larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                    buffer.AsSpan(0, filled).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                var received = await socket.ReceiveAsync(buffer.AsMemory(filled), SocketFlags.None).ConfigureAwait(false);
                if (received == 0)
                {
                    // End of stream: the client closed, or the idle timeout or the stop shut the socket.
                    if (filled > 0 && !connection.TimedOut && !stopping.IsCancellationRequested)
                    {
                        Refuse(socket, NetstringError.Truncated);
                    }

                    return;
                }

                filled += received;
                var consumed = 0;
                NetstringStatus status;
                NetstringError error;
                while ((status = Netstring.TryRead(new ReadOnlySequence<byte>(buffer, consumed, filled - consumed), Netstring.MaxQueryBytes, out var payload, out var next, out error)) == NetstringStatus.Complete)
                {
                    Volatile.Write(ref connection.Deadline, long.MaxValue);   // answering: never idle
                    var reply = await responder.AnswerAsync(payload).ConfigureAwait(false);
                    Netstring.Write(output, reply.ToBytes());
                    consumed = next.GetInteger();   // an array-backed sequence: the position is the array index
                    if (stopping.IsCancellationRequested)
                    {
                        break;   // stopping: answer what is being answered, take no more
                    }
                }

                if (output.WrittenCount > 0)
                {
                    await SendAllAsync(socket, output.WrittenMemory).ConfigureAwait(false);
                    output.ResetWrittenCount();
                    if (stopping.IsCancellationRequested)
                    {
                        return;
                    }

                    // The deadline restarts only after a reply: a client trickling bytes cannot extend it.
                    Volatile.Write(ref connection.Deadline, Environment.TickCount64 + idle);
                }

                if (status == NetstringStatus.Invalid)
                {
                    Refuse(socket, error);
                    return;
                }

                buffer.AsSpan(consumed, filled - consumed).CopyTo(buffer);
                filled -= consumed;
            }
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
            // The client went away; nothing to answer.
        }
        finally
        {
            open.TryRemove(connection, out _);
            ArrayPool<byte>.Shared.Return(buffer);
            socket.Dispose();
            metrics.Connection(-1);
        }
    }

    private static async ValueTask SendAllAsync(Socket socket, ReadOnlyMemory<byte> bytes)
    {
        while (!bytes.IsEmpty)
        {
            var sent = await socket.SendAsync(bytes, SocketFlags.None).ConfigureAwait(false);
            bytes = bytes[sent..];
        }
    }

    private void Refuse(Socket socket, NetstringError error)
    {
        metrics.ProtocolError(error.ToString());
        LogRefused(logger, socket.RemoteEndPoint?.ToString() ?? "unix socket", error);
    }

    /// <summary>A connection as the idle sweep and the stop see it.</summary>
    private sealed class Connection(Socket socket)
    {
        /// <summary><see cref="Environment.TickCount64"/> after which it is idle too long; <see cref="long.MaxValue"/> while it answers.</summary>
        public long Deadline;

        /// <summary>Shut down by the idle sweep (its end of stream is not the client's).</summary>
        public volatile bool TimedOut;

        public void Close(SocketShutdown how)
        {
            try
            {
                socket.Shutdown(how);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                // Already closed by the client or by the connection itself.
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "socketmap server listening on {EndPoint}")]
    private static partial void LogListening(ILogger logger, string endPoint);

    [LoggerMessage(Level = LogLevel.Warning, Message = "socketmap connection from {Peer} closed: malformed netstring ({Error})")]
    private static partial void LogRefused(ILogger logger, string peer, NetstringError error);
}
