using MtaSts.Testing;
using static MtaSts.Functional.Resolver.Redis.Tests.Fleet;

namespace MtaSts.Functional.Resolver.Redis.Tests;

/// <summary>
/// Resolver nodes in separate processes on one Redis (RFC 8461 §3.3 caching, §10.2 refresh, shared by a fleet):
/// concurrent puts, leases, shared back-off, one fetch seen by every node. DNS and HTTPS are the loopback servers
/// of the resolver tests, in this process.
/// </summary>
public sealed class FleetProcessTests(RedisFixture redis, Loopback world) : IClassFixture<RedisFixture>, IClassFixture<Loopback>
{
    private const int Nodes = 3;

    [RedisFact]
    public async Task ConcurrentPuts_FromThreeProcesses_LeaveTheNewestFetch_WhateverTheOrder()
    {
        var prefix = Prefix();
        var nodes = await StartAsync(prefix);
        try
        {
            var domains = Enumerable.Range(0, 60).Select(static i => $"put{i:D2}.test").ToArray();
            var at = Now.ToUnixTimeSeconds();

            // Node n writes every domain with fetch time at + ((n + i) % 3): the newest writer differs by domain,
            // and each node writes in its own order, all at once.
            var writes = nodes.Select((node, n) => node.AskAllAsync(
                (n % 2 == 0 ? domains : domains.Reverse()).Select(d => $"put {d} n{n} {at + ((n + Array.IndexOf(domains, d)) % Nodes)}")));
            Assert.All((await Task.WhenAll(writes)).SelectMany(static a => a), static a => Assert.Equal("ok", a));

            foreach (var node in nodes)
            {
                var answers = await node.AskAllAsync(domains.Select(static d => $"get {d}"));
                for (var i = 0; i < domains.Length; i++)
                {
                    var newest = Enumerable.Range(0, Nodes).MaxBy(n => (n + i) % Nodes);
                    Assert.Equal($"n{newest} {at + Nodes - 1} -", answers[i]);
                }
            }
        }
        finally
        {
            await StopAsync(nodes);
        }
    }

    [RedisFact]
    public async Task ConcurrentPasses_InThreeProcesses_RefreshEachDueDomainOnce()
    {
        var prefix = Prefix();
        var due = Enumerable.Range(0, 200).Select(static i => $"due{i:D3}.test").ToArray();
        using (var writer = await NodeAsync(redis.Server, prefix, "writer"))
        {
            foreach (var d in due)
            {
                await writer.PutAsync(Entry(d, Policy("v1", Now.AddHours(-13))));
            }
        }

        var nodes = await StartAsync(prefix);
        try
        {
            var passes = await Task.WhenAll(nodes.Select(static n => n.AskAsync("pass")));

            var refreshed = passes.SelectMany(static p => p["refreshed ".Length..].Split(',', StringSplitOptions.RemoveEmptyEntries)).ToList();
            Assert.Equal(due, refreshed.Order(StringComparer.Ordinal).ToArray());
            Assert.All(await Task.WhenAll(nodes.Select(static n => n.AskAsync("pass"))), static p => Assert.Equal("refreshed ", p));
        }
        finally
        {
            await StopAsync(nodes);
        }
    }

    [RedisFact]
    public async Task NewPolicy_FetchedByOneNode_IsAppliedByEveryNode_WithoutAnotherFetch()
    {
        var prefix = Prefix();
        var domain = Domain("onefetch");
        var host = "mta-sts." + domain;
        world.Publish(domain, "v1", Loopback.Serve(Loopback.ValidPolicy));
        var nodes = await StartAsync(prefix, Resolving());
        try
        {
            Assert.Equal("live v1", await nodes[0].AskAsync($"resolve {domain}"));
            Assert.Equal("cache v1", await nodes[1].AskAsync($"resolve {domain}"));
            Assert.Equal("cache v1", await nodes[2].AskAsync($"resolve {domain}"));
            Assert.Equal(1, world.Https.Hits(host));

            // The lease holder's proactive refresh fetches the new policy; the others still hold v1 in their fronts,
            // with the TXT answer inside its grace: only the change notice makes them read the shared cache again.
            world.ChangeId(domain, "v2");
            world.Https.Handle(host, Loopback.Serve(Loopback.ValidPolicy.Replace("enforce", "testing", StringComparison.Ordinal)));
            Assert.Equal("live v2", await nodes[0].AskAsync($"refresh {domain}"));

            Assert.Equal("seen", await nodes[1].AskAsync($"wait {domain} v2"));
            Assert.Equal("seen", await nodes[2].AskAsync($"wait {domain} v2"));
            Assert.Equal("cache v2", await nodes[1].AskAsync($"resolve {domain}"));
            Assert.Equal("cache v2", await nodes[2].AskAsync($"resolve {domain}"));
            Assert.Equal(2, world.Https.Hits(host));
        }
        finally
        {
            await StopAsync(nodes);
        }
    }

    [RedisFact]
    public async Task FailedFetch_OnOneNode_BacksOffEveryNode()
    {
        var prefix = Prefix();
        var domain = Domain("backoff");
        var host = "mta-sts." + domain;
        world.Publish(domain, "v1", Loopback.Serve("unavailable", status: 503));
        var nodes = await StartAsync(prefix, Resolving());
        try
        {
            Assert.Equal("none -", await nodes[0].AskAsync($"resolve {domain}"));
            Assert.Equal(1, world.Https.Hits(host));

            Assert.Equal("none -", await nodes[1].AskAsync($"resolve {domain}"));
            Assert.Equal("none -", await nodes[2].AskAsync($"resolve {domain}"));

            Assert.Equal(1, world.Https.Hits(host));
            Assert.Equal("- - v1", await nodes[2].AskAsync($"get {domain}"));
        }
        finally
        {
            await StopAsync(nodes);
        }
    }

    [RedisFact]
    public async Task RedisKilledAndRestarted_NodesKeepAnswering_AndNothingIsLost()
    {
        await using var server = await RedisServer.StartNewAsync(persistent: true);
        var prefix = Prefix();
        var nodes = await Task.WhenAll(Enumerable.Range(0, Nodes).Select(n => NodeProcess.StartAsync(server, prefix, $"n{n}")));
        try
        {
            var at = Now.ToUnixTimeSeconds();
            var before = Enumerable.Range(0, 20).Select(static i => $"before{i:D2}.test").ToArray();
            var during = Enumerable.Range(0, 20).Select(static i => $"during{i:D2}.test").ToArray();
            await nodes[0].AskAllAsync(before.Select(d => $"put {d} v1 {at}"));
            foreach (var node in nodes)
            {
                Assert.All(await node.AskAllAsync(before.Select(static d => $"get {d}")), a => Assert.Equal($"v1 {at} -", a));
            }

            await server.KillAsync();

            foreach (var node in nodes)
            {
                Assert.All(await node.AskAllAsync(before.Select(static d => $"get {d}")), a => Assert.Equal($"v1 {at} -", a));
            }

            Assert.All(await nodes[1].AskAllAsync(during.Select(d => $"put {d} v2 {at}")), static a => Assert.Equal("ok", a));
            Assert.Equal(during.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), await nodes[1].AskAsync("pending"));

            await server.StartAsync();

            Assert.True(await EventuallyAsync(async () => await nodes[1].AskAsync("pending") == "0"));
            foreach (var node in nodes)
            {
                Assert.True(await EventuallyAsync(async () => await node.AskAsync("up") == "up"));
            }

            foreach (var node in nodes)
            {
                Assert.All(await node.AskAllAsync(during.Select(static d => $"get {d}")), a => Assert.Equal($"v2 {at} -", a));
                Assert.All(await node.AskAllAsync(before.Select(static d => $"get {d}")), a => Assert.Equal($"v1 {at} -", a));
            }
        }
        finally
        {
            await StopAsync(nodes);
        }
    }

    private string[] Resolving()
    {
        var trust = Path.Combine(Path.GetTempPath(), $"mtasts-fleet-ca-{Guid.NewGuid():N}.pem");
        File.WriteAllText(trust, world.Pki.Root.ExportCertificatePem());
        return ["--dns", world.Dns.EndPoint.ToString(), "--policy-port", world.Https.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--trust", trust];
    }

    private async Task<NodeProcess[]> StartAsync(string prefix, string[]? extra = null) =>
        await Task.WhenAll(Enumerable.Range(0, Nodes).Select(n => NodeProcess.StartAsync(redis.Server, prefix, $"n{n}", extra ?? [])));

    private static async Task StopAsync(NodeProcess[] nodes)
    {
        foreach (var n in nodes)
        {
            await n.DisposeAsync();
        }
    }
}
