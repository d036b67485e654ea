using System.Text;
using Microsoft.AspNetCore.Http;
using MtaSts.Testing;

namespace MtaSts.Functional.Resolver.Tests.Http;

/// <summary>RFC 8461 §3.3 and C-07 against a real HTTPS server: digest §6.4 (H-01..H-22) as a spec table.</summary>
[Collection(LoopbackCollection.Name)]
public class PolicyFetcherTests(Loopback world)
{
    private static readonly string Exact64K = Pad(Loopback.ValidPolicy, Policy.MaxBytes);
    private static readonly string Over64K = Pad(Loopback.ValidPolicy, Policy.MaxBytes + 1);

    /// <summary>Case key → what the policy host does, and the outcome: null = a valid policy, else the failure kind.</summary>
    private static readonly Dictionary<string, (Func<Loopback, string, RequestDelegate> Serve, FetchFailureKind? Expected, string Why)> Cases = new()
    {
        ["h01-plain"] = ((_, _) => Loopback.Serve(Loopback.ValidPolicy), null, "H-01 200 text/plain"),
        ["h02-utf8"] = ((_, _) => Loopback.Serve(Loopback.ValidPolicy, "text/plain; charset=utf-8"), null, "H-02"),
        ["h03-ascii"] = ((_, _) => Loopback.Serve(Loopback.ValidPolicy, "text/plain; charset=us-ascii"), null, "H-03"),
        ["h04-case"] = ((_, _) => Loopback.Serve(Loopback.ValidPolicy, "TEXT/Plain; Charset=UTF-8"), null, "H-04, F-09 case-insensitive"),
        ["h05-flowed"] = ((_, _) => Loopback.Serve(Loopback.ValidPolicy, "text/plain; format=flowed"), null, "H-05 other parameters ignored"),
        ["h06-latin1"] = ((_, _) => Loopback.Serve(Loopback.ValidPolicy, "text/plain; charset=iso-8859-1"), FetchFailureKind.ContentType, "C-07 another charset is an error"),
        ["h07-html"] = ((_, _) => Loopback.Serve(Loopback.ValidPolicy, "text/html"), FetchFailureKind.ContentType, "H-07"),
        ["h08-none"] = ((_, _) => Loopback.Serve(Loopback.ValidPolicy, null), FetchFailureKind.ContentType, "H-08, F-09 missing Content-Type"),
        ["h09-301"] = ((_, d) => Redirect(301, d), FetchFailureKind.Redirect, "H-09 not followed"),
        ["h09-302"] = ((_, d) => Redirect(302, d), FetchFailureKind.Redirect, "H-09"),
        ["h09-307"] = ((_, d) => Redirect(307, d), FetchFailureKind.Redirect, "H-09"),
        ["h09-308"] = ((_, d) => Redirect(308, d), FetchFailureKind.Redirect, "H-09"),
        ["h10-404"] = ((_, _) => Loopback.Serve("not found", status: 404), FetchFailureKind.HttpStatus, "H-10"),
        ["h11-203"] = ((_, _) => Loopback.Serve(Loopback.ValidPolicy, status: 203), FetchFailureKind.HttpStatus, "H-11 only 200"),
        ["h13-500"] = ((_, _) => Loopback.Serve("oops", status: 500), FetchFailureKind.HttpStatus, "H-13"),
        ["h14-cache"] = ((_, _) => WithCachingHeaders, null, "H-14 caching headers ignored"),
        ["h16-exact-cl"] = ((_, _) => Loopback.Serve(Exact64K), null, "exactly 64 KiB with Content-Length"),
        ["h16-exact-chunked"] = ((_, _) => Loopback.Serve(Exact64K, contentLength: false), null, "exactly 64 KiB chunked"),
        ["h16-over-cl"] = ((_, _) => Loopback.Serve(Over64K), FetchFailureKind.TooLarge, "H-16 one byte more, Content-Length"),
        ["h16-over-chunked"] = ((_, _) => Loopback.Serve(Over64K, contentLength: false), FetchFailureKind.TooLarge, "H-16 one byte more, chunked"),
        ["h22-invalid"] = ((_, _) => Loopback.Serve("version: STSv1\r\nmode: enforce\r\n"), FetchFailureKind.InvalidPolicy, "H-22 no mx, no max_age"),
        ["utf8-bad"] = ((_, _) => Loopback.ServeBytes([.. Encoding.ASCII.GetBytes("version: STSv1\r\nmode: enforce\r\nmx: a.test\r\nmax_age: 1\r\nx: "), 0xC3, 0x28, 13, 10]), FetchFailureKind.Encoding, "strict UTF-8"),
    };

    public static TheoryData<string> Keys => [.. Cases.Keys];

    [Theory]
    [MemberData(nameof(Keys))]
    public async Task FetchAsync_ServerBehaviour_GivesTheTypedOutcome(string key)
    {
        var (serve, expected, why) = Cases[key];
        var domain = key + ".fetch.test";
        world.Publish(domain, "1", serve(world, domain));

        var outcome = await Fetcher(world.Options()).FetchAsync(domain);

        Assert.True(
            expected is null ? outcome is FetchOutcome.Fetched : outcome is FetchOutcome.Failed f && f.Failure.Kind == expected,
            $"{why}: got {outcome}");
        if (outcome is FetchOutcome.Fetched ok)
        {
            Assert.Equal(key.StartsWith("h16", StringComparison.Ordinal) ? Exact64K : Loopback.ValidPolicy, ok.Text);
        }
    }

    [Fact]
    public async Task FetchAsync_Redirect_IsNotFollowed()
    {
        const string domain = "redirect-target.fetch.test";
        world.Publish(domain, "1", Redirect(302, "h01-plain.fetch.test"));
        world.Publish("h01-plain.fetch.test", "1", Loopback.Serve(Loopback.ValidPolicy));
        var before = world.Https.Hits("mta-sts.h01-plain.fetch.test");

        var outcome = await Fetcher(world.Options()).FetchAsync(domain);

        Assert.Equal(FetchFailureKind.Redirect, Assert.IsType<FetchOutcome.Failed>(outcome).Failure.Kind);
        Assert.Equal(before, world.Https.Hits("mta-sts.h01-plain.fetch.test"));
    }

    [Fact]
    public async Task FetchAsync_SendsNoConditionalRequest_AndAsksForNoCachedCopy()
    {
        const string domain = "conditional.fetch.test";
        var requests = new List<Dictionary<string, string>>();
        var responses = new List<(string? ETag, string? LastModified)>();
        world.Publish(domain, "1", context =>
        {
            // Copied: Kestrel reuses the header collection after the request.
            requests.Add(context.Request.Headers.ToDictionary(static h => h.Key, static h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase));

            // Every answer carries both validators, so a client that did HTTP caching would send them back.
            context.Response.Headers.ETag = "\"policy-v1\"";
            context.Response.Headers.LastModified = "Tue, 01 Dec 2026 08:00:00 GMT";
            context.Response.OnStarting(() =>
            {
                responses.Add((context.Response.Headers.ETag.ToString(), context.Response.Headers.LastModified.ToString()));
                return Task.CompletedTask;
            });
            return Loopback.Serve(Loopback.ValidPolicy)(context);
        });

        var fetcher = Fetcher(world.Options());
        Assert.IsType<FetchOutcome.Fetched>(await fetcher.FetchAsync(domain));
        Assert.IsType<FetchOutcome.Fetched>(await fetcher.FetchAsync(domain));

        // The premise: the first answer did carry ETag and Last-Modified.
        Assert.Equal(2, requests.Count);
        Assert.Equal(("\"policy-v1\"", "Tue, 01 Dec 2026 08:00:00 GMT"), responses[0]);

        // RFC 8461 §3.3: no HTTP caching: the second request sends neither validator back.
        var seen = requests[1];
        Assert.False(seen.ContainsKey("If-None-Match") || seen.ContainsKey("If-Modified-Since"), string.Join(", ", seen.Keys));
        Assert.Contains("no-cache", seen["Cache-Control"], StringComparison.Ordinal);
        Assert.Equal("mta-sts." + domain, seen["Host"].Split(':')[0]);
    }

    [Fact]
    public async Task FetchAsync_HeadersThenStall_TimesOutWithinTheBound()
    {
        const string domain = "stall.fetch.test";
        world.Publish(domain, "1", async context =>
        {
            context.Response.ContentType = "text/plain";
            context.Response.ContentLength = 1000;
            await context.Response.Body.WriteAsync(Encoding.ASCII.GetBytes("version: STSv1\r\n"));
            await context.Response.Body.FlushAsync();
            await Task.Delay(Timeout.Infinite, context.RequestAborted);
        });
        var outcome = await Fetcher(world.Options(fetchTimeout: TimeSpan.FromSeconds(1))).FetchAsync(domain);

        // The server never finishes the body: only the fetch timeout can end this fetch.
        Assert.Equal(FetchFailureKind.Timeout, Assert.IsType<FetchOutcome.Failed>(outcome).Failure.Kind);
    }

    public static TheoryData<string> CertificateCases => ["wrong-name", "expired", "untrusted", "cn-only", "wildcard"];

    [Theory]
    [MemberData(nameof(CertificateCases))]
    public async Task FetchAsync_Certificate_IsValidatedForThePolicyHost(string key)
    {
        var domain = key + ".cert.test";
        var host = "mta-sts." + domain;
        var certificate = key switch
        {
            "wrong-name" => world.Pki.Leaf("other.test", ["other.test"]),
            "expired" => world.Pki.Leaf(host, [host], DateTimeOffset.UtcNow.AddDays(-30), DateTimeOffset.UtcNow.AddDays(-1)),
            "untrusted" => world.Untrusted.Leaf(host, [host]),
            "cn-only" => world.Pki.Leaf(host, []),
            "wildcard" => world.Pki.Leaf("*." + domain, ["*." + domain]),
            _ => throw new ArgumentOutOfRangeException(nameof(key)),
        };
        world.Publish(domain, "1", Loopback.Serve(Loopback.ValidPolicy), certificate);

        var outcome = await Fetcher(world.Options()).FetchAsync(domain);

        if (key == "wildcard")
        {
            // RFC 8461 §3.3 (N-18): a wildcard as the complete left-most label is acceptable.
            Assert.IsType<FetchOutcome.Fetched>(outcome);
            return;
        }

        var failure = Assert.IsType<FetchOutcome.Failed>(outcome).Failure;
        Assert.Equal((FetchFailureKind.Certificate, "sts-webpki-invalid"), (failure.Kind, failure.ResultType));
        Assert.Contains(key switch { "expired" => "NotTimeValid", "untrusted" => "chain", _ => "not valid for" }, failure.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FetchAsync_WithoutTheTestAnchor_TheTestCaIsNotTrusted()
    {
        const string domain = "no-anchor.cert.test";
        world.Publish(domain, "1", Loopback.Serve(Loopback.ValidPolicy));
        var options = world.Options();
        options.TrustAnchors.Clear();

        var outcome = await Fetcher(options).FetchAsync(domain);

        Assert.Equal(FetchFailureKind.Certificate, Assert.IsType<FetchOutcome.Failed>(outcome).Failure.Kind);
    }

    [Fact]
    public async Task FetchAsync_PolicyHostWithoutAddress_IsANetworkFailure()
    {
        world.Dns.Txt("_mta-sts.no-host.fetch.test", "v=STSv1; id=1;");

        var outcome = await Fetcher(world.Options()).FetchAsync("no-host.fetch.test");

        var failure = Assert.IsType<FetchOutcome.Failed>(outcome).Failure;
        Assert.Equal((FetchFailureKind.Network, "sts-policy-fetch-error"), (failure.Kind, failure.ResultType));
    }

    [Fact]
    public async Task FetchAsync_CallerCancels_Throws()
    {
        const string domain = "cancel.fetch.test";
        world.Publish(domain, "1", context => Task.Delay(Timeout.Infinite, context.RequestAborted));
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Fetcher(world.Options()).FetchAsync(domain, cancel.Token));
    }

    internal static PolicyFetcher Fetcher(MtaStsOptions options)
    {
        var handler = new PolicyHttpHandler(options, new DnsDiscovery(options));
        var client = new HttpClient(handler.Create()) { Timeout = Timeout.InfiniteTimeSpan };
        return new PolicyFetcher(() => client, handler, options);
    }

    private static RequestDelegate Redirect(int status, string toDomain) => context =>
    {
        context.Response.StatusCode = status;
        context.Response.Headers.Location = $"https://mta-sts.{toDomain}/.well-known/mta-sts.txt";
        return Task.CompletedTask;
    };

    private static Task WithCachingHeaders(HttpContext context)
    {
        context.Response.Headers.CacheControl = "max-age=60";
        context.Response.Headers.Expires = "Thu, 01 Jan 1970 00:00:00 GMT";
        context.Response.Headers.ETag = "\"v1\"";
        return Loopback.Serve(Loopback.ValidPolicy)(context);
    }

    /// <summary>The policy followed by one extension line that brings it to exactly <paramref name="bytes"/> UTF-8 bytes.</summary>
    private static string Pad(string policy, int bytes) => policy + "pad: " + new string('a', bytes - policy.Length - "pad: \r\n".Length) + "\r\n";
}
