using System.Net;
using System.Net.Sockets;
using MtaSts.Testing;

namespace MtaSts.Cli.Tests;

/// <summary><c>mta-sts serve</c> and <c>mta-sts query</c> in process, over the loopback DNS and HTTPS servers.</summary>
[Collection(LoopbackCollection.Name)]
public sealed class ServeCommandTests : IDisposable
{
    private const string Secure = "OK secure match=mail.example.test:.backup.example.test servername=hostname";

    private readonly Loopback world;
    private readonly string directory = Directory.CreateTempSubdirectory("mtasts-cli-serve-").FullName;
    private readonly string ca;

    public ServeCommandTests(Loopback world)
    {
        this.world = world;
        ca = Path.Combine(directory, "ca.pem");
        File.WriteAllText(ca, world.Pki.Root.ExportCertificatePem());
        world.Publish("serve.cli.test", "1", Loopback.Serve(Loopback.ValidPolicy));
    }

    public void Dispose() => Directory.Delete(directory, recursive: true);

    internal static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }

    /// <summary>Runs serve until the returned source is cancelled; waits (bounded) until it answers.</summary>
    private async Task<(Task<Result> Serve, CancellationTokenSource Stop)> StartServe(string server, params string[] args)
    {
        var stop = new CancellationTokenSource();
        var output = new StringWriter();
        var error = new StringWriter();
        var console = new CliConsole(output, error, static () => new MemoryStream(), Rich: false);
        var serve = Task.Run(async () => new Result(await MtaStsCli.RunAsync(["serve", .. args], console, stop.Token), output.ToString(), error.ToString()));
        for (var i = 0; i < 200 && !serve.IsCompleted; i++)
        {
            // Any reply (NOTFOUND, or PERM under other map names) means the server is up.
            if ((await Run.InProcess("query", ".probe", "--server", server)).Out.Length > 0)
            {
                return (serve, stop);
            }

            await Task.Delay(50);
        }

        throw new InvalidOperationException($"serve did not start: {(serve.IsCompleted ? (await serve).ToString() : "no answer")}");
    }

    [Fact]
    public async Task Serve_FlagsOnly_QueryAnswered()
    {
        var server = $"127.0.0.1:{FreePort()}";
        var (serve, stop) = await StartServe(server, "--dns", world.Dns.EndPoint.ToString(), "--trust", ca, "--policy-port", world.Https.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--listen", server, "--cache", Path.Combine(directory, "cache.db"));
        using (stop)
        {
            var enforce = await Run.InProcess("query", "serve.cli.test", "--server", server);
            Assert.Equal((ExitCodes.Ok, Secure + "\n"), (enforce.Code, enforce.Out));
            var tlsrpt = await Run.InProcess("query", "SERVE.cli.test.", "--server", server, "--name", "postfix-tlsrpt");
            Assert.StartsWith(Secure + " policy_type=sts policy_domain=serve.cli.test mx_host_pattern=mail.example.test", tlsrpt.Out, StringComparison.Ordinal);
            var unknown = await Run.InProcess("query", "serve.cli.test", "--server", server, "--name", "QUERY");
            Assert.Equal((ExitCodes.Network, "PERM unknown map name\n"), (unknown.Code, unknown.Out));
            await stop.CancelAsync();
            Assert.Equal(ExitCodes.Ok, (await serve).Code);
        }
    }

    [Fact]
    public async Task Serve_ConfigFile_MapNamesAndListenFromJson()
    {
        var server = $"127.0.0.1:{FreePort()}";
        var config = Path.Combine(directory, "serve.json");
        await File.WriteAllTextAsync(config, $$"""
            {
              "Listen": ["{{server}}"],
              "Dns": ["{{world.Dns.EndPoint}}"],
              "Trust": ["{{ca}}"],
              "PolicyPort": {{world.Https.Port}},
              "Cache": "{{Path.Combine(directory, "config-cache.db")}}",
              "MapName": "sts",
              "TlsrptMapName": "sts-tlsrpt",
              "ServerName": false
            }
            """);
        var (serve, stop) = await StartServe(server, "--config", config);
        using (stop)
        {
            var plain = await Run.InProcess("query", "serve.cli.test", "--server", server, "--name", "sts");
            Assert.Equal("OK secure match=mail.example.test:.backup.example.test\n", plain.Out);
            Assert.Equal("PERM unknown map name\n", (await Run.InProcess("query", "serve.cli.test", "--server", server)).Out);
            await stop.CancelAsync();
            await serve;
        }
    }

    [Theory]
    [InlineData("--listen", "localhost:8461")]
    [InlineData("--socket-mode", "999")]
    [InlineData("--max-connections", "0")]
    [InlineData("--metrics", "9461")]
    [InlineData("--dns", "not-an-ip")]
    [InlineData("--txt-failure-grace", "-1")]
    public async Task Serve_BadSetting_UsageError(string flag, string value)
    {
        var result = await Run.InProcess("serve", flag, value);
        Assert.Equal(ExitCodes.Usage, result.Code);
        Assert.StartsWith("mta-sts: ", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Query_NoServer_NetworkError()
    {
        var result = await Run.InProcess("query", "example.com", "--server", $"127.0.0.1:{FreePort()}");
        Assert.Equal(ExitCodes.Network, result.Code);
    }
}
