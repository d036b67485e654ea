using LanguageExt;

namespace MtaSts.Functional.Tests.LifecycleTests;

/// <summary>
/// The discovery/cache scenarios of digest §6.7 (S-01..S-15, S-21..S-23) as one spec table, through
/// the two phases: <see cref="PolicyLifecycle.Plan"/>, then <see cref="LifecyclePlan.NeedsFetch.Resume"/>.
/// </summary>
public class LifecycleScenarioTests
{
    private static readonly PolicyDomain Domain = PolicyDomain.Parse("example.com").IfLeft(static e => throw new InvalidOperationException(e.Render()));
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private static readonly Policy Enforce = Policy.Parse("version: STSv1\nmode: enforce\nmx: mail.example.com\nmax_age: 86400\n").IfLeft(static e => throw new InvalidOperationException(e.Render()));
    private static readonly Policy EnforceLong = Policy.Parse("version: STSv1\nmode: enforce\nmx: mail.example.com\nmax_age: 2592000\n").IfLeft(static e => throw new InvalidOperationException(e.Render()));
    private static readonly Policy None = Policy.Parse("version: STSv1\nmode: none\nmax_age: 86400\n").IfLeft(static e => throw new InvalidOperationException(e.Render()));
    private static readonly Policy ZeroAge = Policy.Parse("version: STSv1\nmode: enforce\nmx: mail.example.com\nmax_age: 0\n").IfLeft(static e => throw new InvalidOperationException(e.Render()));
    private static readonly FetchFailure NotFound = new(FetchFailureKind.HttpStatus, "404");

    private static PolicyId Id(string id) => PolicyId.Create(id).IfLeft(static e => throw new InvalidOperationException(e.Render()));

    private static TxtOutcome Txt(string id) => TxtOutcome.From([[$"v=STSv1; id={id};"]]);

    private static CacheEntry Cached(string id, Policy policy, TimeSpan age, FailedFetch? failure = null) =>
        new(Domain, new CachedPolicy(Id(id), policy, policy.Render(), T0 - age, T0 - age + policy.MaxAge.Duration), Prelude.Optional(failure), T0 - age);

    private static FetchOutcome Ok(Policy p) => new FetchOutcome.Fetched(p, p.Render());

    private static FetchOutcome Fails => new FetchOutcome.Failed(NotFound);

    private static LifecyclePlan Plan(Option<CacheEntry> cached, DateTimeOffset now, TxtOutcome txt, LookupKind kind = LookupKind.Delivery, LifecycleOptions? options = null) =>
        PolicyLifecycle.Plan(Domain, cached, now, txt, kind, options);

    /// <summary>The id the plan asks to fetch, or none when it settles.</summary>
    private static Option<PolicyId> Asked(Option<CacheEntry> cached, DateTimeOffset now, TxtOutcome txt, LookupKind kind = LookupKind.Delivery, LifecycleOptions? options = null) =>
        Plan(cached, now, txt, kind, options) is LifecyclePlan.NeedsFetch n ? n.Id : Option<PolicyId>.None;

    /// <summary>The plan must settle without a fetch.</summary>
    private static LifecycleStep Settled(Option<CacheEntry> cached, DateTimeOffset now, TxtOutcome txt, LookupKind kind = LookupKind.Delivery) =>
        Assert.IsType<LifecyclePlan.Settled>(Plan(cached, now, txt, kind)).Step;

    /// <summary>The plan must ask for a fetch; it is finished with <paramref name="outcome"/> at <paramref name="now"/>.</summary>
    private static LifecycleStep Fetched(Option<CacheEntry> cached, DateTimeOffset now, TxtOutcome txt, FetchOutcome outcome, LookupKind kind = LookupKind.Delivery) =>
        Assert.IsType<LifecyclePlan.NeedsFetch>(Plan(cached, now, txt, kind)).Resume(outcome, now);

    [Fact]
    public void S01_NoCache_FetchOk_AppliesAndCachesWithExpiryFromNow()
    {
        Assert.Equal(Id("A"), Asked(Option<CacheEntry>.None, T0, Txt("A")));

        var second = Fetched(Option<CacheEntry>.None, T0, Txt("A"), Ok(Enforce));
        Assert.Equal(PolicySource.Live, second.Source);
        Assert.Equal(Enforce, second.Policy);
        var stored = Assert.Single(second.Store.Bind(static e => e.Policy).ToSeq());
        Assert.Equal((Domain, Id("A"), T0, T0.AddSeconds(86400)), (second.Store.Map(static e => e.Domain).IfNone(() => throw new InvalidOperationException()), stored.Id, stored.FetchedAt, stored.ExpiresAt));
        Assert.Equal(T0, second.Store.Map(static e => e.LastUsed));
    }

    [Fact]
    public void S02_SameId_UsesCache_NoFetch()
    {
        var step = Settled(Cached("A", Enforce, TimeSpan.FromHours(1)), T0, Txt("A"));
        Assert.Equal(PolicySource.Cache, step.Source);
        Assert.Equal(Enforce, step.Policy);

        // Nothing changed but the use: no write is asked for (LastUsed is the shell's batched bookkeeping).
        Assert.True(step.Store.IsNone);
    }

    [Fact]
    public void S03_NewId_FetchOk_ReplacesCache()
    {
        var cached = Cached("A", Enforce, TimeSpan.FromHours(1));
        Assert.Equal(Id("B"), Asked(cached, T0, Txt("B")));
        var step = Fetched(cached, T0, Txt("B"), Ok(None));
        Assert.Equal((PolicySource.Live, PolicyMode.None), (step.Source, step.Policy.Map(static p => p.Mode).IfNone(PolicyMode.Enforce)));
        Assert.Equal(Id("B"), step.Store.Bind(static e => e.Policy).Map(static p => p.Id));
    }

    [Fact]
    public void S04_S22_S23_NewId_FetchFails_AppliesCached_Reports_BacksOffPerId()
    {
        var cached = Cached("A", Enforce, TimeSpan.FromHours(1));
        var step = Fetched(cached, T0, Txt("B"), Fails);
        Assert.Equal((PolicySource.Cache, Enforce), (step.Source, step.Policy.IfNone(None)));
        var report = Assert.IsType<LifecycleReport.FetchFailed>(Assert.Single(step.Reports));
        Assert.Equal(("sts-policy-fetch-error", true), (report.Failure.ResultType, report.Alert));
        var afterFailure = step.Store;

        // S-22: two minutes later, id B is not fetched again; 5 minutes after the failure it is.
        var twoMinutes = Settled(afterFailure, T0.AddMinutes(2), Txt("B"));
        Assert.Equal(T0.AddMinutes(5), Assert.IsType<LifecycleReport.BackedOff>(Assert.Single(twoMinutes.Reports)).Until);
        Assert.Equal(Id("B"), Asked(afterFailure, T0.AddMinutes(5), Txt("B")));

        // S-23: a different id is fetched at once.
        Assert.Equal(Id("C"), Asked(afterFailure, T0.AddMinutes(2), Txt("C")));
    }

    public static TheoryData<string> DnsFailures => new() { "nxdomain", "several", "invalid", "servfail" };

    private static TxtOutcome Dns(string key) => key switch
    {
        "nxdomain" => TxtOutcome.Absent,
        "several" => TxtOutcome.From([["v=STSv1; id=A;"], ["v=STSv1; id=B;"]]),
        "invalid" => TxtOutcome.From([["v=STSv1; id=A-B;"]]),
        "servfail" => new TxtOutcome.TemporaryFailure("SERVFAIL"),
        _ => throw new ArgumentOutOfRangeException(nameof(key)),
    };

    [Theory]
    [MemberData(nameof(DnsFailures))]
    public void S05_S06_S07_DnsProblem_ValidCache_AppliedAndKept(string dns)
    {
        var cached = Cached("A", Enforce, TimeSpan.FromHours(1));
        var step = Settled(cached, T0, Dns(dns));
        Assert.Equal((PolicySource.Cache, Enforce), (step.Source, step.Policy.IfNone(None)));
        Assert.True(step.Store.IsNone); // the cached entry stays as it is

        // C-05: only the temporary failure is a DNS error; "several"/"invalid" say why; NXDOMAIN says nothing.
        var kinds = step.Reports.Map(static r => r.GetType().Name).ToArray();
        Assert.Equal(
            dns switch { "servfail" => ["DnsTemporaryFailure"], "nxdomain" => [], _ => ["TxtUnusable"] },
            kinds);
    }

    [Theory]
    [MemberData(nameof(DnsFailures))]
    public void S08_ExpiredCache_DnsProblem_NoPolicy(string dns)
    {
        var step = Settled(Cached("A", Enforce, TimeSpan.FromDays(2)), T0, Dns(dns));
        Assert.Equal((PolicySource.None, true), (step.Source, step.Apply.IsNone));
    }

    [Fact]
    public void S09_ExpiredCache_SameId_FetchFails_NoPolicy_ReportedWithoutAlert()
    {
        var cached = Cached("A", Enforce, TimeSpan.FromDays(1));
        Assert.Equal(Id("A"), Asked(cached, T0, Txt("A")));
        var step = Fetched(cached, T0, Txt("A"), Fails);
        Assert.Equal(PolicySource.None, step.Source);
        Assert.False(Assert.IsType<LifecycleReport.FetchFailed>(Assert.Single(step.Reports)).Alert);
    }

    [Fact]
    public void S10_NoCache_FetchedPolicyInvalid_NoPolicy_ReportsPolicyInvalid()
    {
        var invalid = FetchOutcome.FromBody("version: STSv1\nmode: enforce\n");
        var step = Fetched(Option<CacheEntry>.None, T0, Txt("A"), invalid);
        Assert.Equal(PolicySource.None, step.Source);
        Assert.Equal("sts-policy-invalid", Assert.IsType<LifecycleReport.FetchFailed>(Assert.Single(step.Reports)).Failure.ResultType);
        Assert.Equal(Id("A"), step.Store.Bind(static e => e.LastFailure).Map(static f => f.Id));
    }

    [Fact]
    public void S11_S15_NoneReplacesEnforce_AndItsRefreshFailureRaisesNoAlert()
    {
        var replaced = Fetched(Cached("A", Enforce, TimeSpan.FromHours(1)), T0, Txt("B"), Ok(None)).Store;
        var later = T0.AddHours(2);
        var refresh = Fetched(replaced, later, TxtOutcome.Absent, Fails, LookupKind.Refresh);
        Assert.Equal(PolicyMode.None, refresh.Policy.Map(static p => p.Mode).IfNone(PolicyMode.Enforce));
        Assert.False(Assert.IsType<LifecycleReport.FetchFailed>(Assert.Single(refresh.Reports)).Alert);
    }

    [Fact]
    public void S12_NoneExpired_NothingLive_NoPolicy()
    {
        var step = Settled(Cached("B", None, TimeSpan.FromDays(1)), T0, TxtOutcome.Absent);
        Assert.Equal(PolicySource.None, step.Source);
    }

    [Fact]
    public void S13_RefreshSameId_RestartsTheClock()
    {
        var cached = Cached("A", EnforceLong, TimeSpan.FromHours(25));
        Assert.Equal(Id("A"), Asked(cached, T0, Txt("A"), LookupKind.Refresh));
        var step = Fetched(cached, T0, Txt("A"), Ok(EnforceLong), LookupKind.Refresh);
        Assert.Equal(T0.AddDays(30), step.Store.Bind(static e => e.Policy).Map(static p => p.ExpiresAt));
        Assert.Equal(cached.LastUsed, step.Store.Map(static e => e.LastUsed));
    }

    [Fact]
    public void S14_RefreshWhileDnsBlocked_FetchesCachedId_FailureAlerts()
    {
        var cached = Cached("A", Enforce, TimeSpan.FromHours(12));
        Assert.Equal(Id("A"), Asked(cached, T0, new TxtOutcome.TemporaryFailure("timeout"), LookupKind.Refresh));
        var step = Fetched(cached, T0, new TxtOutcome.TemporaryFailure("timeout"), Fails, LookupKind.Refresh);
        Assert.Equal(Enforce, step.Policy);
        Assert.True(step.Reports.OfType<LifecycleReport.FetchFailed>().Single().Alert);
    }

    [Fact]
    public void S21_MaxAgeZero_AppliedOnce_NeverFromCache()
    {
        var step = Fetched(Option<CacheEntry>.None, T0, Txt("A"), Ok(ZeroAge));
        Assert.Equal(PolicySource.Live, step.Source);
        Assert.Equal(Id("A"), Asked(step.Store, T0, Txt("A")));
    }

    [Fact]
    public void C01_ValidUntilButNotAtExpiry()
    {
        var cached = Cached("A", Enforce, TimeSpan.Zero);
        Assert.Equal(PolicySource.Cache, Settled(cached, T0.AddSeconds(86399), TxtOutcome.Absent).Source);
        Assert.Equal(PolicySource.None, Settled(cached, T0.AddSeconds(86400), TxtOutcome.Absent).Source);
    }

    [Fact]
    public void C04_BackoffBelowFiveMinutes_IsRejected()
    {
        Assert.True(LifecycleOptions.Create(TimeSpan.FromMinutes(5) - TimeSpan.FromTicks(1)).IsLeft);
        var ten = LifecycleOptions.Create(TimeSpan.FromMinutes(10)).IfLeft(static e => throw new InvalidOperationException(e.Render()));
        var failed = Fetched(Option<CacheEntry>.None, T0, Txt("A"), Fails).Store;
        Assert.True(Asked(failed, T0.AddMinutes(9), Txt("A"), options: ten).IsNone);
        Assert.True(Asked(failed, T0.AddMinutes(10), Txt("A"), options: ten).IsSome);
    }

    [Fact]
    public void C06_RefreshAt_IsTheShorterOfIntervalAndHalfLife_BroughtForwardByJitter()
    {
        var day = Cached("A", EnforceLong, TimeSpan.Zero).Policy.IfNone(() => throw new InvalidOperationException());
        Assert.Equal(T0.AddDays(1), PolicyLifecycle.RefreshAt(day, TimeSpan.FromDays(1), TimeSpan.Zero));
        Assert.Equal(T0.AddHours(23), PolicyLifecycle.RefreshAt(day, TimeSpan.FromDays(1), TimeSpan.FromHours(1)));
        var shortLived = Cached("A", Enforce, TimeSpan.Zero).Policy.IfNone(() => throw new InvalidOperationException());
        Assert.Equal(T0.AddHours(12), PolicyLifecycle.RefreshAt(shortLived, TimeSpan.FromDays(1), TimeSpan.Zero));
        Assert.Equal(T0, PolicyLifecycle.RefreshAt(shortLived, TimeSpan.FromDays(1), TimeSpan.FromDays(2)));
        Assert.False(PolicyLifecycle.RefreshDue(Cached("A", Enforce, TimeSpan.Zero), T0.AddHours(12).AddTicks(-1), TimeSpan.FromDays(1), TimeSpan.Zero));
        Assert.True(PolicyLifecycle.RefreshDue(Cached("A", Enforce, TimeSpan.Zero), T0.AddHours(12), TimeSpan.FromDays(1), TimeSpan.Zero));
        Assert.False(PolicyLifecycle.RefreshDue(Cached("A", Enforce, TimeSpan.Zero), T0.AddDays(1), TimeSpan.FromDays(1), TimeSpan.Zero));
    }

    [Fact]
    public void C04_BackoffOfExactlyFiveMinutes_IsAllowed_AndTooShortSaysWhy()
    {
        Assert.Equal(TimeSpan.FromMinutes(5), LifecycleOptions.Create(TimeSpan.FromMinutes(5)).Map(static o => o.FetchBackoff));
        Assert.Equal(
            "error[invalid-value]: fetch back-off '00:04:59': the back-off after a failed fetch is at least 5 minutes (RFC 8461 §3.3, C-04)",
            LifecycleOptions.Create(TimeSpan.FromSeconds(299)).Match(static _ => string.Empty, static e => e.Render()));
    }

    [Fact]
    public void NullArguments_AreRejectedAtTheBoundary()
    {
        Assert.Throws<ArgumentNullException>(() => PolicyLifecycle.Plan(Domain, Option<CacheEntry>.None, T0, null!));
        Assert.Throws<ArgumentNullException>(() => PolicyLifecycle.Plan(null!, Option<CacheEntry>.None, T0, Txt("A")));
        Assert.Throws<ArgumentNullException>(() => Assert.IsType<LifecyclePlan.NeedsFetch>(Plan(Option<CacheEntry>.None, T0, Txt("A"))).Resume(null!, T0));
        Assert.Throws<ArgumentNullException>(() => PolicyLifecycle.RefreshAt(null!, TimeSpan.FromDays(1), TimeSpan.Zero));
        Assert.Throws<ArgumentNullException>(() => PolicyLifecycle.RefreshDue(null!, T0, TimeSpan.FromDays(1), TimeSpan.Zero));
        Assert.Equal("text", Assert.Throws<ArgumentNullException>(() => new CachedPolicy(Id("A"), None, null!, T0, T0)).ParamName);
    }

    [Fact]
    public void C04_InsideTheBackoff_WithNoValidPolicy_NoPolicy()
    {
        var failed = Fetched(Option<CacheEntry>.None, T0, Txt("A"), Fails).Store;
        var step = Settled(failed, T0.AddMinutes(2), Txt("A"));

        Assert.Equal((PolicySource.None, true), (step.Source, step.Apply.IsNone));
        Assert.Equal(T0.AddMinutes(5), Assert.IsType<LifecycleReport.BackedOff>(Assert.Single(step.Reports)).Until);
    }

    [Fact]
    public void DeliveryLookupThatFetches_StoresTheEntryAsUsedNow()
    {
        // A delivery that fetches writes the entry anyway, so it carries the use (S13: a refresh does not).
        var cached = Cached("A", Enforce, TimeSpan.FromHours(1));
        var step = Fetched(cached, T0, Txt("B"), Ok(Enforce));

        Assert.Equal((T0 - TimeSpan.FromHours(1), T0), (cached.LastUsed, step.Store.Map(static e => e.LastUsed).IfNone(DateTimeOffset.MinValue)));
    }

    [Fact]
    public void C06_NegativeJitter_NeverPostponesARefresh()
    {
        var policy = Cached("A", EnforceLong, TimeSpan.Zero).Policy.IfNone(() => throw new InvalidOperationException());
        Assert.Equal(T0.AddDays(1), PolicyLifecycle.RefreshAt(policy, TimeSpan.FromDays(1), TimeSpan.FromHours(-5)));
    }

    [Fact]
    public void C01_ExpiryNearTheEndOfTime_Saturates()
    {
        var late = DateTimeOffset.MaxValue.AddSeconds(-10);
        var step = Fetched(Option<CacheEntry>.None, late, Txt("A"), Ok(Enforce));
        Assert.Equal(DateTimeOffset.MaxValue, step.Apply.Map(static p => p.ExpiresAt));
    }

    [Fact]
    public void TxtOutcomeFrom_ClassifiesTheRecordSet()
    {
        Assert.IsType<TxtOutcome.NoRecord>(TxtOutcome.From([]));
        Assert.IsType<TxtOutcome.NoRecord>(TxtOutcome.From(null));
        Assert.IsType<TxtOutcome.NoRecord>(TxtOutcome.From([["v=spf1 -all"]]));
        Assert.IsType<TxtOutcome.Unusable>(TxtOutcome.From([["v=STSv1; id=A;"], ["v=STSv1; id=B;"]]));
        Assert.Equal(Id("A"), Assert.IsType<TxtOutcome.Found>(TxtOutcome.From([["v=STSv1; id=A;"]])).Record.Id);
    }

    [Fact]
    public void TxtOutcomeFrom_KeepsTheRawStrings()
    {
        var outcome = TxtOutcome.From([["v=spf1 -all"], ["v=STSv1; ", "id=A;"]]);
        Assert.Equal([["v=spf1 -all"], ["v=STSv1; ", "id=A;"]], outcome.Records.Select(static r => r.ToArray()).ToArray());
        Assert.Equal(TxtOutcome.From([["v=spf1 -all"]]), TxtOutcome.From([["v=spf1 -all"]]));
        Assert.NotEqual(TxtOutcome.From([["v=spf1 -all"]]), TxtOutcome.From([["v=spf1 ", "-all"]]));
        Assert.True(new TxtOutcome.TemporaryFailure("SERVFAIL").Records.IsEmpty);
    }

    [Theory]
    [InlineData("v=STSv1; id=A;")]                   // canonical: kept once, as the parsed record
    [InlineData("v=STSv1; id=A; ext=1;")]            // canonical with an extension
    [InlineData("v=STSv1;id=A")]                     // not canonical: the raw string is kept
    [InlineData("v=STSv1; id=A;  ")]
    [InlineData("v=STSv1;  id=A;")]
    public void TxtOutcomeFrom_GivesBackTheStringsAsPublished_CanonicalOrNot(string published)
    {
        var outcome = TxtOutcome.From([[published]]);
        var again = TxtOutcome.From([[published]]);

        Assert.Equal([[published]], outcome.Records.Select(static r => r.ToArray()).ToArray());
        Assert.Equal((again, again.GetHashCode()), (outcome, outcome.GetHashCode()));
        Assert.NotEqual(TxtOutcome.From([["v=STSv1; id=B;"]]), outcome);
        Assert.NotEqual(TxtOutcome.From([[published, string.Empty]]), outcome);   // same record, other strings
    }

    public static TheoryData<string?[]?[], string[][]> RecordSets => new()
    {
        // the TXT records as DNS gave them, the records the outcome gives back
        { [["v=STSv1; id=A;"], ["v=spf1 -all"]], [["v=STSv1; id=A;"], ["v=spf1 -all"]] },  // a canonical record first: the others are kept too
        { [["v=STSv1; id=A;"], null], [["v=STSv1; id=A;"], []] },                           // a null record reads as no strings
        { [["v=spf1 -all"], ["v=spf1 -all"]], [["v=spf1 -all"], ["v=spf1 -all"]] },         // the same record twice is two records
    };

    [Theory]
    [MemberData(nameof(RecordSets))]
    public void TxtOutcomeFrom_GivesBackEveryRecord(string?[]?[] published, string[][] expected) =>
        Assert.Equal(expected, TxtOutcome.From(published!).Records.Select(static r => r.ToArray()).ToArray());

    [Fact]
    public void TxtOutcome_Equals_NullAndOtherRecordCounts_AreNotEqual()
    {
        Assert.False(TxtOutcome.Absent.Equals(null));
        Assert.False(TxtOutcome.From([["v=STSv1; id=A;"]]).Equals(null));
        Assert.NotEqual(TxtOutcome.From([["v=spf1 -all"]]), TxtOutcome.From([["v=spf1 -all"], ["v=spf1 -all"]]));
        Assert.NotEqual(TxtOutcome.From([["v=spf1 -all"], ["v=spf1 -all"]]), TxtOutcome.From([["v=spf1 -all"]]));
    }

    [Fact]
    public void TxtOutcomeFrom_NoRecords_IsTheSharedAbsentValue()
    {
        Assert.Same(TxtOutcome.Absent, TxtOutcome.From([]));
        Assert.Same(TxtOutcome.Absent, TxtOutcome.From(null));
    }

    [Fact]
    public void Resume_UsesItsOwnTime_ACachedPolicyThatExpiredDuringTheFetchIsNotApplied()
    {
        // The plan is made one second before expiry; the fetch fails and ends two seconds later.
        var cached = Cached("A", Enforce, TimeSpan.FromSeconds(86399));
        var needs = Assert.IsType<LifecyclePlan.NeedsFetch>(Plan(cached, T0, Txt("B")));

        var failed = needs.Resume(Fails, T0.AddSeconds(2));
        var fetched = needs.Resume(Ok(Enforce), T0.AddSeconds(2));

        Assert.Equal((PolicySource.None, false), (failed.Source, Assert.IsType<LifecycleReport.FetchFailed>(Assert.Single(failed.Reports)).Alert));
        Assert.Equal(T0.AddSeconds(2), failed.Store.Bind(static e => e.LastFailure).Map(static f => f.At));
        Assert.Equal((T0.AddSeconds(2), Id("B")), fetched.Apply.Map(static p => (p.FetchedAt, p.Id)).IfNone(() => throw new InvalidOperationException()));
    }

    [Fact]
    public void CachedPolicy_KeepsItsTextExactly_EvenWhenUtf8CannotCarryIt()
    {
        const string Lone = "version: STSv1\nmode: none\nmax_age: 1\nx: \uD800\n";
        var cached = new CachedPolicy(Id("A"), None, Lone, T0, T0.AddDays(1));

        Assert.Equal(Lone, cached.Text);
        Assert.Equal(None.Render(), new CachedPolicy(Id("A"), None, None.Render(), T0, T0).Text);
        Assert.Equal(new CachedPolicy(Id("A"), None, "a", T0, T0), new CachedPolicy(Id("A"), None, "a", T0, T0));
        Assert.NotEqual(new CachedPolicy(Id("A"), None, "a", T0, T0), new CachedPolicy(Id("A"), None, "b", T0, T0));
    }

    public static TheoryData<string, CachedPolicy> OtherCachedPolicies => new()
    {
        // the one field that differs from Id A, policy None, text "a", fetched T0, expiring T0 + 1 day
        { "id", new CachedPolicy(Id("B"), None, "a", T0, T0.AddDays(1)) },
        { "policy", new CachedPolicy(Id("A"), Enforce, "a", T0, T0.AddDays(1)) },
        { "fetched at", new CachedPolicy(Id("A"), None, "a", T0.AddSeconds(1), T0.AddDays(1)) },
        { "expires at", new CachedPolicy(Id("A"), None, "a", T0, T0.AddDays(2)) },
        { "text", new CachedPolicy(Id("A"), None, "b", T0, T0.AddDays(1)) },
    };

    [Theory]
    [MemberData(nameof(OtherCachedPolicies))]
    public void CachedPolicy_Equals_EveryFieldCounts(string differs, CachedPolicy other)
    {
        var one = new CachedPolicy(Id("A"), None, "a", T0, T0.AddDays(1));

        Assert.Equal(one, new CachedPolicy(Id("A"), None, "a", T0, T0.AddDays(1)));
        Assert.False(one.Equals(other), differs);
        Assert.False(other.Equals(one), differs);
    }

    [Fact]
    public void FetchFailure_ToString_NamesTheResultType() =>
        Assert.Equal("sts-webpki-invalid: expired", new FetchFailure(FetchFailureKind.Certificate, "expired").ToString());

    public static TheoryData<FetchFailureKind, string> ResultTypes => new()
    {
        { FetchFailureKind.Network, "sts-policy-fetch-error" },
        { FetchFailureKind.Timeout, "sts-policy-fetch-error" },
        { FetchFailureKind.Redirect, "sts-policy-fetch-error" },
        { FetchFailureKind.HttpStatus, "sts-policy-fetch-error" },
        { FetchFailureKind.TooLarge, "sts-policy-fetch-error" },
        { FetchFailureKind.ContentType, "sts-policy-invalid" },
        { FetchFailureKind.Encoding, "sts-policy-invalid" },
        { FetchFailureKind.InvalidPolicy, "sts-policy-invalid" },
        { FetchFailureKind.Certificate, "sts-webpki-invalid" },
    };

    [Theory]
    [MemberData(nameof(ResultTypes))]
    public void FetchFailure_ResultType_IsRfc8460(FetchFailureKind kind, string resultType) =>
        Assert.Equal(resultType, new FetchFailure(kind, "x").ResultType);
}
