using System.Buffers;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using MtaSts.Postfix.Engine;
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
    private EventLoop[] loops = [];
    private int nextLoop;
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

        if (options.EventLoops > 0 && Epoll.Supported)
        {
            loops = [.. Enumerable.Range(0, options.EventLoops).Select(i => new EventLoop($"socketmap loop {i}", OnReadable, e => LogLoopFailed(logger, e)))];
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
        StopLoops();
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

        foreach (var connection in open.Keys)
        {
            connection.Close(SocketShutdown.Both);   // disposed without a stop: the clients see the end, not silence
        }

        StopLoops();
        stopping.Dispose();
        slots.Dispose();
    }

    private void StopLoops()
    {
        foreach (var loop in loops)
        {
            loop.Dispose();
        }

        loops = [];
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

            var connection = Open(client);
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

    /// <summary>Starts serving an accepted socket, on the next event loop or on .NET's socket engine; the task completes when it is closed.</summary>
    private Task Open(Socket socket)
    {
        var loop = loops.Length == 0 ? null : loops[(int)((uint)Interlocked.Increment(ref nextLoop) % (uint)loops.Length)];
        var connection = new Connection(socket, (long)options.IdleTimeout.TotalMilliseconds, loop);
        metrics.Connection(1);
        open.TryAdd(connection, 0);
        if (stopping.IsCancellationRequested)
        {
            Finish(connection);   // accepted as the server stopped: StopAsync may not have seen it in `open`
        }
        else if (loop is null)
        {
            _ = ServeAsync(connection);
        }
        else
        {
            try
            {
                socket.Blocking = false;
                connection.Watch();
            }
            catch (Exception e) when (e is IOException or SocketException)
            {
                LogConnectionFailed(logger, e);   // epoll_ctl refused it (no memory): this connection only
                Finish(connection);
            }
        }

        return connection.Closed.Task;
    }

    /// <summary>
    /// One connection on .NET's socket engine (where <see cref="Epoll"/> is not supported, or when
    /// <see cref="SocketmapOptions.EventLoops"/> is 0): receive, answer every whole frame received, send the
    /// replies of that batch at once.
    /// </summary>
    private async Task ServeAsync(Connection connection)
    {
        await Task.Yield();
        try
        {
            while (true)
            {
                var received = await connection.Socket.ReceiveAsync(connection.Free(), SocketFlags.None).ConfigureAwait(false);
                if (received == 0)
                {
                    EndOfStream(connection);
                    return;
                }

                connection.Filled += received;
                var batch = await AnswerFramesAsync(connection).ConfigureAwait(false);
                if (!await SendRepliesAsync(connection, 0).ConfigureAwait(false) || !Settle(connection, batch))
                {
                    return;
                }
            }
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
            // The client went away; nothing to answer.
        }
        finally
        {
            Finish(connection);
        }
    }

    /// <summary>
    /// A connection on an <see cref="EventLoop"/> has bytes, end of stream or an error to read (on the
    /// loop's thread). The warm path stays on this thread: receive, answer, send. A reply that is not
    /// ready at once, or a send the socket cannot take whole, pauses the connection and goes on in the
    /// background; the connection is resumed after it.
    /// </summary>
    private void OnReadable(object state)
    {
        var connection = (Connection)state;
        try
        {
            var received = connection.Socket.Receive(connection.Free().Span, SocketFlags.None, out var error);
            if (error == SocketError.WouldBlock)
            {
                return;
            }

            if (error != SocketError.Success || received == 0)
            {
                if (error == SocketError.Success)
                {
                    EndOfStream(connection);
                }

                Finish(connection);
                return;
            }

            connection.Filled += received;
            var answering = AnswerFramesAsync(connection);
            if (!answering.IsCompletedSuccessfully)
            {
                connection.Pause();
                _ = ResumeAsync(connection, answering, 0);
                return;
            }

            var sent = 0;
            if (connection.Output.WrittenCount > 0)
            {
                sent = connection.Socket.Send(connection.Output.WrittenSpan, SocketFlags.None, out error);
                if (error is not (SocketError.Success or SocketError.WouldBlock))
                {
                    Finish(connection);
                    return;
                }

                if (sent < connection.Output.WrittenCount)
                {
                    connection.Pause();
                    _ = ResumeAsync(connection, answering, sent);
                    return;
                }

                if (!Replied(connection))
                {
                    Finish(connection);
                    return;
                }
            }

            if (!Settle(connection, answering.Result))
            {
                Finish(connection);
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The client went away (a socket error), or a failure of this server's own: either way it ends
            // this connection, never the loop that serves the others.
            if (e is not (IOException or SocketException or ObjectDisposedException))
            {
                LogConnectionFailed(logger, e);
            }

            Finish(connection);
        }
    }

    /// <summary>Off the loop's thread: the rest of a batch whose answer or send could not finish at once.</summary>
    private async Task ResumeAsync(Connection connection, ValueTask<Batch> answering, int sent)
    {
        try
        {
            var batch = await answering.ConfigureAwait(false);
            if (await SendRepliesAsync(connection, sent).ConfigureAwait(false) && Settle(connection, batch))
            {
                connection.Resume();
                return;
            }
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
            // The client went away; nothing to answer.
        }

        Finish(connection);
    }

    /// <summary>
    /// Answers every whole frame received so far, in order, into the connection's output (the replies of
    /// later frames never overtake an earlier one that waits for its lookup). Completes synchronously when
    /// every answer does: the warm path.
    /// </summary>
    private async ValueTask<Batch> AnswerFramesAsync(Connection connection)
    {
        var consumed = 0;
        NetstringStatus status;
        NetstringError error;
        while ((status = Netstring.TryRead(new ReadOnlySequence<byte>(connection.Buffer, consumed, connection.Filled - consumed), Netstring.MaxQueryBytes, out var payload, out var next, out error)) == NetstringStatus.Complete)
        {
            Volatile.Write(ref connection.Deadline, long.MaxValue);   // answering: never idle
            var reply = await responder.AnswerAsync(payload).ConfigureAwait(false);
            Netstring.Write(connection.Output, reply.ToBytes());
            consumed = next.GetInteger();   // an array-backed sequence: the position is the array index
            if (stopping.IsCancellationRequested)
            {
                break;   // stopping: answer what is being answered, take no more
            }
        }

        return new Batch(consumed, status, error);
    }

    /// <summary>Sends the batch's replies from <paramref name="sent"/> on; false when the connection is to close (stopping).</summary>
    private async ValueTask<bool> SendRepliesAsync(Connection connection, int sent)
    {
        if (connection.Output.WrittenCount == 0)
        {
            return true;
        }

        var bytes = connection.Output.WrittenMemory[sent..];
        while (!bytes.IsEmpty)
        {
            bytes = bytes[await connection.Socket.SendAsync(bytes, SocketFlags.None).ConfigureAwait(false)..];
        }

        return Replied(connection);
    }

    /// <summary>After the replies of a batch went out: false when stopping; else the idle deadline restarts.</summary>
    private bool Replied(Connection connection)
    {
        connection.Output.ResetWrittenCount();
        if (stopping.IsCancellationRequested)
        {
            return false;
        }

        // The deadline restarts only after a reply: a client trickling bytes cannot extend it.
        Volatile.Write(ref connection.Deadline, Environment.TickCount64 + connection.Idle);
        return true;
    }

    /// <summary>After a batch: false when its next frame is malformed (the connection closes); else the answered bytes are dropped.</summary>
    private bool Settle(Connection connection, Batch batch)
    {
        if (batch.Status == NetstringStatus.Invalid)
        {
            Refuse(connection.Socket, batch.Error);
            return false;
        }

        connection.Buffer.AsSpan(batch.Consumed, connection.Filled - batch.Consumed).CopyTo(connection.Buffer);
        connection.Filled -= batch.Consumed;
        return true;
    }

    /// <summary>End of stream: the client closed, or the idle timeout or the stop shut the socket; a frame cut short by the client is a protocol error.</summary>
    private void EndOfStream(Connection connection)
    {
        if (connection.Filled > 0 && !connection.TimedOut && !stopping.IsCancellationRequested)
        {
            Refuse(connection.Socket, NetstringError.Truncated);
        }
    }

    /// <summary>Closes a connection, once, from whoever owns it at the end (its loop's thread, or the task that finished its batch).</summary>
    private void Finish(Connection connection)
    {
        open.TryRemove(connection, out _);
        connection.Dispose();
        metrics.Connection(-1);
    }

    private void Refuse(Socket socket, NetstringError error)
    {
        metrics.ProtocolError(error.ToString());
        LogRefused(logger, socket.RemoteEndPoint?.ToString() ?? "unix socket", error);
    }

    /// <summary>What <see cref="AnswerFramesAsync"/> left: the bytes answered, and whether the next frame is incomplete or malformed.</summary>
    private readonly record struct Batch(int Consumed, NetstringStatus Status, NetstringError Error);

    /// <summary>
    /// A connection: its socket, receive buffer and pending replies, and its state as the idle sweep and
    /// the stop see it. At any time one party owns it: its loop's thread, or the task finishing its batch.
    /// </summary>
    private sealed class Connection(Socket socket, long idle, EventLoop? loop) : IDisposable
    {
        private nint handle;

        public Socket Socket { get; } = socket;

        /// <summary>The idle timeout in milliseconds.</summary>
        public long Idle { get; } = idle;

        public byte[] Buffer { get; private set; } = ArrayPool<byte>.Shared.Rent(4096);

        public int Filled { get; set; }

        public ArrayBufferWriter<byte> Output { get; } = new(512);

        /// <summary>Completes when the connection is closed.</summary>
        public TaskCompletionSource Closed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary><see cref="Environment.TickCount64"/> after which it is idle too long; <see cref="long.MaxValue"/> while it answers.</summary>
        public long Deadline = Environment.TickCount64 + idle;

        /// <summary>Shut down by the idle sweep (its end of stream is not the client's).</summary>
        public volatile bool TimedOut;

        /// <summary>Starts watching the socket on its loop.</summary>
        public void Watch()
        {
            handle = EventLoop.HandleOf(this);
            loop!.Add(Socket, handle);
        }

        public void Pause() => loop!.Pause(Socket, handle);

        public void Resume() => loop!.Resume(Socket, handle);

        /// <summary>Room for the next receive; only a frame longer than the buffer (but within the limit) grows it.</summary>
        public Memory<byte> Free()
        {
            if (Filled == Buffer.Length)
            {
                var larger = ArrayPool<byte>.Shared.Rent(Buffer.Length * 2);
                Buffer.AsSpan(0, Filled).CopyTo(larger);
                ArrayPool<byte>.Shared.Return(Buffer);
                Buffer = larger;
            }

            return Buffer.AsMemory(Filled);
        }

        /// <summary>Shuts the socket down (the sweep and the stop, from any thread): its next receive reads end of stream.</summary>
        public void Close(SocketShutdown how)
        {
            try
            {
                Socket.Shutdown(how);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                // Already closed by the client or by the connection itself.
            }
        }

        public void Dispose()
        {
            if (handle != 0)
            {
                loop!.Remove(Socket, handle);
                handle = 0;
            }

            Socket.Dispose();
            ArrayPool<byte>.Shared.Return(Buffer);
            Closed.TrySetResult();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "socketmap server listening on {EndPoint}")]
    private static partial void LogListening(ILogger logger, string endPoint);

    [LoggerMessage(Level = LogLevel.Warning, Message = "socketmap connection from {Peer} closed: malformed netstring ({Error})")]
    private static partial void LogRefused(ILogger logger, string peer, NetstringError error);

    [LoggerMessage(Level = LogLevel.Error, Message = "socketmap connection closed by an internal failure")]
    private static partial void LogConnectionFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Critical, Message = "socketmap event loop failed; its connections are no longer served")]
    private static partial void LogLoopFailed(ILogger logger, Exception exception);
}
