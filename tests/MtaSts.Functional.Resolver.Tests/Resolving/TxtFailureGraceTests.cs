using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;

namespace MtaSts.Functional.Resolver.Tests.Resolving;

/// <summary>
/// Issue 15 over in-memory ports: a TXT temporary failure (SERVFAIL, timeout, refused) is reused for
/// <see cref="MtaStsOptions.TxtFailureGrace"/>, so a domain whose DNS is down costs one query per interval,
/// while every lookup still reports the DNS error and falls back to the cache (C-05).
/// </summary>
public class TxtFailureGraceTests
{
    private static readonly DateTimeOffset Start = new(2026, 6, 1, 8, 0, 0, TimeSpan.Zero);
    private static readonly PolicyDomain Domain = "example.com".D();
    private static readonly TxtAnswer ServFail = new(new TxtOutcome.TemporaryFailure("ServerFailure for _mta-sts.example.com TXT"), TimeSpan.Zero);

    private sealed record World(MtaStsResolver Resolver, FakeTimeProvider Clock, FakeTxt Txt, FakeFetch Fetch, FakeLogCollector Logs);

    private static World Create(Action<MtaStsOptions>? configure = null)
    {
        var options = new MtaStsOptions();
        configure?.Invoke(options);
        var (clock, txt, fetch, logs) = (new FakeTimeProvider(Start), new FakeTxt(), new FakeFetch(), new FakeLogCollector());
        txt.Id("v1");
        return new World(new MtaStsResolver(new InMemoryPolicyCache(), txt, fetch, clock, options, logger: new FakeLogger<MtaStsResolver>(logs)), clock, txt, fetch, logs);
    }

    private static bool ReportsDnsFailure(Resolution r) => r.Reports.Exists(static x => x is LifecycleReport.DnsTemporaryFailure);

    private static int DnsFailureLogs(World w) =>
        w.Logs.GetSnapshot().Count(static l => l.Message.Contains("DNS temporary failure", StringComparison.Ordinal));

    [Fact]
    public void Default_Is30Seconds()
    {
        Assert.Equal(TimeSpan.FromSeconds(30), new MtaStsOptions().TxtFailureGrace);
    }

    [Fact]
    public async Task DnsDown_OneQueryPerInterval_EachLookupStillReportsItAndUsesTheCache()
    {
        // A policy is cached first; then the TXT lookup fails and the domain is asked 100 times in 29 s.
        var w = Create(o => o.TxtGrace = TimeSpan.Zero);
        await w.Resolver.ResolveAsync(Domain);
        w.Txt.Answer = ServFail;

        var lookups = new List<Resolution>();
        for (var i = 0; i < 100; i++)
        {
            lookups.Add(await w.Resolver.ResolveAsync(Domain));
            w.Clock.Advance(TimeSpan.FromMilliseconds(290));
        }

        Assert.Equal((2, 1), (w.Txt.Queries, w.Fetch.Fetches));
        Assert.All(lookups, static r =>
        {
            Assert.True(ReportsDnsFailure(r), "C-05: the DNS error is reported by every lookup");
            Assert.IsType<TxtOutcome.TemporaryFailure>(r.Txt);
            Assert.Equal((PolicySource.Cache, "v1"), (r.Source, r.Policy.Map(static p => p.Id.Value).IfNone(string.Empty)));
        });
        Assert.Equal(1, DnsFailureLogs(w));   // logged once per DNS answer, not per lookup

        w.Clock.Advance(TimeSpan.FromSeconds(1));   // 30 s after the failure: DNS is asked again
        var after = await w.Resolver.ResolveAsync(Domain);
        Assert.Equal((3, true, 2), (w.Txt.Queries, ReportsDnsFailure(after), DnsFailureLogs(w)));
    }

    [Fact]
    public async Task DnsDown_ForADomainNeverSeen_IsReusedToo_NoPolicyApplied()
    {
        var w = Create();
        w.Txt.Answer = ServFail;

        var first = await w.Resolver.ResolveAsync(Domain);
        w.Clock.Advance(TimeSpan.FromSeconds(29));
        var second = await w.Resolver.ResolveAsync(Domain);

        Assert.Equal((1, 0), (w.Txt.Queries, w.Fetch.Fetches));
        Assert.All([first, second], static r => Assert.Equal((PolicySource.None, true, true), (r.Source, r.Policy.IsNone, ReportsDnsFailure(r))));
    }

    [Theory]
    [InlineData(30, 30)]
    [InlineData(5, 5)]
    [InlineData(0, 0)]
    [InlineData(-1, 0)]
    [InlineData(300, 300)]
    [InlineData(3600, 300)]   // RFC 2308 §7.1: a server failure is reused at most 5 minutes
    public async Task Failure_IsReusedForTheOption_AtMostFiveMinutes(int optionSeconds, int reusedForSeconds)
    {
        var w = Create(o => o.TxtFailureGrace = TimeSpan.FromSeconds(optionSeconds));
        w.Txt.Answer = ServFail;
        await w.Resolver.ResolveAsync(Domain);

        if (reusedForSeconds > 0)
        {
            w.Clock.Advance(TimeSpan.FromSeconds(reusedForSeconds) - TimeSpan.FromTicks(1));
            await w.Resolver.ResolveAsync(Domain);
            Assert.Equal(1, w.Txt.Queries);
            w.Clock.Advance(TimeSpan.FromTicks(1));
        }

        await w.Resolver.ResolveAsync(Domain);
        Assert.Equal(2, w.Txt.Queries);
    }

    [Fact]
    public async Task DnsBack_AfterTheInterval_TheRecordIsSeenAgain_AndANewIdFetched()
    {
        var w = Create(o => o.TxtGrace = TimeSpan.Zero);
        await w.Resolver.ResolveAsync(Domain);
        w.Txt.Answer = ServFail;
        await w.Resolver.ResolveAsync(Domain);

        w.Txt.Id("v2");
        w.Clock.Advance(TimeSpan.FromSeconds(10));
        var inside = await w.Resolver.ResolveAsync(Domain);
        w.Clock.Advance(TimeSpan.FromSeconds(20));
        var after = await w.Resolver.ResolveAsync(Domain);

        Assert.Equal((true, "v1"), (ReportsDnsFailure(inside), inside.Policy.Map(static p => p.Id.Value).IfNone(string.Empty)));
        Assert.Equal((false, "v2", PolicySource.Live), (ReportsDnsFailure(after), after.Policy.Map(static p => p.Id.Value).IfNone(string.Empty), after.Source));
        Assert.Equal((3, 2), (w.Txt.Queries, w.Fetch.Fetches));
    }

    [Fact]
    public async Task Refresh_AsksDns_InsideTheFailureInterval()
    {
        var w = Create();
        await w.Resolver.ResolveAsync(Domain);
        w.Clock.Advance(TimeSpan.FromSeconds(61));
        w.Txt.Answer = ServFail;
        await w.Resolver.ResolveAsync(Domain);
        Assert.Equal(2, w.Txt.Queries);

        w.Txt.Id("v1");
        var refreshed = await w.Resolver.RefreshAsync(Domain);

        Assert.Equal((3, false), (w.Txt.Queries, ReportsDnsFailure(refreshed)));
    }

    [Fact]
    public async Task AnswerWithARecord_IsNotAffected_WhenTheFailureGraceIsLonger()
    {
        // TxtGrace 0 (ask every time) with the default failure grace: a successful answer is never reused.
        var w = Create(o => o.TxtGrace = TimeSpan.Zero);
        await w.Resolver.ResolveAsync(Domain);
        await w.Resolver.ResolveAsync(Domain);
        await w.Resolver.ResolveAsync(Domain);

        Assert.Equal(3, w.Txt.Queries);
    }

    [Fact]
    public async Task ConcurrentLookups_WhileDnsHangs_ShareOneQuery()
    {
        var w = Create();
        var gate = new TaskCompletionSource<TxtAnswer>(TaskCreationOptions.RunContinuationsAsynchronously);
        var txt = new GatedTxt(gate.Task);
        var resolver = new MtaStsResolver(new InMemoryPolicyCache(), txt, w.Fetch, w.Clock, new MtaStsOptions());

        var waiting = Enumerable.Range(0, 20).Select(_ => resolver.ResolveAsync(Domain).AsTask()).ToList();
        gate.SetResult(ServFail);
        var all = await Task.WhenAll(waiting);
        await resolver.ResolveAsync(Domain);

        Assert.Equal(1, txt.Queries);
        Assert.All(all, static r => Assert.True(ReportsDnsFailure(r)));
    }

    /// <summary>A TXT port whose answer comes when the test says (a DNS server that times out).</summary>
    private sealed class GatedTxt(Task<TxtAnswer> answer) : ITxtLookup
    {
        private int queries;

        public int Queries => Volatile.Read(ref queries);

        public Task<TxtAnswer> LookupTxtAsync(PolicyDomain domain, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref queries);
            return answer;
        }
    }
}
