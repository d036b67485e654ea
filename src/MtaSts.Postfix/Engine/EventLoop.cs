using System.Diagnostics;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace MtaSts.Postfix.Engine;

/// <summary>
/// One thread waiting in <c>epoll_wait</c> over many connections and handing each readable one to a
/// callback on that thread (level-triggered): a warm query is received, answered and replied to without
/// a wake-up of another thread. A connection whose answer is not ready at once is paused (its interest
/// set to nothing) and resumed by whoever finishes it; a paused connection is never handed out.
/// </summary>
/// <remarks>
/// Why not .NET's socket engine: under Postfix's one request at a time, each <c>ReceiveAsync</c> first
/// tries the socket (an EAGAIN <c>recvfrom</c>), then its completion travels from the engine's epoll
/// thread to a thread-pool worker; here a query costs one <c>recvfrom</c> and one <c>sendto</c> on one
/// thread, and <c>epoll_wait</c> returns several ready connections at once under load (benchmarks/README.md).
/// </remarks>
internal sealed class EventLoop : IDisposable
{
    /// <summary>How long the loop polls before it sleeps: 50 µs, in <see cref="Stopwatch"/> ticks.</summary>
    private static readonly long Spin = Stopwatch.Frequency / 20_000;

    private readonly int epoll;
    private readonly int wakeup;
    private readonly Action<object> readable;
    private readonly Action<Exception> failed;
    private readonly Thread thread;
    private volatile bool stopped;

    /// <param name="name">The thread's name.</param>
    /// <param name="readable">Runs on the loop's thread for a connection with bytes, end of stream or an error to read.</param>
    /// <param name="failed">Told about a failure of the loop itself (it then stops).</param>
    public EventLoop(string name, Action<object> readable, Action<Exception> failed)
    {
        this.readable = readable;
        this.failed = failed;
        epoll = Epoll.Create();
        wakeup = Epoll.CreateWakeup();
        Epoll.Add(epoll, wakeup, Epoll.In, 0);
        thread = new Thread(Run) { IsBackground = true, Name = name };
        thread.Start();
    }

    /// <summary>
    /// The handle that names <paramref name="owner"/> to the loop (the callback's argument); the owner keeps
    /// it before <see cref="Add"/>, since the loop may hand the connection out before <c>Add</c> returns.
    /// </summary>
    public static nint HandleOf(object owner) => GCHandle.ToIntPtr(GCHandle.Alloc(owner));

    /// <summary>Watches <paramref name="socket"/>; its events go to the owner of <paramref name="handle"/>.</summary>
    public void Add(Socket socket, nint handle) => Epoll.Add(epoll, Descriptor(socket), Epoll.In, handle);

    /// <summary>Hands the connection out no more until <see cref="Resume"/>.</summary>
    public void Pause(Socket socket, nint handle) => Epoll.Modify(epoll, Descriptor(socket), 0, handle);

    /// <summary>Hands the connection out again (at once when bytes arrived while it was paused).</summary>
    public void Resume(Socket socket, nint handle) => Epoll.Modify(epoll, Descriptor(socket), Epoll.In, handle);

    /// <summary>Stops watching the socket (before it is disposed, so that its descriptor can be reused) and frees the handle.</summary>
    public void Remove(Socket socket, nint handle)
    {
        Epoll.Remove(epoll, Descriptor(socket));
        GCHandle.FromIntPtr(handle).Free();
    }

    public void Dispose()
    {
        stopped = true;
        Epoll.Signal(wakeup);
        thread.Join();
        Epoll.CloseDescriptor(wakeup);
        Epoll.CloseDescriptor(epoll);
    }

    /// <summary>
    /// Polls for up to <see cref="Spin"/> before it sleeps in <c>epoll_wait</c>: a client that sends its next
    /// request right after a reply (Postfix's one request at a time) then finds the loop awake, instead of
    /// waiting for a sleeping thread (and, on a virtual machine, an idle CPU) to wake up.
    /// </summary>
    private int Wait(byte[] events)
    {
        var count = Epoll.Wait(epoll, events, 0);
        if (count > 0)
        {
            return count;
        }

        var until = Stopwatch.GetTimestamp() + Spin;
        while (Stopwatch.GetTimestamp() < until)
        {
            if ((count = Epoll.Wait(epoll, events, 0)) > 0)
            {
                return count;
            }
        }

        return Epoll.Wait(epoll, events, -1);
    }

    private static int Descriptor(Socket socket) => (int)socket.SafeHandle.DangerousGetHandle();

    private void Run()
    {
        var events = new byte[256 * Epoll.EventSize];
        try
        {
            while (!stopped)
            {
                var count = Wait(events);
                for (var i = 0; i < count; i++)
                {
                    var data = Epoll.DataAt(events, i);
                    if (data != 0)
                    {
                        readable(GCHandle.FromIntPtr((nint)data).Target!);
                    }
                }
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            failed(e);
        }
    }
}
