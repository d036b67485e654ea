using System.Diagnostics;
using MtaSts.Postfix.Tests.Replies;
using MtaSts.Postfix.Tests.Server;
using MtaSts.Testing;

namespace MtaSts.Postfix.Tests.Postfix;

/// <summary>
/// Runs when Debian's <c>postmap</c> (package <c>postfix</c>) is installed; skipped with the reason
/// otherwise — except under <c>CI=true</c>, where a missing postmap fails the test (.ci/run installs it).
/// </summary>
public sealed class PostmapFactAttribute : FactAttribute
{
    public const string Path = "/usr/sbin/postmap";

    public PostmapFactAttribute()
    {
        if (!DebianPackage.Ensure(Path, "postfix", "postfix postfix/main_mailer_type select No configuration") && !string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Skip = $"{Path} not installed and could not be installed here (needs root and apt-get: apt-get install postfix; .ci/run installs it, and under CI=true this test fails instead)";
        }
    }
}

/// <summary>
/// Real Postfix as the client: <c>postmap -q KEY socketmap:inet:127.0.0.1:PORT:postfix</c> from Debian's
/// postfix (3.7) against the server over the loopback DNS and HTTPS servers. postmap prints the value
/// and exits 0 when found, prints nothing and exits 1 when not found, and reports a TEMP/PERM as an error.
/// </summary>
[Collection(PostfixLoopbackCollection.Name)]
public sealed class PostmapTests(Loopback world) : IDisposable
{
    private readonly string config = Directory.CreateTempSubdirectory("mta-sts-postmap-").FullName;

    public void Dispose() => Directory.Delete(config, recursive: true);

    private async Task<(int Code, string Out, string Error)> Postmap(string server, string key, string map = "postfix")
    {
        Assert.True(File.Exists(PostmapFactAttribute.Path), $"{PostmapFactAttribute.Path} is missing: install Debian's postfix package (CI=true requires it)");

        // postmap reads main.cf from its config directory; an empty one keeps every default.
        await File.WriteAllTextAsync(Path.Combine(config, "main.cf"), string.Empty);
        var start = new ProcessStartInfo(PostmapFactAttribute.Path) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "-c", config, "-q", key, $"socketmap:inet:{server}:{map}" })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, (await output).TrimEnd('\n'), await error);
    }

    [PostmapFact]
    public async Task Postmap_Enforce_SecurePolicy()
    {
        world.Publish("enforce.postmap.test", "v1", Loopback.Serve(Loopback.ValidPolicy));
        await using var server = await RunningServer.StartAsync(world.Options(), static o => o.Dane = true);
        Assert.Equal((0, "secure match=mail.example.test:.backup.example.test servername=hostname", string.Empty), await Postmap(server.Address, "enforce.postmap.test"));
    }

    [PostmapFact]
    public async Task Postmap_TlsrptMap_ValueWithAttributes()
    {
        world.Publish("tlsrpt.postmap.test", "v1", Loopback.Serve(Loopback.ValidPolicy));
        await using var server = await RunningServer.StartAsync(world.Options(), static o => o.Dane = true);
        var (code, output, _) = await Postmap(server.Address, "tlsrpt.postmap.test", "postfix-tlsrpt");
        Assert.Equal(0, code);
        Assert.StartsWith("secure match=mail.example.test:.backup.example.test servername=hostname policy_type=sts policy_domain=tlsrpt.postmap.test mx_host_pattern=mail.example.test mx_host_pattern=*.backup.example.test { policy_string = version: STSv1 }", output, StringComparison.Ordinal);
    }

    [PostmapFact]
    public async Task Postmap_TestingNoneAndNoPolicy_NotFound()
    {
        world.Publish("testing.postmap.test", "v1", Loopback.Serve(Loopback.ValidPolicy.Replace("enforce", "testing", StringComparison.Ordinal)));
        world.Publish("none.postmap.test", "v1", Loopback.Serve("version: STSv1\r\nmode: none\r\nmax_age: 86400\r\n"));
        await using var server = await RunningServer.StartAsync(world.Options(), static o => o.Dane = true);
        foreach (var domain in new[] { "testing.postmap.test", "none.postmap.test", "nopolicy.postmap.test" })
        {
            Assert.Equal((1, string.Empty, string.Empty), await Postmap(server.Address, domain));
        }
    }

    [PostmapFact]
    public async Task Postmap_UnknownMapName_ConfigurationError()
    {
        await using var server = await RunningServer.StartAsync(world.Options());
        var (code, output, error) = await Postmap(server.Address, "example.test", "QUERY");
        Assert.Equal((1, string.Empty), (code, output));
        Assert.Contains("unknown map name", error, StringComparison.Ordinal);
    }
}
