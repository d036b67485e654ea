using System.Text;
using MtaSts.Functional.Resolver;
using MtaSts.Postfix.Protocol;

namespace MtaSts.Postfix.Tests.Server;

/// <summary>The listener over real sockets, with a fake resolver: framing, ordering, limits, timeouts, shutdown.</summary>
public class ServerTests
{
    private const string Secure = "OK secure match=mail.example.com:.example.net:backupmx.example.com servername=hostname";

    private static byte[] Frame(string text) => Netstring.Encode(Encoding.UTF8.GetBytes(text));

    /// <summary>
    /// Every test runs on each engine: 0 = .NET's socket engine (every system but Linux), 1 = one epoll
    /// event loop (the default on Linux), 2 = two loops (connections spread over them).
    /// </summary>
    public static TheoryData<int> Engines => [0, 1, 2];

    public static TheoryData<int, string, string> MalformedFrames
    {
        get
        {
            var data = new TheoryData<int, string, string>();
            foreach (var loops in new[] { 0, 1, 2 })
            {
                data.Add(loops, "10001:", "a query over 10,000 bytes");
                data.Add(loops, "01:a,", "a leading zero");
                data.Add(loops, "1x:a,", "a non-digit length");
                data.Add(loops, "3:abc;", "a missing ','");
                data.Add(loops, "5:ab", "EOF inside a frame");
            }

            return data;
        }
    }

    /// <summary>A malformed frame closes that connection and nothing else: another connection, open before and after, is answered.</summary>
    [Theory]
    [MemberData(nameof(MalformedFrames))]
    public async Task MalformedFrame_ClosesThatConnectionOnly(int loops, string frame, string reason)
    {
        var fake = new FakeResolver();
        await using var server = await RunningServer.StartAsync(new MtaStsOptions(), o => o.EventLoops = loops, fake: fake);
        await using var other = await server.ConnectAsync();
        Assert.Equal(Secure, await other.QueryAsync("postfix", "before.test"));

        await using (var bad = await server.ConnectAsync())
        {
            // A valid request first: it is answered, then the malformed frame closes the connection.
            await bad.SendRawAsync(Frame("postfix first.test"));
            Assert.Equal(Secure, await bad.ReadReplyAsync());
            await bad.SendRawAsync(Encoding.ASCII.GetBytes(frame));
            if (reason == "EOF inside a frame")
            {
                bad.CompleteWrites();
            }

            Assert.True(await bad.ClosedByServerAsync(), reason);
        }

        Assert.Equal(Secure, await other.QueryAsync("postfix", "after.test"));
        Assert.Equal(3, fake.Calls);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task SequentialRequests_OneConnection_EachAnswered(int loops)
    {
        await using var server = await RunningServer.StartAsync(new MtaStsOptions(), o => o.EventLoops = loops, fake: new FakeResolver());
        await using var client = await server.ConnectAsync();
        Assert.Equal(Secure, await client.QueryAsync("postfix", "a.test"));
        Assert.Equal("PERM unknown map name", await client.QueryAsync("other", "a.test"));
        Assert.Equal("NOTFOUND ", await client.QueryAsync("postfix", ".a.test"));
        Assert.Equal(Secure, await client.QueryAsync("postfix", "b.test"));
    }

    /// <summary>
    /// Pipelined requests are answered in the order they were sent, even when an earlier one waits for
    /// its lookup: the replies of later ones do not overtake it.
    /// </summary>
    [Theory]
    [MemberData(nameof(Engines))]
    public async Task PipelinedRequests_AnsweredInOrder(int loops)
    {
        var fake = new FakeResolver();
        var gate = fake.Hold("slow.test");
        await using var server = await RunningServer.StartAsync(new MtaStsOptions(), o => o.EventLoops = loops, fake: fake);
        await using var client = await server.ConnectAsync();
        var batch = Frame("postfix slow.test").Concat(Frame("other x.test")).Concat(Frame("postfix .parent.test")).Concat(Frame("postfix fast.test")).ToArray();
        await client.SendRawAsync(batch);
        var first = client.ReadReplyAsync();
        while (!fake.Waiting.ContainsKey("slow.test"))
        {
            await Task.Delay(10);
        }

        Assert.False(first.IsCompleted);
        gate.SetResult();
        Assert.Equal(
            [Secure, "PERM unknown map name", "NOTFOUND ", Secure],
            [await first, await client.ReadReplyAsync(), await client.ReadReplyAsync(), await client.ReadReplyAsync()]);
    }

    /// <summary>A slow lookup on one connection never delays replies on the others.</summary>
    [Theory]
    [MemberData(nameof(Engines))]
    public async Task SlowLookup_OtherConnectionsAnswered(int loops)
    {
        var fake = new FakeResolver();
        var gate = fake.Hold("slow.test");
        await using var server = await RunningServer.StartAsync(new MtaStsOptions(), o => o.EventLoops = loops, fake: fake);
        await using var slow = await server.ConnectAsync();
        var pending = slow.QueryAsync("postfix", "slow.test");
        await using var other = await server.ConnectAsync();
        for (var i = 0; i < 20; i++)
        {
            Assert.Equal(Secure, await other.QueryAsync("postfix", $"d{i}.test"));
        }

        Assert.False(pending.IsCompleted);
        gate.SetResult();
        Assert.Equal(Secure, await pending);
    }

    /// <summary>
    /// A client that sends one byte at a time never completes a request within the idle timeout, so it is
    /// cut off; meanwhile another connection is answered. No clock is asserted: the server closing the
    /// connection before the last byte is sent is only possible through the timeout.
    /// </summary>
    [Theory]
    [MemberData(nameof(Engines))]
    public async Task TricklingClient_CutOffByTimeout_OthersAnswered(int loops)
    {
        await using var server = await RunningServer.StartAsync(new MtaStsOptions(), o => { o.EventLoops = loops; o.IdleTimeout = TimeSpan.FromSeconds(2); }, fake: new FakeResolver());
        await using var trickle = await server.ConnectAsync();
        await using var other = await server.ConnectAsync();
        var frame = Frame("postfix " + new string('a', 40) + ".test");
        var sent = 0;
        var closed = false;
        for (; sent < frame.Length - 1 && !closed; sent++)
        {
            try
            {
                await trickle.SendRawAsync(frame.AsMemory(sent, 1));
            }
            catch (IOException)
            {
                closed = true;
                break;
            }

            Assert.Equal(Secure, await other.QueryAsync("postfix", $"other{sent}.test"));
            await Task.Delay(TimeSpan.FromMilliseconds(250));
            using var poll = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));
            try
            {
                closed = await trickle.ClosedByServerAsync(poll.Token);
            }
            catch (OperationCanceledException)
            {
            }
        }

        Assert.True(closed, "the trickling connection was closed before its request was complete");
        Assert.True(sent < frame.Length - 1);
        Assert.Equal(Secure, await other.QueryAsync("postfix", "still.test"));
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task ThousandConcurrentConnections_AllAnswered(int loops)
    {
        var fake = new FakeResolver();
        await using var server = await RunningServer.StartAsync(new MtaStsOptions(), o => { o.EventLoops = loops; o.MaxConnections = 1024; }, fake: fake);
        var clients = await Task.WhenAll(Enumerable.Range(0, 1000).Select(_ => server.ConnectAsync()));
        try
        {
            var replies = await Task.WhenAll(clients.Select((c, i) => c.QueryAsync("postfix", $"c{i}.test")));
            Assert.All(replies, static r => Assert.Equal(Secure, r));
            Assert.Equal(1000, fake.Calls);
        }
        finally
        {
            foreach (var client in clients)
            {
                await client.DisposeAsync();
            }
        }
    }

    /// <summary>The connection limit: with 2 slots a third connection is answered only once one closes.</summary>
    [Theory]
    [MemberData(nameof(Engines))]
    public async Task ConnectionLimit_ThirdWaitsForAFreeSlot(int loops)
    {
        await using var server = await RunningServer.StartAsync(new MtaStsOptions(), o => { o.EventLoops = loops; o.MaxConnections = 2; }, fake: new FakeResolver());
        var first = await server.ConnectAsync();
        await using var second = await server.ConnectAsync();
        Assert.Equal(Secure, await first.QueryAsync("postfix", "a.test"));
        Assert.Equal(Secure, await second.QueryAsync("postfix", "b.test"));
        await using var third = await server.ConnectAsync();   // accepted by the kernel's backlog, not served
        var waiting = third.QueryAsync("postfix", "c.test");
        Assert.Equal(Secure, await second.QueryAsync("postfix", "d.test"));
        Assert.False(waiting.IsCompleted);
        await first.DisposeAsync();
        Assert.Equal(Secure, await waiting);
    }

    /// <summary>Graceful shutdown: a request in flight when the host stops is answered, then the connection closes.</summary>
    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Shutdown_RequestInFlight_AnsweredThenClosed(int loops)
    {
        var fake = new FakeResolver();
        var gate = fake.Hold("inflight.test");
        var server = await RunningServer.StartAsync(new MtaStsOptions(), o => o.EventLoops = loops, fake: fake);
        await using var client = await server.ConnectAsync();
        var pending = client.QueryAsync("postfix", "inflight.test");
        while (!fake.Waiting.ContainsKey("inflight.test"))
        {
            await Task.Delay(10);
        }

        var stopping = server.StopAsync();
        Assert.False(stopping.IsCompleted);
        gate.SetResult();
        Assert.Equal(Secure, await pending);
        await stopping;
        Assert.True(await client.ClosedByServerAsync());
        await server.DisposeAsync();
    }

    [Theory]
    [MemberData(nameof(Engines))]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task UnixSocket_Answered_FileModeSet(int loops)
    {
        var path = Path.Combine(Path.GetTempPath(), $"mta-sts-{Guid.NewGuid():N}.sock");
        await using (var server = await RunningServer.StartAsync(new MtaStsOptions(), o => { o.EventLoops = loops; o.Listen.Add("unix:" + path); o.SocketMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite; }, fake: new FakeResolver()))
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite, File.GetUnixFileMode(path));
            await using var client = await SocketmapClient.ConnectAsync("unix:" + path);
            Assert.Equal(Secure, await client.QueryAsync("postfix", "unix.test"));
        }

        Assert.False(File.Exists(path));
    }

    /// <summary>
    /// A client that sends 30,000 pipelined requests and reads nothing for a while: the replies overflow
    /// the unix socket's buffer, so the server's send cannot take a batch whole and finishes it later (on
    /// the event loop: off the loop's thread, the connection paused). Every reply arrives, in order.
    /// </summary>
    [Theory]
    [MemberData(nameof(Engines))]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task SlowReader_ManyPipelinedReplies_NoneLostInOrder(int loops)
    {
        var path = Path.Combine(Path.GetTempPath(), $"mta-sts-{Guid.NewGuid():N}.sock");
        await using var server = await RunningServer.StartAsync(new MtaStsOptions(), o => { o.EventLoops = loops; o.Listen.Add("unix:" + path); }, fake: new FakeResolver());
        await using var client = await SocketmapClient.ConnectAsync("unix:" + path);
        const int count = 30_000;
        string[] requests = ["postfix k{0}.test", "other k{0}.test", "postfix .k{0}.test"];
        string[] replies = [Secure, "PERM unknown map name", "NOTFOUND "];
        var batch = Enumerable.Range(0, count).SelectMany(i => Frame(string.Format(System.Globalization.CultureInfo.InvariantCulture, requests[i % 3], i))).ToArray();
        var sending = client.SendRawAsync(batch);
        await Task.Delay(TimeSpan.FromMilliseconds(300));   // replies pile up unread
        for (var i = 0; i < count; i++)
        {
            var reply = await client.ReadReplyAsync();
            if (reply != replies[i % 3])
            {
                Assert.Fail($"reply {i}: '{reply}', expected '{replies[i % 3]}'");
            }
        }

        await sending;
        Assert.Equal(Secure, await client.QueryAsync("postfix", "after.test"));
    }
}
