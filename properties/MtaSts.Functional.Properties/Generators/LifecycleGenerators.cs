using FsCheck;
using FsCheck.Fluent;
using LanguageExt;
using MtaSts.Conformance.Generators;

namespace MtaSts.Functional.Properties;

/// <summary>
/// One lookup through <see cref="PolicyLifecycle.Plan"/> and, when the plan needs a fetch and the
/// scenario has a fetch outcome, <see cref="LifecyclePlan.NeedsFetch.Resume"/>: a cache entry (or
/// none), the time, the TXT outcome and (or not) a fetch outcome. Ids come from a pool of three so that "same id" and "new id" both occur
/// often; times cluster around the policy's expiry and the five-minute back-off, where the rules change.
/// </summary>
public sealed record LifecycleScenario(Option<CacheEntry> Cached, DateTimeOffset Now, TxtOutcome Txt, Option<FetchOutcome> Fetch, LookupKind Kind)
{
    public static readonly PolicyDomain Domain = Generators.Right(PolicyDomain.Parse("example.com"));

    public LifecyclePlan Plan() => PolicyLifecycle.Plan(Domain, Cached, Now, Txt, Kind);

    /// <summary>The plan, finished with the scenario's fetch outcome when it asks for one.</summary>
    public LifecycleRun Run() => Plan() switch
    {
        LifecyclePlan.Settled settled => new LifecycleRun(Option<PolicyId>.None, settled.Step),
        LifecyclePlan.NeedsFetch needs => new LifecycleRun(needs.Id, Fetch.IsSome ? needs.Resume((FetchOutcome)Fetch, Now) : null),
        _ => throw new InvalidOperationException(),
    };

    public override string ToString()
    {
        var cached = Cached.Match(
            c => $"cached(policy={c.Policy.Match(p => $"{p.Id}/{p.Policy.Mode} fetched {p.FetchedAt:O} expires {p.ExpiresAt:O}", () => "-")}, failure={c.LastFailure.Match(f => $"{f.Id} at {f.At:O}", () => "-")})",
            () => "no cache");
        var txt = Txt switch
        {
            TxtOutcome.Found f => $"txt id={f.Record.Id}",
            _ => "txt " + Txt.GetType().Name,
        };
        var fetch = Fetch.Match(f => f is FetchOutcome.Fetched ok ? $"fetched {ok.Policy.Mode} max_age={ok.Policy.MaxAge.Seconds}" : "fetch failed", () => "no fetch");
        return $"{Kind}: {cached}; now {Now:O}; {txt}; {fetch}";
    }
}

/// <summary>What a scenario gave: the id the plan asked to fetch (if it did), and the settled step (none when a fetch was asked for and the scenario has no outcome).</summary>
public sealed record LifecycleRun(Option<PolicyId> Asked, LifecycleStep? Step);

public static class LifecycleGenerators
{
    private static readonly DateTimeOffset Epoch = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static Gen<PolicyId> Id => Gen.Elements("A", "B", "C").Select(static s => Generators.Right(PolicyId.Create(s)));

    public static Gen<CachedPolicy> CachedPolicy =>
        from id in Id
        from policy in Generators.Policy
        from offset in Gen.Choose(0, 1_000_000)
        let fetchedAt = Epoch.AddSeconds(offset)
        select new CachedPolicy(id, policy, policy.Render(), fetchedAt, fetchedAt + policy.MaxAge.Duration);

    public static Gen<FetchFailure> Failure =>
        from kind in Gen.Elements(Enum.GetValues<FetchFailureKind>())
        select new FetchFailure(kind, "generated " + kind);

    public static Gen<FetchOutcome> FetchOutcome =>
        Gen.OneOf(
            Generators.Policy.Select(static p => (FetchOutcome)new FetchOutcome.Fetched(p, p.Render())),
            Failure.Select(static f => (FetchOutcome)new FetchOutcome.Failed(f)));

    public static Gen<FetchOutcome> FailedFetch => Failure.Select(static f => (FetchOutcome)new FetchOutcome.Failed(f));

    public static Gen<TxtOutcome> Txt =>
        Gen.Frequency(
            (4, Id.Select(static id => TxtOutcome.From([[$"v=STSv1; id={id};"]]))),
            (1, Gen.Constant(TxtOutcome.Absent)),
            (1, Gen.Constant(TxtOutcome.From([["v=STSv1; id=A;"], ["v=STSv1; id=B;"]]))),
            (1, Gen.Constant((TxtOutcome)new TxtOutcome.TemporaryFailure("SERVFAIL"))));

    /// <summary>A time near the interesting instants of <paramref name="entry"/>: fetch, expiry, a failure and its back-off.</summary>
    public static Gen<DateTimeOffset> Near(Option<CacheEntry> entry)
    {
        var anchors = entry.Match(
            e => e.Policy.Map(static p => new[] { p.FetchedAt, p.ExpiresAt }).IfNone([]).Concat(e.LastFailure.Map(static f => new[] { f.At, f.At.AddMinutes(5) }).IfNone([])).ToArray(),
            () => []);
        return anchors.Length == 0
            ? Gen.Choose(0, 2_000_000).Select(static s => Epoch.AddSeconds(s))
            : from anchor in Gen.Elements(anchors)
              from delta in Gen.Frequency((3, Gen.Choose(-2, 2)), (2, Gen.Choose(-600, 600)), (1, Gen.Choose(-100_000, 100_000)))
              select anchor.AddSeconds(delta);
    }

    public static Gen<CacheEntry> Entry =>
        from policy in Gen.Frequency((4, CachedPolicy.Select(static p => Prelude.Some(p))), (1, Gen.Constant(Option<CachedPolicy>.None)))
        from hasFailure in Gen.Elements(false, true)
        from failureId in Id
        from failure in Failure
        from failedAfter in Gen.Choose(0, 100_000)
        let failedAt = policy.Map(static p => p.FetchedAt).IfNone(Epoch).AddSeconds(failedAfter)
        select new CacheEntry(LifecycleScenario.Domain, policy, hasFailure ? new FailedFetch(failureId, failedAt, failure) : Option<FailedFetch>.None, Epoch);

    public static Gen<LifecycleScenario> Scenario(Gen<CacheEntry> entries, Gen<Option<FetchOutcome>> fetches) =>
        from cached in Gen.Frequency((5, entries.Select(static e => Prelude.Some(e))), (1, Gen.Constant(Option<CacheEntry>.None)))
        from now in Near(cached)
        from txt in Txt
        from fetch in fetches
        from kind in Gen.Elements(LookupKind.Delivery, LookupKind.Refresh)
        select new LifecycleScenario(cached, now, txt, fetch, kind);

    public static Gen<Option<FetchOutcome>> AnyFetch =>
        Gen.Frequency((1, Gen.Constant(Option<FetchOutcome>.None)), (2, FetchOutcome.Select(static f => Prelude.Some(f))));

    public static Arbitrary<LifecycleScenario> Any => Arb.From(Scenario(Entry, AnyFetch));
}
