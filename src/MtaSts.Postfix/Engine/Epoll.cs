using System.Runtime.InteropServices;

namespace MtaSts.Postfix.Engine;

/// <summary>
/// The few Linux system calls the socketmap event loop needs: <c>epoll_create1</c>, <c>epoll_ctl</c>,
/// <c>epoll_wait</c> (epoll(7)) and an <c>eventfd</c> to wake the loop. Level-triggered; nothing else of
/// the socket is done here (receive and send stay <see cref="System.Net.Sockets.Socket"/>'s).
/// </summary>
/// <remarks>
/// <c>struct epoll_event</c> is <c>{ uint32_t events; uint64_t data; }</c>, packed on x86-64 (12 bytes,
/// data at offset 4) and naturally aligned elsewhere (16 bytes, data at offset 8): the layout is chosen
/// once, from the process architecture.
/// </remarks>
internal static unsafe partial class Epoll
{
    public const uint In = 0x001;          // EPOLLIN (EPOLLHUP and EPOLLERR are always reported; a receive then reads them)
    private const int CtlAdd = 1, CtlDel = 2, CtlMod = 3;
    private const int CloseOnExec = 0x80000;   // EPOLL_CLOEXEC = EFD_CLOEXEC = O_CLOEXEC
    private const int EventNonBlocking = 0x800; // EFD_NONBLOCK
    private const int Interrupted = 4;          // EINTR

    /// <summary>The size of one <c>struct epoll_event</c>.</summary>
    public static readonly int EventSize = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 12 : 16;

    private static readonly int DataOffset = EventSize == 12 ? 4 : 8;

    /// <summary>True where the loop can run: Linux (any architecture .NET supports there).</summary>
    public static bool Supported => OperatingSystem.IsLinux();

    public static int Create() => Check(EpollCreate1(CloseOnExec), "epoll_create1");

    /// <summary>An eventfd counter (non-blocking) whose write makes it readable.</summary>
    public static int CreateWakeup() => Check(EventFd(0, CloseOnExec | EventNonBlocking), "eventfd");

    public static void Add(int epoll, int fd, uint events, long data) => Control(epoll, CtlAdd, fd, events, data);

    public static void Modify(int epoll, int fd, uint events, long data) => Control(epoll, CtlMod, fd, events, data);

    /// <summary>Stops watching <paramref name="fd"/>; false when it was not watched (already closed).</summary>
    public static bool Remove(int epoll, int fd)
    {
        byte* ev = stackalloc byte[16];
        return EpollCtl(epoll, CtlDel, fd, ev) == 0;
    }

    /// <summary>
    /// Waits for events (retrying on EINTR) at most <paramref name="timeout"/> milliseconds (-1: without a
    /// bound, 0: not at all); returns how many were written to <paramref name="events"/>.
    /// </summary>
    public static int Wait(int epoll, byte[] events, int timeout)
    {
        fixed (byte* buffer = events)
        {
            while (true)
            {
                var n = EpollWait(epoll, buffer, events.Length / EventSize, timeout);
                if (n >= 0)
                {
                    return n;
                }

                if (Marshal.GetLastPInvokeError() != Interrupted)
                {
                    throw new IOException($"epoll_wait failed: errno {Marshal.GetLastPInvokeError()}");
                }
            }
        }
    }

    /// <summary>The data word of the <paramref name="index"/>th event in <paramref name="events"/> (which events it was does not matter: the owner receives and sees them).</summary>
    public static long DataAt(byte[] events, int index) => BitConverter.ToInt64(events, (index * EventSize) + DataOffset);

    /// <summary>Makes an eventfd readable (adds one to its counter).</summary>
    public static void Signal(int eventFd)
    {
        long one = 1;
        _ = Write(eventFd, &one, sizeof(long));
    }

    public static void CloseDescriptor(int fd) => _ = Close(fd);

    private static void Control(int epoll, int op, int fd, uint events, long data)
    {
        byte* ev = stackalloc byte[16];
        *(uint*)ev = events;
        *(long*)(ev + DataOffset) = data;
        Check(EpollCtl(epoll, op, fd, ev), "epoll_ctl");
    }

    private static int Check(int result, string call) =>
        result >= 0 ? result : throw new IOException($"{call} failed: errno {Marshal.GetLastPInvokeError()}");

    [LibraryImport("libc", EntryPoint = "epoll_create1", SetLastError = true)]
    private static partial int EpollCreate1(int flags);

    [LibraryImport("libc", EntryPoint = "epoll_ctl", SetLastError = true)]
    private static partial int EpollCtl(int epoll, int op, int fd, byte* ev);

    [LibraryImport("libc", EntryPoint = "epoll_wait", SetLastError = true)]
    private static partial int EpollWait(int epoll, byte* events, int maxEvents, int timeout);

    [LibraryImport("libc", EntryPoint = "eventfd", SetLastError = true)]
    private static partial int EventFd(uint initial, int flags);

    [LibraryImport("libc", EntryPoint = "write", SetLastError = true)]
    private static partial nint Write(int fd, void* buffer, nint count);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);
}
