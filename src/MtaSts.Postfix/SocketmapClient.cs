using System.Buffers;
using System.Net.Sockets;
using System.Text;
using MtaSts.Postfix.Protocol;

namespace MtaSts.Postfix;

/// <summary>
/// A socketmap client (the netstring side Postfix speaks): one connection, requests answered in order.
/// Used by <c>mta-sts query</c> to check a deployment.
/// </summary>
public sealed class SocketmapClient : IAsyncDisposable
{
    private readonly Socket socket;
    private readonly NetworkStream stream;
    private byte[] buffer = new byte[4096];
    private int filled;

    private SocketmapClient(Socket socket)
    {
        this.socket = socket;
        stream = new NetworkStream(socket, ownsSocket: true);
    }

    /// <summary>Connects to <c>IP:PORT</c>, <c>[IPv6]:PORT</c> or <c>unix:PATH</c>.</summary>
    /// <param name="server">The server address.</param>
    /// <param name="cancellationToken">Cancels the connect.</param>
    /// <returns>The connected client.</returns>
    public static async Task<SocketmapClient> ConnectAsync(string server, CancellationToken cancellationToken = default)
    {
        var endPoint = SocketmapServer.ParseEndPoint(server);
        var socket = endPoint is System.Net.Sockets.UnixDomainSocketEndPoint
            ? new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified)
            : new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(endPoint, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        return new SocketmapClient(socket);
    }

    /// <summary>Sends <c>name SP key</c> and reads the reply.</summary>
    /// <param name="name">The map name.</param>
    /// <param name="key">The key.</param>
    /// <param name="cancellationToken">Cancels the exchange.</param>
    /// <returns>The reply text (e.g. <c>OK secure match=…</c> or <c>NOTFOUND </c>).</returns>
    /// <exception cref="IOException">The server closed the connection or sent a malformed netstring.</exception>
    public async Task<string> QueryAsync(string name, string key, CancellationToken cancellationToken = default)
    {
        await stream.WriteAsync(Netstring.Encode(Encoding.UTF8.GetBytes(name + " " + key)), cancellationToken).ConfigureAwait(false);
        return await ReadReplyAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads the next reply (after requests were written some other way, e.g. pipelined).</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The reply text.</returns>
    /// <exception cref="IOException">The server closed the connection or sent a malformed netstring.</exception>
    public async Task<string> ReadReplyAsync(CancellationToken cancellationToken = default)
    {
        while (true)
        {
            var status = Netstring.TryRead(new ReadOnlySequence<byte>(buffer, 0, filled), Netstring.MaxReplyBytes, out var payload, out var next, out var error);
            if (status == NetstringStatus.Complete)
            {
                var text = Encoding.UTF8.GetString(payload);
                var used = (int)new ReadOnlySequence<byte>(buffer, 0, filled).Slice(0, next).Length;
                Buffer.BlockCopy(buffer, used, buffer, 0, filled - used);
                filled -= used;
                return text;
            }

            if (status == NetstringStatus.Invalid)
            {
                throw new IOException($"malformed reply from the socketmap server: {error}");
            }

            if (filled == buffer.Length)
            {
                Array.Resize(ref buffer, buffer.Length * 2);
            }

            var n = await stream.ReadAsync(buffer.AsMemory(filled), cancellationToken).ConfigureAwait(false);
            if (n == 0)
            {
                throw new IOException("the socketmap server closed the connection");
            }

            filled += n;
        }
    }

    /// <summary>Writes raw bytes (tests: pipelined or malformed requests).</summary>
    /// <param name="bytes">The bytes.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>The write.</returns>
    public async Task SendRawAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken = default) =>
        await stream.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);

    /// <summary>Closes the sending side (the server sees EOF after what was sent).</summary>
    public void CompleteWrites() => socket.Shutdown(SocketShutdown.Send);

    /// <summary>Whether the server has closed the connection (reads until EOF; any unread reply counts as open).</summary>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>True at EOF.</returns>
    public async Task<bool> ClosedByServerAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            var n = await stream.ReadAsync(new byte[1], cancellationToken).ConfigureAwait(false);
            return n == 0;
        }
        catch (IOException)
        {
            return true;
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await stream.DisposeAsync().ConfigureAwait(false);
        socket.Dispose();
    }
}
