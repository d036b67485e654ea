using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using MtaSts.Functional.Tests.Docs;
using MtaSts.Testing;

namespace MtaSts.Cli.Tests;

/// <summary>
/// systemd's notify protocol (sd_notify(3), Type=notify in deploy/postfix/mta-sts.service): <c>mta-sts serve</c>
/// as a real child process with <c>NOTIFY_SOCKET</c> pointing at a unix datagram socket this test owns. Only
/// the socket is provided; nothing else about systemd is faked.
/// </summary>
[Collection(LoopbackCollection.Name)]
public sealed class ServeNotifyTests : IDisposable
{
    private readonly Loopback world;
    private readonly string directory = Directory.CreateTempSubdirectory("mtasts-cli-notify-").FullName;

    public ServeNotifyTests(Loopback world)
    {
        this.world = world;
        world.Publish("notify.cli.test", "1", Loopback.Serve(Loopback.ValidPolicy));
    }

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public async Task Serve_NotifySocket_ReadyOnceListeningStoppingOnSigterm()
    {
        var ca = Path.Combine(directory, "ca.pem");
        await File.WriteAllTextAsync(ca, world.Pki.Root.ExportCertificatePem());
        var notifyPath = Path.Combine(directory, "notify");
        using var notify = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        notify.Bind(new UnixDomainSocketEndPoint(notifyPath));
        var port = ServeCommandTests.FreePort();

        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Repo.Root };
        foreach (var a in new[]
        {
            Tool(), "serve", "--dns", world.Dns.EndPoint.ToString(), "--trust", ca,
            "--policy-port", world.Https.Port.ToString(CultureInfo.InvariantCulture), "--listen", $"127.0.0.1:{port}",
            "--cache", Path.Combine(directory, "cache.db"), "--dane", "false",
        })
        {
            start.ArgumentList.Add(a);
        }

        start.Environment["NOTIFY_SOCKET"] = notifyPath;
        start.Environment["NO_COLOR"] = "1";
        using var child = Process.Start(start)!;
        var stdout = child.StandardOutput.ReadToEndAsync();
        var stderr = child.StandardError.ReadToEndAsync();
        try
        {
            // The first datagram is READY=1, and by then the socket listens: a connection and a query succeed.
            Assert.Equal("READY=1", await NextDatagram(notify, child, stderr));
            using (var connection = new TcpClient())
            {
                await connection.ConnectAsync(IPAddress.Loopback, port);
            }

            var query = await Run.InProcess("query", "notify.cli.test", "--server", $"127.0.0.1:{port}");
            Assert.Equal("OK secure match=mail.example.test:.backup.example.test servername=hostname\n", query.Out);

            // SIGTERM, as systemd stops a unit: STOPPING=1, then a clean exit.
            using (var kill = Process.Start("kill", ["-TERM", child.Id.ToString(CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync();
            }

            Assert.Equal("STOPPING=1", await NextDatagram(notify, child, stderr));
            using var exited = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await child.WaitForExitAsync(exited.Token);
            Assert.True(child.ExitCode == 0, $"exit {child.ExitCode}\n{await stdout}{await stderr}");
        }
        finally
        {
            if (!child.HasExited)
            {
                child.Kill(entireProcessTree: true);
            }
        }
    }

    // The tool from its own build output: serve needs the ASP.NET Core shared framework that its runtimeconfig
    // names (the copy in this test's output is configured for the test host, which references it differently).
    private static string Tool()
    {
        var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        return Path.Combine(Repo.Root, "src", "MtaSts.Cli", "bin", output.Parent!.Name, output.Name, "mta-sts.dll");
    }

    // A bound on the wait (not a timing assertion): a child that never notifies fails the test instead of hanging it.
    private static async Task<string> NextDatagram(Socket socket, Process child, Task<string> stderr)
    {
        var buffer = new byte[4096];
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            var received = await socket.ReceiveAsync(buffer, SocketFlags.None, bound.Token);
            return Encoding.UTF8.GetString(buffer, 0, received);
        }
        catch (OperationCanceledException)
        {
            throw new InvalidOperationException($"no notification within the bound; child exited: {child.HasExited}{(child.HasExited ? "\n" + await stderr : string.Empty)}");
        }
    }
}
