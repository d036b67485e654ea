// Load generator for the Postfix socketmap server (issue #15). Not a test: it prints figures.
//
//   dotnet run -c Release --project benchmarks/MtaSts.Postfix.Load -- [--domains N] [--seconds S] [--connections 1,16,64]
//   dotnet run -c Release --project benchmarks/MtaSts.Postfix.Load -- --memory 100000
//
// The parent process runs the loopback DNS and HTTPS fixture (the shared test servers (tests/MtaSts.Testing)) and the
// clients; the server runs in a child process (this program with "server": the host `mta-sts serve`
// builds, PostfixHost.CreateBuilder), so that the CPU of each side is measured apart.
using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using LanguageExt;
using Microsoft.Extensions.Logging;
using MtaSts.Functional.Lifecycle;
using MtaSts.Functional.Resolver;
using MtaSts.Postfix;
using MtaSts.Postfix.Protocol;
using MtaSts.Testing;

if (args is ["server", var dnsArg, var caArg, var portArg, var cacheArg, var listenArg])
{
    return await Server(dnsArg, caArg, int.Parse(portArg, CultureInfo.InvariantCulture), cacheArg, listenArg);
}

if (args is ["micro"])
{
    return await Micro();
}

var domains = Arg("--domains", 1000);
var seconds = Arg("--seconds", 10);
var memory = Arg("--memory", 0);
var generator = ArgText("--generator");   // the C generator (benchmarks/socketmap-load) instead of the C# clients
var generatorThreads = Arg("--threads", 1);
var overUnix = args.Contains("--unix");   // the C generator talks to the server's unix socket instead of TCP
var connectionCounts = (ArgText("--connections") ?? "1,16,64").Split(',').Select(static c => int.Parse(c, CultureInfo.InvariantCulture)).ToArray();

var work = Directory.CreateTempSubdirectory("mta-sts-load-").FullName;
using var pki = new TestPki("Load Root");
await using var dns = new LoopbackDns();
await using var https = await LoopbackHttps.StartAsync(pki.Leaf("fallback", ["fallback.test"]));
var ca = Path.Combine(work, "ca.pem");
await File.WriteAllTextAsync(ca, pki.Root.ExportCertificatePem());
var cachePath = Path.Combine(work, "cache.db");
var count = memory > 0 ? memory : domains;
var names = Enumerable.Range(0, count).Select(static i => $"d{i}.load.test").ToArray();
Console.WriteLine($"fixture: {count} domains, enforce policy");
Publish(names, memory > 0);
if (memory > 0)
{
    await Prefill(names, cachePath);
}

var port = FreePort();
var server = $"127.0.0.1:{port}";
var unixSocket = Path.Combine(work, "load.sock");
using var child = StartServer(dns.EndPoint.ToString(), ca, https.Port, cachePath, server + ",unix:" + unixSocket);
try
{
    await WaitUntilUp(server);
    var freshRss = Rss(child.Id);
    var started = Stopwatch.GetTimestamp();
    var dnsBefore = dns.Queries;
    await Warm(server, names);
    Console.WriteLine($"warm-up: {names.Length} domains in {Stopwatch.GetElapsedTime(started).TotalSeconds:F1} s, {dns.Queries - dnsBefore} DNS queries, {Hits()} policy fetches");
    if (memory > 0)
    {
        Console.WriteLine($"server resident set (VmRSS): {freshRss / 1024.0:F0} MiB started, {Rss(child.Id) / 1024.0:F0} MiB after {memory} distinct cached domains were queried");
        return 0;
    }

    Console.WriteLine("| connections | queries/s | p50 (ms) | p99 (ms) | server CPU (cores) | generator CPU (cores) | DNS queries | replies checked |");
    Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|---|");
    foreach (var connections in connectionCounts)
    {
        if (generator is null)
        {
            await Phase(server, names, connections, TimeSpan.FromSeconds(seconds), child);
        }
        else
        {
            await External(generator, overUnix ? "unix:" + unixSocket : server, names, connections, seconds, child);
        }
    }

    return 0;
}
finally
{
    child.StandardInput.Close();   // the child stops when its stdin closes
    if (!child.WaitForExit(20_000))
    {
        child.Kill();
    }

    Directory.Delete(work, recursive: true);
}

int Arg(string name, int fallback) => ArgText(name) is { } text ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;

string? ArgText(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;

int Hits() => names.Sum(n => https.Hits("mta-sts." + n));

void Publish(string[] all, bool quiet)
{
    // One certificate per 500 policy hosts (SANs), so that 100,000 domains need 200 certificates.
    const string Policy = "version: STSv1\r\nmode: enforce\r\nmx: mail.example.test\r\nmx: *.backup.example.test\r\nmax_age: 604800\r\n";
    var handler = Loopback.Serve(Policy);
    foreach (var chunk in all.Chunk(500))
    {
        var certificate = pki.Leaf("load", [.. chunk.Select(static n => "mta-sts." + n)]);
        foreach (var name in chunk)
        {
            dns.Txt("_mta-sts." + name, "v=STSv1; id=load1;");
            dns.A("mta-sts." + name, IPAddress.Loopback);
            https.Host("mta-sts." + name, certificate, handler);
        }
    }

    if (!quiet)
    {
        Console.WriteLine($"published {all.Length} domains");
    }
}

static async Task Prefill(string[] all, string path)
{
    // The storage as a previous run left it: every domain with the same id as its TXT record, so a
    // first query reads the storage and the TXT record, and fetches nothing.
    var cache = new SqlitePolicyCache(path);
    var policy = Policy.Parse("version: STSv1\r\nmode: enforce\r\nmx: mail.example.test\r\nmx: *.backup.example.test\r\nmax_age: 604800\r\n").Match(static p => p, static e => throw new InvalidOperationException(e.Render()));
    var id = PolicyId.Create("load1").Match(static i => i, static e => throw new InvalidOperationException(e.Render()));
    var now = DateTimeOffset.UtcNow;
    var started = Stopwatch.GetTimestamp();
    foreach (var name in all)
    {
        var domain = PolicyDomain.Parse(name).Match(static d => d, static e => throw new InvalidOperationException(e.Render()));
        await cache.PutAsync(new CacheEntry(domain, Prelude.Some(new CachedPolicy(id, policy, policy.Render(), now, now.AddDays(7))), Option<FailedFetch>.None, now));
    }

    Console.WriteLine($"storage prefilled: {all.Length} entries in {Stopwatch.GetElapsedTime(started).TotalSeconds:F1} s");
}

static int FreePort()
{
    using var socket = new TcpListener(IPAddress.Loopback, 0);
    socket.Start();
    return ((IPEndPoint)socket.LocalEndpoint).Port;
}

static Process StartServer(string dnsEndPoint, string ca, int policyPort, string cachePath, string listen)
{
    var self = typeof(Program).Assembly.Location;
    var start = new ProcessStartInfo("dotnet") { RedirectStandardInput = true, UseShellExecute = false };
    if (Environment.GetEnvironmentVariable("LOAD_INLINE") is { } inline)
    {
        start.Environment["DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS"] = inline;
    }

    foreach (var a in new[] { self, "server", dnsEndPoint, ca, policyPort.ToString(CultureInfo.InvariantCulture), cachePath, listen })
    {
        start.ArgumentList.Add(a);
    }

    return Process.Start(start)!;
}

static async Task WaitUntilUp(string server)
{
    for (var i = 0; i < 300; i++)
    {
        try
        {
            await using var client = await SocketmapClient.ConnectAsync(server);
            await client.QueryAsync("postfix", ".probe");
            return;
        }
        catch (SocketException)
        {
            await Task.Delay(100);
        }
    }

    throw new InvalidOperationException("the server did not start");
}

static async Task Warm(string server, string[] all)
{
    var next = -1;
    await Task.WhenAll(Enumerable.Range(0, 64).Select(async _ =>
    {
        await using var client = await SocketmapClient.ConnectAsync(server);
        int i;
        while ((i = Interlocked.Increment(ref next)) < all.Length)
        {
            // NOTFOUND while a slow first discovery completes in the background: ask again.
            for (var attempt = 0; attempt < 100 && !(await client.QueryAsync("postfix", all[i])).StartsWith("OK ", StringComparison.Ordinal); attempt++)
            {
                await Task.Delay(50);
            }
        }
    }));
}

async Task Phase(string address, string[] all, int connections, TimeSpan duration, Process serverProcess)
{
    const int Buckets = 100_000;   // 0.1 µs … 10 ms in 100 ns steps; above goes to the last bucket
    var histograms = new long[connections][];
    var counts = new long[connections];
    var bad = 0L;
    using var stop = new CancellationTokenSource();
    var requests = all.Select(static n => Netstring.Encode(Encoding.ASCII.GetBytes("postfix " + n))).ToArray();
    var expected = Encoding.ASCII.GetBytes("OK secure match=mail.example.test:.backup.example.test servername=hostname");
    var sockets = new Socket[connections];
    for (var c = 0; c < connections; c++)
    {
        sockets[c] = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await sockets[c].ConnectAsync(IPEndPoint.Parse(address));
        histograms[c] = new long[Buckets];
    }

    serverProcess.Refresh();
    var serverCpu = serverProcess.TotalProcessorTime;
    var serverKernel = serverProcess.PrivilegedProcessorTime;
    var ownCpu = Process.GetCurrentProcess().TotalProcessorTime;
    var dnsBefore = dns.Queries;
    var wall = Stopwatch.StartNew();
    stop.CancelAfter(duration);
    await Task.WhenAll(Enumerable.Range(0, connections).Select(c => Task.Run(async () =>
    {
        var socket = sockets[c];
        var buffer = new byte[4096];
        var histogram = histograms[c];
        var i = c * 7919;
        while (!stop.IsCancellationRequested)
        {
            var request = requests[i++ % requests.Length];
            var t0 = Stopwatch.GetTimestamp();
            await socket.SendAsync(request, SocketFlags.None);
            var filled = 0;
            while (true)
            {
                var n = await socket.ReceiveAsync(buffer.AsMemory(filled), SocketFlags.None);
                if (n == 0)
                {
                    throw new IOException("server closed the connection");
                }

                filled += n;
                if (Complete(buffer, filled, expected, ref bad))
                {
                    break;
                }
            }

            var ticks = Stopwatch.GetElapsedTime(t0).Ticks;   // 100 ns
            histogram[Math.Min(ticks, Buckets - 1)]++;
            counts[c]++;
        }
    })));
    wall.Stop();
    serverProcess.Refresh();
    var serverUsed = (serverProcess.TotalProcessorTime - serverCpu).TotalSeconds / wall.Elapsed.TotalSeconds;
    var serverSys = (serverProcess.PrivilegedProcessorTime - serverKernel).TotalSeconds / wall.Elapsed.TotalSeconds;
    var ownUsed = (Process.GetCurrentProcess().TotalProcessorTime - ownCpu).TotalSeconds / wall.Elapsed.TotalSeconds;
    foreach (var socket in sockets)
    {
        socket.Dispose();
    }

    var total = counts.Sum();
    var merged = new long[Buckets];
    foreach (var h in histograms)
    {
        for (var b = 0; b < Buckets; b++)
        {
            merged[b] += h[b];
        }
    }

    double Percentile(double p)
    {
        var rank = (long)Math.Ceiling(p * total);
        long seen = 0;
        for (var b = 0; b < Buckets; b++)
        {
            seen += merged[b];
            if (seen >= rank)
            {
                return b / 10_000.0;   // 100 ns buckets → ms
            }
        }

        return double.NaN;
    }

    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {connections} | {total / wall.Elapsed.TotalSeconds:F0} | {Percentile(0.50):F3} | {Percentile(0.99):F3} | {serverUsed:F2} ({serverSys:F2} kernel) | {ownUsed:F2} | {dns.Queries - dnsBefore} | {(bad == 0 ? "all expected" : $"{bad} unexpected")} |"));
}

// One phase driven by the C generator: it measures its own CPU (getrusage) and the server's (/proc/PID/stat)
// over the same window, and checks every reply against the expected one.
async Task External(string program, string address, string[] all, int connections, int phaseSeconds, Process serverProcess)
{
    var keys = Path.Combine(work, "keys.txt");
    if (!File.Exists(keys))
    {
        await File.WriteAllLinesAsync(keys, all);
    }

    var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, UseShellExecute = false };
    foreach (var a in new[] { "-a", address, "-c", $"{connections}", "-t", $"{Math.Min(generatorThreads, connections)}", "-s", $"{phaseSeconds}", "-k", keys, "-p", $"{serverProcess.Id}", "-e", "OK secure match=mail.example.test:.backup.example.test servername=hostname" })
    {
        start.ArgumentList.Add(a);
    }

    var dnsBefore = dns.Queries;
    using var run = Process.Start(start)!;
    var output = await run.StandardOutput.ReadToEndAsync();
    await run.WaitForExitAsync();
    var fields = output.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
        .Select(static f => f.Split('=', 2)).Where(static f => f.Length == 2).ToDictionary(static f => f[0], static f => f[1]);
    string F(string name) => fields.TryGetValue(name, out var v) ? v : "?";
    Console.WriteLine($"| {connections} | {F("qps")} | {F("p50_ms")} | {F("p99_ms")} | {F("server_cpu")} ({F("server_sys")} kernel) | {F("generator_cpu")} ({F("threads")} thread) | {dns.Queries - dnsBefore} | {(run.ExitCode == 0 ? "all expected" : $"{F("bad")} unexpected, exit {run.ExitCode}")} |");
}

// Whether the buffer holds a whole reply; counts a reply other than the expected one.
static bool Complete(byte[] buffer, int filled, byte[] expected, ref long bad)
{
    var status = Netstring.TryRead(new ReadOnlySequence<byte>(buffer, 0, filled), Netstring.MaxReplyBytes, out var payload, out _, out _);
    if (status != NetstringStatus.Complete)
    {
        return false;
    }

    if (!payload.FirstSpan.SequenceEqual(expected))
    {
        Interlocked.Increment(ref bad);
    }

    return true;
}

static long Rss(int pid)
{
    foreach (var line in File.ReadLines($"/proc/{pid}/status"))
    {
        if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
        {
            return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
        }
    }

    return -1;
}

// The responder alone, in process, on a warm domain: what one query costs without sockets.
static async Task<int> Micro()
{
    using var pki = new TestPki("Micro Root");
    await using var dns = new LoopbackDns();
    await using var https = await LoopbackHttps.StartAsync(pki.Leaf("fallback", ["fallback.test"]));
    dns.Txt("_mta-sts.micro.test", "v=STSv1; id=1;").A("mta-sts.micro.test", IPAddress.Loopback);
    https.Host("mta-sts.micro.test", pki.Leaf("m", ["mta-sts.micro.test"]), Loopback.Serve("version: STSv1\r\nmode: enforce\r\nmx: mail.example.test\r\nmax_age: 604800\r\n"));
    var resolver = new MtaStsOptions { PolicyPort = https.Port };
    resolver.NameServers.Add(dns.EndPoint);
    resolver.TrustAnchors.Add(pki.Root);
    var builder = PostfixHost.CreateBuilder(resolver, new SocketmapOptions());
    builder.Logging.ClearProviders();
    using var host = builder.Build();
    var responder = (SocketmapResponder)host.Services.GetService(typeof(SocketmapResponder))!;
    var request = new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes("postfix micro.test"));
    Console.WriteLine((await responder.AnswerAsync(request)).Render());
    for (var round = 0; round < 3; round++)
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        var watch = Stopwatch.StartNew();
        const int N = 1_000_000;
        for (var i = 0; i < N; i++)
        {
            var reply = await responder.AnswerAsync(request);
            _ = reply.ToBytes();
        }

        Console.WriteLine($"responder, warm: {watch.Elapsed.TotalMilliseconds * 1000 / N:F2} µs and {(GC.GetAllocatedBytesForCurrentThread() - before) / N} B per query");
    }

    return 0;
}

static async Task<int> Server(string dnsEndPoint, string caFile, int policyPort, string cachePath, string listen)
{
    var resolver = new MtaStsOptions { PolicyPort = policyPort, CachePath = cachePath, DnsRetries = 0, DnsTimeout = TimeSpan.FromSeconds(5) };
    resolver.NameServers.Add(IPEndPoint.Parse(dnsEndPoint));
    resolver.TrustAnchors.ImportFromPemFile(caFile);
    var options = new SocketmapOptions();
    if (Environment.GetEnvironmentVariable("LOAD_LOOPS") is { } loops)
    {
        options.EventLoops = int.Parse(loops, CultureInfo.InvariantCulture);   // 0: .NET's socket engine (A/B runs)
    }

    foreach (var address in listen.Split(','))
    {
        options.Listen.Add(address);
    }

    var builder = PostfixHost.CreateBuilder(resolver, options);
    builder.Logging.SetMinimumLevel(LogLevel.Warning);
    using var host = builder.Build();
    await host.StartAsync();
    await Console.In.ReadToEndAsync();   // until the parent closes stdin
    await host.StopAsync();
    return 0;
}
