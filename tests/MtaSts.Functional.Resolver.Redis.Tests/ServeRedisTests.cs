using System.Net;
using System.Net.Sockets;
using MtaSts.Cli;
using MtaSts.Testing;
using static MtaSts.Functional.Resolver.Redis.Tests.Fleet;

namespace MtaSts.Functional.Resolver.Redis.Tests;

/// <summary><c>mta-sts serve --redis</c> (issue #15 on issue #14's cache): the socketmap server's lookups fill the fleet's cache.</summary>
public sealed class ServeRedisTests(Loopback world) : IClassFixture<Loopback>
{
    private static async Task<(int Code, string Out, string Err)> Run(CancellationToken cancellationToken, params string[] args)
    {
        var output = new StringWriter { NewLine = "\n" };
        var error = new StringWriter { NewLine = "\n" };
        var code = await MtaStsCli.RunAsync(args, new CliConsole(output, error, () => new MemoryStream(), Rich: false), cancellationToken);
        return (code, output.ToString(), error.ToString());
    }

    [RedisFact]
    public async Task Serve_WithRedis_QueryFillsTheSharedCache()
    {
        await using var server = await RedisServer.StartNewAsync();
        var domain = Domain("serve");
        world.Publish(domain, "v1", Loopback.Serve(Loopback.ValidPolicy));
        var trust = Path.Combine(Path.GetTempPath(), $"mtasts-serve-ca-{Guid.NewGuid():N}.pem");
        await File.WriteAllTextAsync(trust, world.Pki.Root.ExportCertificatePem());
        int port;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }

        var listen = $"127.0.0.1:{port}";
        using var stop = new CancellationTokenSource();
        var serve = Task.Run(() => Run(stop.Token, "serve", "--redis", server.ConnectionString, "--dns", world.Dns.EndPoint.ToString(), "--trust", trust, "--policy-port", world.Https.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--listen", listen, "--dane", "false"));
        try
        {
            var reply = (0, string.Empty, string.Empty);
            for (var i = 0; i < 200 && !serve.IsCompleted && reply.Item2.Length == 0; i++)
            {
                reply = await Run(CancellationToken.None, "query", domain, "--server", listen);
                if (reply.Item2.Length == 0)
                {
                    await Task.Delay(50);
                }
            }

            Assert.Equal("OK secure match=mail.example.test:.backup.example.test servername=hostname\n", reply.Item2);
            // The entry reaches Redis when the lookup stores it, or, if the server's connection to Redis was not up
            // yet, when its pending writes are flushed on connect (RedisPolicyCache): wait for it, within a bound.
            var show = await Run(CancellationToken.None, "cache", "show", domain, "--redis", server.ConnectionString);
            for (var i = 0; i < 100 && !show.Out.StartsWith(domain, StringComparison.Ordinal); i++)
            {
                await Task.Delay(100);
                show = await Run(CancellationToken.None, "cache", "show", domain, "--redis", server.ConnectionString);
            }

            Assert.True(show.Out.StartsWith($"{domain}  id v1, mode enforce", StringComparison.Ordinal), $"cache show: exit {show.Code}, out '{show.Out}', err '{show.Err}'");
        }
        finally
        {
            await stop.CancelAsync();
            await serve;
            File.Delete(trust);
        }
    }
}
