using System.Net;
using MtaSts.Postfix.Tests.Protocol;
using MtaSts.Postfix.Tests.Server;
using MtaSts.Testing;

namespace MtaSts.Postfix.Tests.Replies;

[CollectionDefinition(Name)]
public sealed class PostfixLoopbackCollection : ICollectionFixture<Loopback>
{
    public const string Name = "postfix loopback servers";
}

/// <summary>
/// Key → reply, end to end: the server (DANE check on, as by default) over the real resolver, the
/// loopback DNS and HTTPS servers the resolver tests start. Each case owns its domain.
/// </summary>
[Collection(PostfixLoopbackCollection.Name)]
public class ReplyTableTests(Loopback world)
{
    private static string Domain(string test) => test.ToLowerInvariant().Replace('_', '-') + ".pf.test";

    private const string Secure = "OK secure match=mail.example.test:.backup.example.test servername=hostname";

    private Task<RunningServer> Start(Action<SocketmapOptions>? configure = null) =>
        RunningServer.StartAsync(world.Options(), o =>
        {
            o.Dane = true;
            configure?.Invoke(o);
        });

    private static string Policy(string mode) => Loopback.ValidPolicy.Replace("enforce", mode, StringComparison.Ordinal);

    [Theory]
    [InlineData("enforce", "OK secure match=mail.example.test:.backup.example.test servername=hostname")]
    [InlineData("testing", "NOTFOUND ")]
    [InlineData("none", "NOTFOUND ")]
    public async Task Mode_Reply(string mode, string expected)
    {
        var domain = Domain("mode-" + mode);
        world.Publish(domain, "v1", Loopback.Serve(mode == "none" ? "version: STSv1\r\nmode: none\r\nmax_age: 86400\r\n" : Policy(mode)));
        await using var server = await Start();
        Assert.Equal(expected, await server.QueryAsync(domain));
    }

    [Fact]
    public async Task StrictTesting_TestingAnsweredLikeEnforce()
    {
        var domain = Domain(nameof(StrictTesting_TestingAnsweredLikeEnforce));
        world.Publish(domain, "v1", Loopback.Serve(Policy("testing")));
        await using var server = await Start(static o => o.StrictTesting = true);
        Assert.Equal(Secure, await server.QueryAsync(domain));
    }

    [Fact]
    public async Task NoTxtRecord_NotFound()
    {
        await using var server = await Start();
        Assert.Equal("NOTFOUND ", await server.QueryAsync(Domain(nameof(NoTxtRecord_NotFound))));
    }

    [Fact]
    public async Task MultipleTxtRecords_NotFound()
    {
        var domain = Domain(nameof(MultipleTxtRecords_NotFound));
        world.Publish(domain, "v1", Loopback.Serve(Loopback.ValidPolicy));
        world.Dns.Txt("_mta-sts." + domain, "v=STSv1; id=v2;");
        await using var server = await Start();
        Assert.Equal("NOTFOUND ", await server.QueryAsync(domain));
    }

    [Fact]
    public async Task FetchFailure_NoCachedPolicy_NotFound()
    {
        var domain = Domain(nameof(FetchFailure_NoCachedPolicy_NotFound));
        world.Publish(domain, "v1", Loopback.Serve("gone", status: 500));
        await using var server = await Start();
        Assert.Equal("NOTFOUND ", await server.QueryAsync(domain));
    }

    /// <summary>C-02: a failed fetch of a new id keeps the valid cached policy in force.</summary>
    [Fact]
    public async Task FetchFailure_CachedPolicy_CachedPolicyApplied()
    {
        var domain = Domain(nameof(FetchFailure_CachedPolicy_CachedPolicyApplied));
        world.Publish(domain, "v1", Loopback.Serve(Loopback.ValidPolicy));
        await using var server = await Start();
        Assert.Equal(Secure, await server.QueryAsync(domain));
        world.ChangeId(domain, "v2");
        world.Https.Handle("mta-sts." + domain, Loopback.Serve("gone", status: 500));
        var hits = world.Https.Hits("mta-sts." + domain);
        Assert.Equal(Secure, await server.QueryAsync(domain));
        Assert.Equal(hits + 1, world.Https.Hits("mta-sts." + domain));
    }

    public static TheoryData<string, string> NoLookupKeys => new()
    {
        { ".parent-key.pf.test", "parent-domain key (leading dot)" },
        { "192.0.2.25", "IPv4 literal" },
        { "[192.0.2.25]", "bracketed IP literal" },
        { "[bracketed-key.pf.test]", "bracketed next hop" },
        { "[bracketed-key.pf.test]:587", "bracketed next hop with port" },
        { "port-key.pf.test:587", "host:port next hop" },
    };

    /// <summary>Keys that are not recipient domains get NOTFOUND without any DNS query.</summary>
    [Theory]
    [MemberData(nameof(NoLookupKeys))]
    public async Task NotADomainKey_NotFoundWithoutLookup(string key, string reason)
    {
        world.Publish("parent-key.pf.test", "v1", Loopback.Serve(Loopback.ValidPolicy));
        world.Publish("bracketed-key.pf.test", "v1", Loopback.Serve(Loopback.ValidPolicy));
        world.Publish("port-key.pf.test", "v1", Loopback.Serve(Loopback.ValidPolicy));
        await using var server = await Start();
        var before = world.Dns.Queries;
        Assert.Equal("NOTFOUND ", await server.QueryAsync(key));
        Assert.True(before == world.Dns.Queries, reason);
    }

    [Theory]
    [InlineData("[bracket-option.pf.test]")]
    [InlineData("[bracket-option.pf.test]:587")]
    public async Task BracketedKey_WithOption_DomainPolicyApplied(string key)
    {
        world.Publish("bracket-option.pf.test", "v1", Loopback.Serve(Loopback.ValidPolicy));
        await using var server = await Start(static o => o.ApplyBracketed = true);
        Assert.Equal(Secure, await server.QueryAsync(key));
    }

    [Fact]
    public async Task Utf8IdnKey_ALabelDomainPolicy()
    {
        var certificate = world.Pki.Leaf("mta-sts.xn--bcher-kva.pf.test", ["mta-sts.xn--bcher-kva.pf.test"]);
        world.Publish("xn--bcher-kva.pf.test", "v1", Loopback.Serve(Loopback.ValidPolicy), certificate);

        // .NET's SslStream hands the server the SNI name as U-labels: the test server picks the certificate by that form too.
        world.Https.Host("mta-sts.bücher.pf.test", certificate, Loopback.Serve(Loopback.ValidPolicy));
        await using var server = await Start();
        Assert.Equal(Secure, await server.QueryAsync("Bücher.pf.test"));
    }

    [Fact]
    public async Task UpperCaseAndTrailingDot_SameDomain()
    {
        var domain = Domain(nameof(UpperCaseAndTrailingDot_SameDomain));
        world.Publish(domain, "v1", Loopback.Serve(Loopback.ValidPolicy));
        await using var server = await Start();
        Assert.Equal(Secure, await server.QueryAsync(domain.ToUpperInvariant() + "."));
    }

    [Fact]
    public async Task UnknownMapName_Perm()
    {
        await using var server = await Start();
        Assert.Equal("PERM unknown map name", await server.QueryAsync("example.test", "QUERY"));
    }

    [Fact]
    public async Task TlsrptMap_Rfc8461Example_AttributesInOrder()
    {
        var domain = Domain(nameof(TlsrptMap_Rfc8461Example_AttributesInOrder));
        world.Publish(domain, "v1", Loopback.Serve(ReplyRuleTests.Rfc8461Example));
        await using var server = await Start();
        Assert.Equal(
            "OK secure match=mail.example.com:.example.net:backupmx.example.com servername=hostname"
            + $" policy_type=sts policy_domain={domain}"
            + " mx_host_pattern=mail.example.com mx_host_pattern=*.example.net mx_host_pattern=backupmx.example.com"
            + " { policy_string = version: STSv1 } { policy_string = mode: enforce } { policy_string = mx: mail.example.com }"
            + " { policy_string = mx: *.example.net } { policy_string = mx: backupmx.example.com } { policy_string = max_age: 604800 }",
            await server.QueryAsync(domain, "postfix-tlsrpt"));
        Assert.Equal("OK secure match=mail.example.com:.example.net:backupmx.example.com servername=hostname", await server.QueryAsync(domain, "postfix"));
    }

    /// <summary>
    /// An extension value with braces that nest travels intact in its policy_string; one whose braces do not
    /// nest (Postfix's parser has no escape for it, see <see cref="Protocol.TlsrptBraceTests"/>) gets the plain
    /// reply on the TLSRPT map: no TLSRPT attributes rather than a reply Postfix rejects.
    /// </summary>
    [Theory]
    [InlineData("x_note: {ok}", true)]
    [InlineData("x_note: a}b", false)]
    [InlineData("x_note: a{b", false)]
    public async Task TlsrptMap_ExtensionWithBraces_CarriedOrLeftOut(string line, bool carried)
    {
        var domain = Domain("braces-" + (carried ? "nested" : line.Contains('{', StringComparison.Ordinal) ? "open" : "close"));
        world.Publish(domain, "v1", Loopback.Serve(ReplyRuleTests.Rfc8461Example + line + "\r\n"));
        await using var server = await Start();
        const string Plain = "OK secure match=mail.example.com:.example.net:backupmx.example.com servername=hostname";
        Assert.Equal(
            carried
                ? Plain + $" policy_type=sts policy_domain={domain}"
                    + " mx_host_pattern=mail.example.com mx_host_pattern=*.example.net mx_host_pattern=backupmx.example.com"
                    + " { policy_string = version: STSv1 } { policy_string = mode: enforce } { policy_string = mx: mail.example.com }"
                    + " { policy_string = mx: *.example.net } { policy_string = mx: backupmx.example.com } { policy_string = max_age: 604800 }"
                    + " { policy_string = " + line + " }"
                : Plain,
            await server.QueryAsync(domain, "postfix-tlsrpt"));
    }

    /// <summary>
    /// A policy near the 64 KiB limit with many mx lines gives a TLSRPT reply over Postfix's 100,000 bytes
    /// (each pattern appears in match=, mx_host_pattern= and a policy_string): TEMP reply too large; the
    /// plain reply of the same policy fits.
    /// </summary>
    [Fact]
    public async Task ReplyOverPostfixLimit_TempReplyTooLarge()
    {
        var domain = Domain(nameof(ReplyOverPostfixLimit_TempReplyTooLarge));
        var lines = string.Concat(Enumerable.Range(0, 1380).Select(static i => $"mx: mx{i:D4}.a-rather-long-mx-name.example.test\r\n"));
        var policy = "version: STSv1\r\nmode: enforce\r\n" + lines + "max_age: 86400\r\n";
        Assert.InRange(System.Text.Encoding.UTF8.GetByteCount(policy), 60_000, 65_536);
        world.Publish(domain, "v1", Loopback.Serve(policy));
        await using var server = await Start();
        Assert.Equal("TEMP reply too large", await server.QueryAsync(domain, "postfix-tlsrpt"));
        Assert.StartsWith("OK secure match=mx0000.a-rather-long-mx-name.example.test:", await server.QueryAsync(domain), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CustomMapNames_Used()
    {
        var domain = Domain(nameof(CustomMapNames_Used));
        world.Publish(domain, "v1", Loopback.Serve(Loopback.ValidPolicy));
        await using var server = await Start(static o => { o.MapName = "sts"; o.TlsrptMapName = "sts-report"; });
        Assert.Equal(Secure, await server.QueryAsync(domain, "sts"));
        Assert.StartsWith(Secure + " policy_type=sts", await server.QueryAsync(domain, "sts-report"), StringComparison.Ordinal);
        Assert.Equal("PERM unknown map name", await server.QueryAsync(domain, "postfix"));
    }

    /// <summary>Publishes an STS policy and MX hosts; <paramref name="tlsa"/> hosts get a TLSA record.</summary>
    private void PublishWithMx(string domain, string[] mx, string[] tlsa, bool secure)
    {
        world.Publish(domain, "v1", Loopback.Serve(Loopback.ValidPolicy));
        world.Dns.Remove(domain);
        foreach (var host in mx)
        {
            world.Dns.Mx(domain, 10, host);
            world.Dns.A(host, IPAddress.Loopback);
        }

        foreach (var host in tlsa)
        {
            world.Dns.Tlsa("_25._tcp." + host, 3, 1, 1, [0xab, 0xcd]);
        }

        if (secure)
        {
            world.Dns.Secure([domain, .. mx.Select(static h => "_25._tcp." + h)]);
        }
    }

    [Fact]
    public async Task Dane_EveryMxValidatedTlsa_DaneOnly()
    {
        var domain = Domain(nameof(Dane_EveryMxValidatedTlsa_DaneOnly));
        PublishWithMx(domain, ["mx1." + domain, "mx2." + domain], ["mx1." + domain, "mx2." + domain], secure: true);
        await using var server = await Start();
        Assert.Equal("OK dane-only", await server.QueryAsync(domain));
        Assert.Equal("OK dane-only", await server.QueryAsync(domain, "postfix-tlsrpt"));
    }

    [Fact]
    public async Task Dane_SomeMxValidatedTlsa_Dane()
    {
        var domain = Domain(nameof(Dane_SomeMxValidatedTlsa_Dane));
        PublishWithMx(domain, ["mx1." + domain, "mx2." + domain], ["mx1." + domain], secure: true);
        await using var server = await Start();
        Assert.Equal("OK dane", await server.QueryAsync(domain));
    }

    /// <summary>Without the AD bit (no validating resolver, or an unsigned zone) TLSA records do not count: the STS policy applies.</summary>
    [Fact]
    public async Task Dane_TlsaWithoutAdBit_StsPolicy()
    {
        var domain = Domain(nameof(Dane_TlsaWithoutAdBit_StsPolicy));
        PublishWithMx(domain, ["mx1." + domain], ["mx1." + domain], secure: false);
        await using var server = await Start();
        Assert.Equal(Secure, await server.QueryAsync(domain));
    }

    [Fact]
    public async Task Dane_Off_StsPolicyEvenWithValidatedTlsa()
    {
        var domain = Domain(nameof(Dane_Off_StsPolicyEvenWithValidatedTlsa));
        PublishWithMx(domain, ["mx1." + domain], ["mx1." + domain], secure: true);
        await using var server = await Start(static o => o.Dane = false);
        Assert.Equal(Secure, await server.QueryAsync(domain));
    }

    [Fact]
    public async Task Dane_TlsaServfail_Temp()
    {
        var domain = Domain(nameof(Dane_TlsaServfail_Temp));
        PublishWithMx(domain, ["mx1." + domain], [], secure: true);
        world.Dns.Fail("_25._tcp.mx1." + domain, 2);
        await using var server = await Start();
        Assert.StartsWith("TEMP ", await server.QueryAsync(domain), StringComparison.Ordinal);
    }

    /// <summary>
    /// Discovery slower than the reply bound: NOTFOUND now, and the lookup completes in the background
    /// and fills the cache, so the next query gets the policy (with no second fetch).
    /// </summary>
    [Fact]
    public async Task SlowDiscovery_NotFoundNow_PolicyFromBackgroundAfterwards()
    {
        var domain = Domain(nameof(SlowDiscovery_NotFoundNow_PolicyFromBackgroundAfterwards));
        var release = new TaskCompletionSource();
        var fetched = new TaskCompletionSource();
        world.Publish(domain, "v1", async context =>
        {
            await release.Task.WaitAsync(context.RequestAborted);
            await Loopback.Serve(Loopback.ValidPolicy)(context);
            fetched.TrySetResult();
        });
        await using var server = await Start(static o => o.ReplyTimeout = TimeSpan.FromMilliseconds(300));
        Assert.Equal("NOTFOUND ", await server.QueryAsync(domain));
        release.SetResult();
        await fetched.Task;
        // The handler has written the body; the resolver stores it just after. Bounded: 250 tries.
        var reply = await server.QueryAsync(domain);
        for (var i = 0; i < 250 && reply == "NOTFOUND "; i++)
        {
            await Task.Delay(20);
            reply = await server.QueryAsync(domain);
        }

        Assert.Equal(Secure, reply);
        Assert.Equal(1, world.Https.Hits("mta-sts." + domain));
    }
}
