using System.Net;
using MtaSts.Testing;

namespace MtaSts.Functional.Resolver.Tests.Dns;

/// <summary>RFC 8461 §3.1 discovery (N-05..N-09, C-05) against a real DNS server on loopback.</summary>
[Collection(LoopbackCollection.Name)]
public class DnsDiscoveryTests(Loopback world)
{
    /// <summary>Case key → how the zone is set up, and the outcome: an id, "none" (no record), "unusable", or "temporary".</summary>
    private static readonly Dictionary<string, (Action<LoopbackDns, string> Setup, string Expected, string Why)> Cases = new()
    {
        ["one"] = ((dns, d) => dns.Txt("_mta-sts." + d, "v=STSv1; id=one1;"), "one1", "one record"),
        ["multi-string"] = ((dns, d) => dns.Txt("_mta-sts." + d, "v=STSv1; ", "id=multi;"), "multi", "N-08 strings concatenated without spaces"),
        ["split-inside-token"] = ((dns, d) => dns.Txt("_mta-sts." + d, "v=STSv1; id=ab", "cd;"), "abcd", "N-08 a split inside the id"),
        ["other-txt"] = ((dns, d) => dns.Txt("_mta-sts." + d, "v=spf1 -all").Txt("_mta-sts." + d, "v=STSv1; id=kept;"), "kept", "N-05 records not starting v=STSv1; are discarded"),
        ["several"] = ((dns, d) => dns.Txt("_mta-sts." + d, "v=STSv1; id=a;").Txt("_mta-sts." + d, "v=STSv1; id=b;"), "unusable", "N-06 two records"),
        ["invalid"] = ((dns, d) => dns.Txt("_mta-sts." + d, "v=STSv1; id=a_b;"), "unusable", "N-06 syntax error"),
        ["only-other"] = ((dns, d) => dns.Txt("_mta-sts." + d, "hello"), "none", "no MTA-STS record"),
        ["nxdomain"] = ((_, _) => { }, "none", "C-05 NXDOMAIN is no record"),
        ["nodata"] = ((dns, d) => dns.A("_mta-sts." + d, IPAddress.Loopback), "none", "C-05 NODATA is no record"),
        ["cname"] = ((dns, d) => dns.Cname("_mta-sts." + d, "sts.provider.cname.test").Txt("sts.provider.cname.test", "v=STSv1; id=viacname;"), "viacname", "N-09 CNAME followed (server chases)"),
        ["cname-unchased"] = ((dns, d) => dns.Cname("_mta-sts." + d, "sts2.provider.cname.test", chase: false).Txt("sts2.provider.cname.test", "v=STSv1; id=unchased;"), "unchased", "N-09 CNAME followed by a second query"),
        ["cname-chain"] = ((dns, d) => dns.Cname("_mta-sts." + d, "c1." + d, chase: false).Cname("c1." + d, "c2." + d).Txt("c2." + d, "v=STSv1; id=chain;"), "chain", "N-09 a chain of CNAMEs"),
        ["cname-dangling"] = ((dns, d) => dns.Cname("_mta-sts." + d, "nowhere." + d, chase: false), "none", "a CNAME to a missing name"),
        ["cname-loop"] = ((dns, d) => dns.Cname("_mta-sts." + d, "loop." + d, chase: false).Cname("loop." + d, "_mta-sts." + d, chase: false), "temporary", "a CNAME loop is bounded"),
        ["servfail"] = ((dns, d) => dns.Fail("_mta-sts." + d, 2), "temporary", "C-05 SERVFAIL"),
        ["refused"] = ((dns, d) => dns.Fail("_mta-sts." + d, 5), "temporary", "C-05 REFUSED"),
        ["silent"] = ((dns, d) => dns.Silent("_mta-sts." + d), "temporary", "C-05 no answer: timeout"),
    };

    public static TheoryData<string> Keys => [.. Cases.Keys];

    [Theory]
    [MemberData(nameof(Keys))]
    public async Task LookupTxtAsync_Zone_GivesTheOutcome(string key)
    {
        var (setup, expected, why) = Cases[key];
        var domain = key + ".dns.test";
        setup(world.Dns, domain);

        var outcome = await new DnsDiscovery(world.Options()).LookupTxtAsync(domain);

        var actual = outcome switch
        {
            TxtOutcome.Found f => f.Record.Id.Value,
            TxtOutcome.NoRecord => "none",
            TxtOutcome.Unusable => "unusable",
            TxtOutcome.TemporaryFailure => "temporary",
            _ => throw new InvalidOperationException(),
        };
        Assert.True(expected == actual, $"{why}: expected {expected}, got {outcome}");
    }

    [Fact]
    public async Task LookupMxAsync_GivesRecordsInPreferenceOrder()
    {
        world.Dns.Mx("mx.dns.test", 20, "backup.mx.dns.test").Mx("mx.dns.test", 10, "primary.mx.dns.test");

        var mx = await new DnsDiscovery(world.Options()).LookupMxAsync("mx.dns.test");

        Assert.Equal(
            [new MxRecord(10, "primary.mx.dns.test"), new MxRecord(20, "backup.mx.dns.test")],
            mx.RightToSeq().Head.ToArray());
    }

    [Fact]
    public async Task LookupTxtAsync_SurfacesTheTtl_AndTheRawStrings()
    {
        world.Dns.Txt("_mta-sts.ttl.dns.test", "v=STSv1; ", "id=ttl1;");

        var answer = await new DnsDiscovery(world.Options()).LookupTxtAsync("ttl.dns.test".D());
        var none = await new DnsDiscovery(world.Options()).LookupTxtAsync("no-such.ttl.dns.test".D());

        // The loopback server gives every record a TTL of 60 s and sends no SOA with a negative answer.
        Assert.Equal(TimeSpan.FromSeconds(60), answer.TimeToLive);
        Assert.Equal([["v=STSv1; ", "id=ttl1;"]], answer.Outcome.Records.Select(static r => r.ToArray()).ToArray());
        Assert.Equal("ttl1", Assert.IsType<TxtOutcome.Found>(answer.Outcome).Record.Id.Value);
        Assert.Equal((TimeSpan.Zero, true), (none.TimeToLive, none.Outcome is TxtOutcome.NoRecord));
    }

    [Theory]
    [InlineData("nomx.dns.test", nameof(DnsFailureKind.NoRecord))]
    [InlineData("servfail-mx.dns.test", nameof(DnsFailureKind.TemporaryFailure))]
    public async Task LookupMxAsync_Failure_IsTyped(string domain, string expected)
    {
        var kind = Enum.Parse<DnsFailureKind>(expected);
        world.Dns.Fail("servfail-mx.dns.test", 2);

        var mx = await new DnsDiscovery(world.Options()).LookupMxAsync(domain);

        Assert.Equal(kind, mx.Match(Right: static _ => (DnsFailureKind?)null, Left: static f => f.Kind));
    }

    [Fact]
    public async Task LookupAddressesAsync_FollowsTheConfiguredServer()
    {
        world.Dns.A("host.dns.test", IPAddress.Parse("127.0.0.2")).A("host.dns.test", IPAddress.IPv6Loopback);

        var addresses = await new DnsDiscovery(world.Options()).LookupAddressesAsync("host.dns.test");

        Assert.Equal([IPAddress.Parse("127.0.0.2"), IPAddress.IPv6Loopback], addresses.RightToSeq().Head.ToArray());
    }
}
