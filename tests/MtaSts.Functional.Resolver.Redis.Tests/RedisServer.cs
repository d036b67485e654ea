using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using MtaSts.Testing;

namespace MtaSts.Functional.Resolver.Redis.Tests;

/// <summary>
/// A real redis-server (Debian package redis-server) on a free loopback port, in a temporary directory, with no
/// persistence; stopped by its PID. <see cref="KillAsync"/> and <see cref="StartAsync"/> simulate an outage.
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("mtasts-redis-").FullName;
    private Process? process;

    private readonly bool persistent;

    private RedisServer(int port, bool persistent)
    {
        Port = port;
        this.persistent = persistent;
    }

    /// <summary>redis-server on PATH (installed from Debian first when missing and this process may: <see cref="DebianPackage"/>), or null.</summary>
    public static string? Executable { get; } = OnPath()
        ?? (DebianPackage.Ensure("/usr/bin/redis-server", "redis-server") ? "/usr/bin/redis-server" : null);

    private static string? OnPath() => (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
        .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
        .Select(static d => Path.Combine(d, "redis-server"))
        .FirstOrDefault(File.Exists);

    /// <summary>Why Redis tests are skipped: redis-server missing outside CI. Under CI=true nothing is skipped, so a missing server fails.</summary>
    public static string? SkipReason =>
        Executable is null && !string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase)
            ? "redis-server is not installed and could not be installed here (needs root and apt-get: apt-get install redis-server; .ci/run installs it)"
            : null;

    public int Port { get; }

    public string ConnectionString => $"127.0.0.1:{Port}";

    public int? Pid => process is { HasExited: false } p ? p.Id : null;

    /// <summary>Starts a server; a <paramref name="persistent"/> one writes every command to its append-only file first, so a kill loses nothing it acknowledged.</summary>
    public static async Task<RedisServer> StartNewAsync(bool persistent = false)
    {
        var server = new RedisServer(FreePort(), persistent);
        await server.StartAsync();
        return server;
    }

    /// <summary>Starts the server (again) on its port and waits until it answers PING.</summary>
    public async Task StartAsync()
    {
        var executable = Executable ?? throw new InvalidOperationException("redis-server is not on PATH: install the Debian package redis-server (.ci/run does)");
        var start = new ProcessStartInfo(executable) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = directory };
        foreach (var a in new[] { "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", string.Empty, "--appendonly", persistent ? "yes" : "no", "--appendfsync", "always", "--dir", directory })
        {
            start.ArgumentList.Add(a);
        }

        process = Process.Start(start)!;
        process.OutputDataReceived += static (_, _) => { };
        process.ErrorDataReceived += static (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        for (var attempt = 0; attempt < 200; attempt++)
        {
            if (await PingAsync())
            {
                return;
            }

            if (process.HasExited)
            {
                throw new InvalidOperationException($"redis-server exited with {process.ExitCode} on port {Port}");
            }

            await Task.Delay(50);
        }

        throw new InvalidOperationException($"redis-server did not answer on port {Port}");
    }

    /// <summary>Kills the server by its PID (no shutdown, no save: an outage).</summary>
    public async Task KillAsync()
    {
        if (process is { HasExited: false } p)
        {
            p.Kill();
            await p.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        process?.Dispose();
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private async Task<bool> PingAsync()
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, Port);
            var stream = client.GetStream();
            await stream.WriteAsync("PING\r\n"u8.ToArray());
            var buffer = new byte[16];
            var read = await stream.ReadAsync(buffer);
            return Encoding.ASCII.GetString(buffer, 0, read).StartsWith("+PONG", StringComparison.Ordinal);
        }
        catch (SocketException)
        {
            return false;
        }
    }
}

/// <summary>A fact that needs redis-server: skipped with the reason when it is missing (never under CI=true).</summary>
public sealed class RedisFactAttribute : FactAttribute
{
    public RedisFactAttribute() => Skip = RedisServer.SkipReason!;
}

/// <summary>An FsCheck property that needs redis-server (see <see cref="RedisFactAttribute"/>).</summary>
public sealed class RedisPropertyAttribute : FsCheck.Xunit.PropertyAttribute
{
    public RedisPropertyAttribute() => Skip = RedisServer.SkipReason!;
}

/// <summary>One redis-server for a test class; each test uses its own key prefix.</summary>
public sealed class RedisFixture : IAsyncLifetime
{
    private RedisServer? server;

    public RedisServer Server => server ?? throw new InvalidOperationException("redis-server is not running");

    public async Task InitializeAsync()
    {
        if (RedisServer.SkipReason is null)
        {
            server = await RedisServer.StartNewAsync();
        }
    }

    public async Task DisposeAsync()
    {
        if (server is not null)
        {
            await server.DisposeAsync();
        }
    }
}
