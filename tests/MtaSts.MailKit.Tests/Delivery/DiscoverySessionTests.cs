using LanguageExt;
using MtaSts.Functional;
using MtaSts.Functional.Lifecycle;
using MtaSts.Functional.Resolver;

namespace MtaSts.MailKit.Tests.Delivery;

/// <summary>RFC 8461 §6 (N-59) and RFC 8460 §4.3.2: which discovery outcomes become a failed TLSRPT session, with which details and policy.</summary>
public sealed class DiscoverySessionTests
{
    private static readonly PolicyDomain Domain = PolicyDomain.Parse("discovery.example").Match(static d => d, static e => throw new InvalidOperationException(e.Render()));
    private static readonly PolicyId Id = PolicyId.Create("20261201").Match(static i => i, static e => throw new InvalidOperationException(e.Render()));
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    private static CachedPolicy Cached(string mode)
    {
        var text = $"version: STSv1\r\nmode: {mode}\r\n{(mode == "none" ? string.Empty : "mx: mx1.discovery.example\r\nmx: *.backup.discovery.example\r\n")}max_age: 86400\r\n";
        var policy = Policy.Parse(text).Match(static p => p, static e => throw new InvalidOperationException(e.Render()));
        return new CachedPolicy(Id, policy, text, Now.AddHours(-1), Now.AddDays(1));
    }

    private static Resolution Resolve(string? cachedMode, params LifecycleReport[] reports)
    {
        var apply = cachedMode is null ? Option<CachedPolicy>.None : Cached(cachedMode);
        return new Resolution(Domain, TxtOutcome.Absent, new LifecycleStep(apply, apply.IsSome ? PolicySource.Cache : PolicySource.None, Option<CacheEntry>.None, reports.ToSeq()));
    }

    private static LifecycleReport Fetch(FetchFailureKind kind) => new LifecycleReport.FetchFailed(Id, new FetchFailure(kind, "detail"), Alert: false);

    private static readonly LifecycleReport Dns = new LifecycleReport.DnsTemporaryFailure("SERVFAIL");
    private static readonly LifecycleReport Several = new LifecycleReport.TxtUnusable(new MtaStsError.NoUsableRecord(UnusableRecordReason.Several, 2, Option<MtaStsError>.None));
    private static readonly LifecycleReport Invalid = new LifecycleReport.TxtUnusable(new MtaStsError.NoUsableRecord(UnusableRecordReason.Invalid, 1, Option<MtaStsError>.None));
    private static readonly LifecycleReport BackedOff = new LifecycleReport.BackedOff(Id, Now.AddMinutes(5));

    /// <summary>Row → (cached policy mode or null, the lifecycle's reports, the expected details as "type reason", why).</summary>
    private static readonly Dictionary<string, (string? Cached, LifecycleReport[] Reports, string[] Details, string Why)> Rows = new()
    {
        ["fetch-http"] = (null, [Fetch(FetchFailureKind.HttpStatus)], ["sts-policy-fetch-error policy-fetch-http-status"], "N-59 a fetch failure with a valid TXT record"),
        ["fetch-network"] = (null, [Fetch(FetchFailureKind.Network)], ["sts-policy-fetch-error policy-host-unreachable"], "§4.3.2 'the policy host is unreachable'"),
        ["fetch-timeout"] = (null, [Fetch(FetchFailureKind.Timeout)], ["sts-policy-fetch-error policy-fetch-timeout"], "N-24"),
        ["fetch-redirect"] = (null, [Fetch(FetchFailureKind.Redirect)], ["sts-policy-fetch-error policy-fetch-redirect"], "N-21"),
        ["fetch-too-large"] = (null, [Fetch(FetchFailureKind.TooLarge)], ["sts-policy-fetch-error policy-too-large"], "N-24"),
        ["invalid-policy"] = (null, [Fetch(FetchFailureKind.InvalidPolicy)], ["sts-policy-invalid policy-syntax"], "N-33"),
        ["content-type"] = (null, [Fetch(FetchFailureKind.ContentType)], ["sts-policy-invalid policy-content-type"], "C-07"),
        ["encoding"] = (null, [Fetch(FetchFailureKind.Encoding)], ["sts-policy-invalid policy-not-utf8"], "F-09"),
        ["webpki"] = (null, [Fetch(FetchFailureKind.Certificate)], ["sts-webpki-invalid policy-host-certificate"], "N-17, N-18"),
        ["webpki-fallback"] = ("enforce", [Fetch(FetchFailureKind.Certificate)], ["sts-webpki-invalid policy-host-certificate+fallback-to-cached-policy"], "N-59 the cached policy applies instead"),
        ["fetch-cached-none"] = ("none", [Fetch(FetchFailureKind.HttpStatus)], ["sts-policy-fetch-error policy-fetch-http-status"], "N-59 bullet 1 still holds; no fallback: none is no active policy"),
        ["dns-no-cache"] = (null, [Dns], [], "C-05 a DNS failure without a cached policy is not reported (digest vector: cached policy applies, nothing to report)"),
        ["dns-cached-testing"] = ("testing", [Dns], ["sts-policy-fetch-error dns-temporary-failure+fallback-to-cached-policy"], "N-59 'failures of any kind when a valid policy exists'"),
        ["dns-cached-none"] = ("none", [Dns], [], "N-59 'except if that policy's mode is none'"),
        ["txt-several-cached"] = ("enforce", [Several], ["sts-policy-fetch-error sts-record-several+fallback-to-cached-policy"], "N-59 with a cached policy"),
        ["txt-invalid-no-cache"] = (null, [Invalid], [], "N-06 no usable record and nothing cached: as without MTA-STS"),
        ["backed-off"] = (null, [BackedOff], ["sts-policy-fetch-error back-off-after-recent-fetch-error"], "C-04 the fetch still fails, it is just not retried yet"),
        ["ok-cached"] = ("enforce", [], [], "nothing failed"),
        ["ok-none"] = (null, [], [], "no record: no-policy-found, nothing failed"),
    };

    public static TheoryData<string> RowKeys => [.. Rows.Keys];

    [Theory]
    [MemberData(nameof(RowKeys))]
    public void Failures_FollowTheSpecTable(string key)
    {
        var (cached, reports, details, why) = Rows[key];

        var actual = DiscoverySessions.Failures(Resolve(cached, reports)).Map(static d => $"{d.ResultType} {d.FailureReasonCode}").ToArray();

        Assert.True(details.SequenceEqual(actual), $"{why}: expected [{string.Join(", ", details)}], got [{string.Join(", ", actual)}]");
    }

    [Theory]
    [MemberData(nameof(RowKeys))]
    public void Session_IsOneFailedSession_ExactlyWhenThereAreDetails(string key)
    {
        var (cached, reports, details, _) = Rows[key];

        var session = DiscoverySessions.Session(Resolve(cached, reports), Now);

        Assert.Equal(details.Length > 0, session.IsSome);
        session.IfSome(s =>
        {
            Assert.False(s.Successful);
            Assert.Equal((string.Empty, null, null, Now), (s.ReceivingMxHostname, s.ReceivingIp, s.SendingMtaIp, s.At));
            Assert.Equal(TlsReportPolicy.Sts, s.Policy.PolicyType);
            Assert.Equal(Domain, s.Policy.PolicyDomain);
            Assert.Equal(cached is "enforce" or "testing", !s.Policy.PolicyStrings.IsEmpty);
        });
    }

    [Fact]
    public void Session_SeveralFailures_AreOneSessionWithEveryDetail()
    {
        // A failed session counts once, whatever its number of details (RFC 8460 §4.2.2).
        var session = DiscoverySessions.Session(Resolve("enforce", Dns, BackedOff), Now);

        var s = Assert.Single(session.ToSeq());
        Assert.Equal(
            ["dns-temporary-failure+fallback-to-cached-policy", "back-off-after-recent-fetch-error+fallback-to-cached-policy"],
            s.Failures.Map(static f => f.FailureReasonCode ?? "(none)").ToArray());
    }

    [Fact]
    public void Session_WithFallback_CarriesTheCachedPolicyLinesAndPatterns()
    {
        var s = Assert.Single(DiscoverySessions.Session(Resolve("testing", Fetch(FetchFailureKind.Timeout)), Now).ToSeq());

        Assert.Equal(["version: STSv1", "mode: testing", "mx: mx1.discovery.example", "mx: *.backup.discovery.example", "max_age: 86400"], s.Policy.PolicyStrings.ToArray());
        Assert.Equal(["mx1.discovery.example", "*.backup.discovery.example"], s.Policy.MxHost.ToArray());
    }

    [Theory]
    [InlineData(null, TlsReportPolicy.NoPolicyFound, 0)]
    [InlineData("none", TlsReportPolicy.NoPolicyFound, 0)]
    [InlineData("testing", TlsReportPolicy.Sts, 5)]
    [InlineData("enforce", TlsReportPolicy.Sts, 5)]
    public void Policy_OfTheSmtpSessions_IsTheActivePolicy(string? cached, string type, int lines)
    {
        // RFC 8461 §5: mode none is "as though it does not have any active policy" (digest §5.4: no-policy-found).
        var policy = DiscoverySessions.Policy(Resolve(cached));

        Assert.Equal((type, lines, Domain), (policy.PolicyType, policy.PolicyStrings.Count, policy.PolicyDomain));
    }

    [Fact]
    public void ReasonCode_IsDistinctPerKind_AndTheResultTypeIsTheFailures()
    {
        var kinds = Enum.GetValues<FetchFailureKind>();

        Assert.Equal(kinds.Length, kinds.Select(DiscoverySessions.ReasonCode).Distinct(StringComparer.Ordinal).Count());
        foreach (var kind in kinds)
        {
            var detail = Assert.Single(DiscoverySessions.Failures(Resolve(null, Fetch(kind))));
            Assert.Equal(new FetchFailure(kind, "x").ResultType, detail.ResultType);
        }
    }
}
