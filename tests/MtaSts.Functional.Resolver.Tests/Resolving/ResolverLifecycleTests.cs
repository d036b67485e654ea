using Microsoft.Extensions.Time.Testing;
using MtaSts.Testing;

namespace MtaSts.Functional.Resolver.Tests.Resolving;

/// <summary>
/// The lifecycle end to end (digest §6.7): real DNS and HTTPS on loopback, a FakeTimeProvider for
/// the clock, the in-memory cache. Each test owns its domain.
/// </summary>
[Collection(LoopbackCollection.Name)]
public class ResolverLifecycleTests(Loopback world)
{
    private const string NonePolicy = "version: STSv1\r\nmode: none\r\nmax_age: 86400\r\n";
    private static readonly DateTimeOffset Start = new(2026, 6, 1, 8, 0, 0, TimeSpan.Zero);

    private (MtaStsResolver Resolver, FakeTimeProvider Clock, InMemoryPolicyCache Cache) Create(MtaStsOptions? options = null)
    {
        var clock = new FakeTimeProvider(Start);
        var cache = new InMemoryPolicyCache();
        options ??= world.Options();
        var dns = new DnsDiscovery(options);
        var handler = new PolicyHttpHandler(options, dns);
        var client = new HttpClient(handler.Create()) { Timeout = Timeout.InfiniteTimeSpan };
        return (new MtaStsResolver(cache, dns, new PolicyFetcher(() => client, handler, options), clock, options, new MtaStsMetrics()), clock, cache);
    }

    /// <summary>Serves the valid policy once <paramref name="release"/> completes.</summary>
    private static Microsoft.AspNetCore.Http.RequestDelegate HeldBack(TaskCompletionSource release) => async context =>
    {
        await release.Task.WaitAsync(context.RequestAborted);
        await Loopback.Serve(Loopback.ValidPolicy)(context);
    };

    private static async Task<Resolution> Resolve(MtaStsResolver resolver, string domain) =>
        (await resolver.ResolveAsync(domain)).Match(Right: static r => r, Left: static e => throw new InvalidOperationException(e.Render()));

    private static string Domain(string test) => test.ToLowerInvariant().Replace('_', '-') + ".life.test";

    [Fact]
    public async Task FirstFetch_ThenSameId_NoFetch_ThenNewId_Fetch()
    {
        var domain = Domain(nameof(FirstFetch_ThenSameId_NoFetch_ThenNewId_Fetch));
        world.Publish(domain, "v1", Loopback.Serve(Loopback.ValidPolicy));
        var (resolver, clock, _) = Create();

        var first = await Resolve(resolver, domain);
        Assert.Equal((PolicySource.Live, 1), (first.Source, world.Https.Hits("mta-sts." + domain)));
        Assert.Equal(Start.AddSeconds(86400), first.Policy.Map(static p => p.ExpiresAt));

        clock.Advance(TimeSpan.FromHours(1));
        var second = await Resolve(resolver, domain);
        Assert.Equal((PolicySource.Cache, 1), (second.Source, world.Https.Hits("mta-sts." + domain)));

        world.ChangeId(domain, "v2");
        var third = await Resolve(resolver, domain);
        Assert.Equal((PolicySource.Live, 2), (third.Source, world.Https.Hits("mta-sts." + domain)));
        Assert.Equal("v2", third.Policy.Map(static p => p.Id.Value));
        Assert.Equal(clock.GetUtcNow().AddSeconds(86400), third.Policy.Map(static p => p.ExpiresAt));
    }

    [Fact]
    public async Task NewId_FetchFails_CachedApplied_BackOffFiveMinutes()
    {
        var domain = Domain(nameof(NewId_FetchFails_CachedApplied_BackOffFiveMinutes));
        world.Publish(domain, "v1", Loopback.Serve(Loopback.ValidPolicy));
        var (resolver, clock, _) = Create();
        await Resolve(resolver, domain);

        world.ChangeId(domain, "v2");
        world.Https.Handle("mta-sts." + domain, Loopback.Serve("gone", status: 500));
        var failed = await Resolve(resolver, domain);
        Assert.Equal((PolicySource.Cache, "v1"), (failed.Source, failed.Policy.Map(static p => p.Id.Value).IfNone("")));
        var report = Assert.IsType<LifecycleReport.FetchFailed>(Assert.Single(failed.Reports));
        Assert.Equal(("sts-policy-fetch-error", true), (report.Failure.ResultType, report.Alert));
        Assert.Equal(2, world.Https.Hits("mta-sts." + domain));

        clock.Advance(TimeSpan.FromMinutes(4));
        var backedOff = await Resolve(resolver, domain);
        Assert.Equal((PolicySource.Cache, 2), (backedOff.Source, world.Https.Hits("mta-sts." + domain)));

        clock.Advance(TimeSpan.FromMinutes(1));
        world.Https.Handle("mta-sts." + domain, Loopback.Serve(Loopback.ValidPolicy));
        var retried = await Resolve(resolver, domain);
        Assert.Equal((PolicySource.Live, "v2", 3), (retried.Source, retried.Policy.Map(static p => p.Id.Value).IfNone(""), world.Https.Hits("mta-sts." + domain)));
    }

    [Fact]
    public async Task ConcurrentLookups_OfANewDomain_ShareOneFetch()
    {
        var domain = Domain(nameof(ConcurrentLookups_OfANewDomain_ShareOneFetch));
        var release = new TaskCompletionSource();
        world.Publish(domain, "v1", HeldBack(release));
        var (resolver, _, _) = Create();

        // All twenty join the first lookup's run before it can finish: the policy host is held back until then.
        var lookups = Enumerable.Range(0, 20).Select(_ => Resolve(resolver, domain)).ToArray();
        release.SetResult();
        var results = await Task.WhenAll(lookups);

        Assert.All(results, static r => Assert.Equal(PolicyMode.Enforce, r.Policy.Map(static p => p.Policy.Mode).IfNone(PolicyMode.None)));
        Assert.Equal(1, world.Https.Hits("mta-sts." + domain));
    }

    [Fact]
    public async Task ResolveAsync_CallerCancels_Throws_AndTheSharedFetchGoesOn()
    {
        var domain = Domain(nameof(ResolveAsync_CallerCancels_Throws_AndTheSharedFetchGoesOn));
        var release = new TaskCompletionSource();
        world.Publish(domain, "v1", HeldBack(release));
        var (resolver, _, _) = Create();
        using var cancel = new CancellationTokenSource();

        var cancelled = resolver.ResolveAsync(domain, cancel.Token);
        var patient = Resolve(resolver, domain);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        release.SetResult();

        Assert.Equal(PolicySource.Live, (await patient).Source);
    }

    [Fact]
    public async Task TxtRemovedOrFailing_CachedKept_UntilExpiry()
    {
        var domain = Domain(nameof(TxtRemovedOrFailing_CachedKept_UntilExpiry));
        world.Publish(domain, "v1", Loopback.Serve(Loopback.ValidPolicy));
        var (resolver, clock, cache) = Create();
        await Resolve(resolver, domain);

        world.Dns.Remove("_mta-sts." + domain);
        clock.Advance(TimeSpan.FromHours(23));
        Assert.Equal(PolicySource.Cache, (await Resolve(resolver, domain)).Source);

        world.Dns.Fail("_mta-sts." + domain, 2);
        var servfail = await Resolve(resolver, domain);
        Assert.Equal(PolicySource.Cache, servfail.Source);
        Assert.IsType<LifecycleReport.DnsTemporaryFailure>(Assert.Single(servfail.Reports));

        clock.Advance(TimeSpan.FromHours(1));
        var expired = await Resolve(resolver, domain);
        Assert.Equal((PolicySource.None, true), (expired.Source, expired.Policy.IsNone));
        Assert.True((await cache.GetAsync(domain)).IsSome, "the expired entry is not applied, but its record stays until replaced");
    }

    [Fact]
    public async Task NoneReplacesEnforce()
    {
        var domain = Domain(nameof(NoneReplacesEnforce));
        world.Publish(domain, "v1", Loopback.Serve(Loopback.ValidPolicy));
        var (resolver, _, _) = Create();
        Assert.Equal(PolicyMode.Enforce, (await Resolve(resolver, domain)).Policy.Map(static p => p.Policy.Mode).IfNone(PolicyMode.None));

        world.ChangeId(domain, "off");
        world.Https.Handle("mta-sts." + domain, Loopback.Serve(NonePolicy));
        var none = await Resolve(resolver, domain);

        Assert.Equal(PolicyMode.None, none.Policy.Map(static p => p.Policy.Mode).IfNone(PolicyMode.Enforce));
        Assert.Equal(Decision.NotApplied.Of(NotAppliedReason.ModeNone), none.Decide("anything.example"));
    }

    [Fact]
    public async Task ProactiveRefresh_RefetchesSameId_RestartsTheClock()
    {
        var domain = Domain(nameof(ProactiveRefresh_RefetchesSameId_RestartsTheClock));
        world.Publish(domain, "v1", Loopback.Serve(Loopback.ValidPolicy));
        var options = world.Options();
        options.RefreshJitter = TimeSpan.Zero;
        var (resolver, clock, cache) = Create(options);
        await Resolve(resolver, domain);
        var refresher = new PolicyRefresher(cache, resolver, clock, options);

        clock.Advance(TimeSpan.FromHours(11));
        Assert.True((await refresher.RefreshDueAsync()).IsEmpty, "not due before half the max_age");

        clock.Advance(TimeSpan.FromHours(1));
        var refreshed = Assert.Single(await refresher.RefreshDueAsync());
        Assert.Equal((domain, PolicySource.Live), (refreshed.Domain.Value, refreshed.Source));
        Assert.Equal(clock.GetUtcNow().AddSeconds(86400), (await cache.GetAsync(domain)).Bind(static e => e.Policy).Map(static p => p.ExpiresAt));
        Assert.Equal(2, world.Https.Hits("mta-sts." + domain));
    }

    [Fact]
    public async Task ProactiveRefresh_Failure_AlertsAndKeepsThePolicy()
    {
        var domain = Domain(nameof(ProactiveRefresh_Failure_AlertsAndKeepsThePolicy));
        world.Publish(domain, "v1", Loopback.Serve(Loopback.ValidPolicy));
        var options = world.Options();
        options.RefreshJitter = TimeSpan.Zero;
        var (resolver, clock, cache) = Create(options);
        await Resolve(resolver, domain);

        world.Dns.Fail("_mta-sts." + domain, 2);
        world.Https.Handle("mta-sts." + domain, Loopback.Serve("", status: 503));
        clock.Advance(TimeSpan.FromHours(12));
        var refreshed = Assert.Single(await new PolicyRefresher(cache, resolver, clock, options).RefreshDueAsync());

        Assert.Equal(PolicySource.Cache, refreshed.Source);
        Assert.True(refreshed.Reports.OfType<LifecycleReport.FetchFailed>().Single().Alert);
    }

    public static TheoryData<string> InvalidDomains => ["[192.0.2.1]", "192.0.2.1", "2001:db8::1", "a..b", "-bad-.test", "", new string('a', 64) + ".test", string.Join(".", Enumerable.Repeat("abcdefghi", 25)) + ".test", string.Join(".", Enumerable.Repeat("abcdefghi", 24)) + ".a.test"];

    [Fact]
    public void Normalize_LongestDomainWhoseTxtNameFits_IsAccepted()
    {
        // "_mta-sts." (9) + 244 = 253 octets: the longest TXT name; one more octet is refused before any query.
        var longest = string.Join(".", Enumerable.Repeat("abcdefghi", 24)) + ".test";
        Assert.Equal(244, longest.Length);
        Assert.True(PolicyDomain.Parse(longest).IsRight);
        Assert.True(PolicyDomain.Parse("a" + longest).IsLeft);
    }

    [Theory]
    [MemberData(nameof(InvalidDomains))]
    public async Task ResolveAsync_InvalidDomain_TypedError_NoTraffic(string domain)
    {
        var (resolver, _, _) = Create();
        var before = world.Dns.Queries;

        var result = await resolver.ResolveAsync(domain);

        Assert.True(result.IsLeft);
        Assert.Equal(before, world.Dns.Queries);
    }

    [Fact]
    public async Task ResolveAsync_NormalisesTheDomain()
    {
        var domain = Domain(nameof(ResolveAsync_NormalisesTheDomain));
        world.Publish(domain, "v1", Loopback.Serve(Loopback.ValidPolicy));
        var (resolver, _, cache) = Create();

        var resolution = await Resolve(resolver, domain.ToUpperInvariant() + ".");

        Assert.Equal((domain, PolicySource.Live), (resolution.Domain.Value, resolution.Source));
        Assert.True((await cache.GetAsync(domain)).IsSome);
    }

    [Fact]
    public async Task ResolveAsync_Subdomain_NeverAsksTheParentZone()
    {
        // RFC 8461 §3.4 (N-13): mail to a subdomain uses only that subdomain's policy.
        const string parent = "parent.life.test";
        world.Publish(parent, "v1", Loopback.Serve(Loopback.ValidPolicy));
        var (resolver, _, _) = Create();

        var resolution = await Resolve(resolver, "mail." + parent);

        Assert.Equal(PolicySource.None, resolution.Source);
        Assert.True(world.Dns.WasQueried("_mta-sts.mail." + parent));
        Assert.False(world.Dns.WasQueried("_mta-sts." + parent));
        Assert.Equal(0, world.Https.Hits("mta-sts." + parent));
    }

    [Fact]
    public async Task PlanAsync_DecidesEachMx_InPreferenceOrder()
    {
        var domain = Domain(nameof(PlanAsync_DecidesEachMx_InPreferenceOrder));
        world.Publish(domain, "v1", Loopback.Serve(Loopback.ValidPolicy));
        var (resolver, _, _) = Create();

        var plan = (await resolver.PlanAsync(domain, [new MxRecord(20, "evil.example.net"), new MxRecord(10, "mail.example.test"), new MxRecord(30, "b1.backup.example.test")]))
            .Match(Right: static p => p, Left: static e => throw new InvalidOperationException(e.Render()));

        Assert.Equal(
            ["mail.example.test:Deliver", "evil.example.net:Refuse", "b1.backup.example.test:Deliver"],
            plan.Candidates.Map(static c => $"{c.Mx.Host}:{c.Decision.GetType().Name}").ToArray());
    }

    [Fact]
    public async Task ResolveAsync_NoPolicyAnywhere_DeliversWithoutMtaSts()
    {
        var (resolver, _, _) = Create();

        var resolution = await Resolve(resolver, "nothing-here.life.test");

        Assert.Equal((PolicySource.None, true, true), (resolution.Source, resolution.Reports.IsEmpty, resolution.Source != PolicySource.Live));
        Assert.Equal(Decision.NotApplied.Of(NotAppliedReason.NoPolicy), resolution.Decide("mx.example"));
    }
}
