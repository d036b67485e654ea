using MtaSts.Cli;
using MtaSts.Testing;
using static MtaSts.Functional.Resolver.Redis.Tests.Fleet;

namespace MtaSts.Functional.Resolver.Redis.Tests;

/// <summary><c>--redis</c> on check, scan and cache list|show|purge, in process.</summary>
public sealed class CliTests(Loopback world) : IClassFixture<Loopback>
{
    private static async Task<(int Code, string Out, string Error)> Run(params string[] args)
    {
        var output = new StringWriter { NewLine = "\n" };
        var error = new StringWriter { NewLine = "\n" };
        var code = await MtaStsCli.RunAsync(args, new CliConsole(output, error, () => new MemoryStream(), Rich: false));
        return (code, output.ToString(), error.ToString());
    }

    [RedisFact]
    public async Task CacheList_OnManyDomains_ListsEveryOne_ThenPurgeRemovesThem()
    {
        // The CLI uses the default prefix, so this test has a server of its own.
        await using var server = await RedisServer.StartNewAsync();
        using (var node = await NodeAsync(server, "mtasts", "writer"))
        {
            await Parallel.ForEachAsync(Enumerable.Range(0, 2000), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, _) => await node.PutAsync(Entry($"d{i:D4}.list.test", Policy("v1", Now))));
        }

        var list = await Run("cache", "list", "--redis", server.ConnectionString);
        var show = await Run("cache", "show", "d0042.list.test", "--redis", server.ConnectionString);
        var purge = await Run("cache", "purge", "--redis", server.ConnectionString);
        var after = await Run("cache", "list", "--redis", server.ConnectionString);

        Assert.Equal(0, list.Code);
        var lines = list.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal($"redis {server.ConnectionString}: 2000 entries", lines[0]);
        Assert.Equal(2000, lines.Skip(1).Count(static l => l.Contains(".list.test  id v1, mode enforce", StringComparison.Ordinal)));
        Assert.StartsWith("d0042.list.test  id v1", show.Out);
        Assert.Equal($"redis {server.ConnectionString}: removed 2000 entries\n", purge.Out);
        Assert.Equal($"redis {server.ConnectionString}: 0 entries\n", after.Out);
    }

    [RedisFact]
    public async Task Check_WithRedis_FillsTheSharedCache()
    {
        await using var server = await RedisServer.StartNewAsync();
        var domain = Domain("cli");
        world.Publish(domain, "v1", Loopback.Serve(Loopback.ValidPolicy));
        var trust = Path.Combine(Path.GetTempPath(), $"mtasts-cli-ca-{Guid.NewGuid():N}.pem");
        await File.WriteAllTextAsync(trust, world.Pki.Root.ExportCertificatePem());

        var check = await Run("check", domain, "--redis", server.ConnectionString, "--dns", world.Dns.EndPoint.ToString(), "--trust", trust, "--policy-port", world.Https.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--timeout", "5");
        var show = await Run("cache", "show", domain, "--redis", server.ConnectionString);

        Assert.True(check.Code == 0, check.ToString());
        Assert.Equal(0, show.Code);
        Assert.StartsWith($"{domain}  id v1, mode enforce", show.Out);
    }

    public static TheoryData<string[], string> Unreachable => new()
    {
        { ["cache", "list"], "cannot reach Redis at 127.0.0.1:" },
        { ["check", "example.test"], "cannot reach Redis at 127.0.0.1:" },
    };

    [RedisTheory]
    [MemberData(nameof(Unreachable))]
    public async Task UnreachableServer_IsOneClearLine(string[] command, string expected)
    {
        await using var server = await RedisServer.StartNewAsync();
        await server.KillAsync();

        var result = await Run([.. command, "--redis", server.ConnectionString]);

        Assert.Equal(ExitCodes.Network, result.Code);
        Assert.Equal(string.Empty, result.Out);
        var line = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"mta-sts: --redis: {expected}{server.Port}", line);
    }

    [Theory]
    [InlineData("cache", "list")]
    [InlineData("scan", "-")]
    public async Task WrongConnectionString_IsOneClearLine(params string[] command)
    {
        var result = await Run([.. command, "--redis", "127.0.0.1:6379,nosuchoption=1"]);

        Assert.Equal(ExitCodes.Network, result.Code);
        var line = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("mta-sts: --redis: '127.0.0.1:6379,nosuchoption=1' is not a Redis connection string", line);
    }
}
