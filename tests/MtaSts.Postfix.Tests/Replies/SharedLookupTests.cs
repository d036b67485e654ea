using Microsoft.Extensions.Time.Testing;
using MtaSts.Postfix.Tests.Server;
using MtaSts.Testing;

namespace MtaSts.Postfix.Tests.Replies;

/// <summary>
/// Concurrency costs no extra discovery: many connections asking for one domain at once share one DNS
/// query and one fetch (the resolver's shared run), and negative or failed results are kept for a
/// bounded time (the TXT grace, the TXT failure grace, the C-04 fetch back-off), so a broken domain costs one discovery per
/// interval, not one per query.
/// </summary>
[Collection(PostfixLoopbackCollection.Name)]
public class SharedLookupTests
{
    private readonly Loopback world;

    public SharedLookupTests(Loopback world)
    {
        this.world = world;
        world.Dns.NegativeTtl = 300;   // as real servers answer NXDOMAIN (RFC 2308); tests with TxtGrace 0 are unaffected
    }

    /// <summary>The fixture's options with the server's default TXT grace and TXT failure grace (the fixture sets both to zero).</summary>
    private MtaSts.Functional.Resolver.MtaStsOptions Options()
    {
        var options = world.Options();
        var defaults = new MtaSts.Functional.Resolver.MtaStsOptions();
        options.TxtGrace = defaults.TxtGrace;
        options.TxtFailureGrace = defaults.TxtFailureGrace;
        return options;
    }

    private async Task<string[]> Burst(RunningServer server, string domain, int connections)
    {
        var clients = await Task.WhenAll(Enumerable.Range(0, connections).Select(_ => server.ConnectAsync()));
        try
        {
            return await Task.WhenAll(clients.Select(c => c.QueryAsync("postfix", domain)));
        }
        finally
        {
            foreach (var client in clients)
            {
                await client.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task ColdDomain_64Connections_OneTxtQueryOneFetch()
    {
        const string Domain = "burst.shared.test";
        world.Publish(Domain, "v1", Loopback.Serve(Loopback.ValidPolicy));
        await using var server = await RunningServer.StartAsync(Options());
        var replies = await Burst(server, Domain, 64);
        Assert.All(replies, static r => Assert.StartsWith("OK secure match=", r, StringComparison.Ordinal));
        replies = await Burst(server, Domain, 64);
        Assert.All(replies, static r => Assert.StartsWith("OK secure match=", r, StringComparison.Ordinal));
        Assert.Equal((1, 1), (world.Dns.QueriesFor("_mta-sts." + Domain), world.Https.Hits("mta-sts." + Domain)));
    }

    [Fact]
    public async Task NoTxtRecord_ManyQueries_OneTxtQueryPerGraceWindow()
    {
        const string Domain = "absent.shared.test";
        await using var server = await RunningServer.StartAsync(Options());
        Assert.All(await Burst(server, Domain, 64), static r => Assert.Equal("NOTFOUND ", r));
        for (var i = 0; i < 20; i++)
        {
            Assert.Equal("NOTFOUND ", await server.QueryAsync(Domain));
        }

        Assert.Equal(1, world.Dns.QueriesFor("_mta-sts." + Domain));
    }

    /// <summary>
    /// A domain whose DNS answers SERVFAIL (a temporary failure, TTL 0): the resolver keeps the failure for
    /// <c>TxtFailureGrace</c> (issue 15), so 64 concurrent and 20 sequential queries cost one TXT query, and the
    /// next interval one more — not one per query. Each query is still answered NOTFOUND (no cached policy, C-05).
    /// </summary>
    [Fact]
    public async Task DnsServfail_ManyQueries_OneTxtQueryPerFailureInterval()
    {
        const string Domain = "servfail.shared.test";
        world.Dns.Fail("_mta-sts." + Domain, rcode: 2);
        var options = Options();
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var server = await RunningServer.StartAsync(options, clock: clock);
        Assert.All(await Burst(server, Domain, 64), static r => Assert.Equal("NOTFOUND ", r));
        for (var i = 0; i < 20; i++)
        {
            Assert.Equal("NOTFOUND ", await server.QueryAsync(Domain));
        }

        Assert.Equal(1, world.Dns.QueriesFor("_mta-sts." + Domain));
        clock.Advance(options.TxtFailureGrace);
        for (var i = 0; i < 20; i++)
        {
            Assert.Equal("NOTFOUND ", await server.QueryAsync(Domain));
        }

        Assert.Equal(2, world.Dns.QueriesFor("_mta-sts." + Domain));
    }

    [Fact]
    public async Task BrokenPolicyHost_ManyQueries_OneFetchPerBackOff()
    {
        const string Domain = "broken.shared.test";
        world.Publish(Domain, "v1", Loopback.Serve("unavailable", status: 503));
        await using var server = await RunningServer.StartAsync(Options());
        Assert.All(await Burst(server, Domain, 64), static r => Assert.Equal("NOTFOUND ", r));
        for (var i = 0; i < 20; i++)
        {
            Assert.Equal("NOTFOUND ", await server.QueryAsync(Domain));
        }

        Assert.Equal((1, 1), (world.Dns.QueriesFor("_mta-sts." + Domain), world.Https.Hits("mta-sts." + Domain)));
    }
}
