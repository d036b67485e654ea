using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using MtaSts.Functional.Lifecycle;
using StackExchange.Redis;

namespace MtaSts.Functional.Resolver.Redis.Benchmarks;

/// <summary>A throwaway redis-server on a free loopback port, no persistence; killed by its PID.</summary>
internal sealed class BenchRedis : IDisposable
{
    private readonly Process process;
    private readonly string directory = Directory.CreateTempSubdirectory("mtasts-bench-redis-").FullName;

    public BenchRedis()
    {
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            Port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        var start = new ProcessStartInfo("redis-server") { RedirectStandardOutput = true, WorkingDirectory = directory };
        foreach (var a in new[] { "--port", Port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", string.Empty, "--appendonly", "no", "--dir", directory })
        {
            start.ArgumentList.Add(a);
        }

        process = Process.Start(start)!;
        process.OutputDataReceived += static (_, _) => { };
        process.BeginOutputReadLine();
        Admin = Connect();
    }

    public int Port { get; }

    public string ConnectionString => $"127.0.0.1:{Port}";

    public ConnectionMultiplexer Admin { get; }

    /// <summary>Commands the server has processed (INFO stats), and the client calls among them (EVALSHA, EVAL, HMGET, ZRANGEBYSCORE).</summary>
    public (long Total, long Scripts, long Reads) Commands()
    {
        var info = Admin.GetServers()[0].InfoRaw("all") ?? string.Empty;
        long Stat(string prefix)
        {
            var line = info.Split('\n').FirstOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal));
            return line is null ? 0 : long.Parse(line[prefix.Length..].Split(',')[0].Trim(), CultureInfo.InvariantCulture);
        }

        return (Stat("total_commands_processed:"), Stat("cmdstat_evalsha:calls=") + Stat("cmdstat_eval:calls="), Stat("cmdstat_hmget:calls="));
    }

    public void Dispose()
    {
        Admin.Dispose();
        process.Kill();
        process.WaitForExit();
        process.Dispose();
        Directory.Delete(directory, recursive: true);
    }

    private ConnectionMultiplexer Connect()
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return ConnectionMultiplexer.Connect(ConnectionString + ",allowAdmin=true,abortConnect=true");
            }
            catch (RedisConnectionException) when (attempt < 100)
            {
                Thread.Sleep(50);
            }
        }
    }
}

/// <summary>In-memory DNS and HTTPS ports: the benchmarks measure the cache, not the network.</summary>
internal sealed class FixedTxt(string id) : ITxtLookup
{
    private readonly Task<TxtAnswer> answer = Task.FromResult(new TxtAnswer(TxtOutcome.From([[$"v=STSv1; id={id};"]]), TimeSpan.FromHours(1)));

    public Task<TxtAnswer> LookupTxtAsync(PolicyDomain domain, CancellationToken cancellationToken = default) => answer;
}

internal sealed class FixedFetch : IPolicyFetcher
{
    public const string Text = "version: STSv1\r\nmode: enforce\r\nmx: mail.example.test\r\nmax_age: 86400\r\n";

    private readonly Task<FetchOutcome> outcome = Task.FromResult(FetchOutcome.FromBody(Text));

    public Task<FetchOutcome> FetchAsync(PolicyDomain domain, CancellationToken cancellationToken = default) => outcome;
}

internal static class Entries
{
    public static PolicyDomain Name(string domain) => PolicyDomain.Parse(domain).IfLeft(static e => throw new InvalidOperationException(e.Render()));

    public static CacheEntry Entry(string domain, DateTimeOffset fetchedAt)
    {
        var policy = Policy.Parse(FixedFetch.Text).IfLeft(static e => throw new InvalidOperationException(e.Render()));
        var id = PolicyId.Create("v1").IfLeft(static e => throw new InvalidOperationException(e.Render()));
        return new CacheEntry(Name(domain), new CachedPolicy(id, policy, FixedFetch.Text, fetchedAt, fetchedAt + policy.MaxAge.Duration), LanguageExt.Option<FailedFetch>.None, fetchedAt);
    }
}
