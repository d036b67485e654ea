using BenchmarkDotNet.Attributes;
using LanguageExt;
using MtaSts.Functional.Lifecycle;

namespace MtaSts.Functional.Benchmarks;

/// <summary>
/// The pure part of a cache-hit resolve: the lifecycle step for a valid cached policy whose id the
/// TXT record repeats, then the enforce decision. (The resolver adds the TXT lookup and a cache read.)
/// </summary>
[MemoryDiagnoser]
public class LifecycleBenchmarks
{
    private static readonly DateTimeOffset Now = new(2026, 6, 1, 8, 0, 0, TimeSpan.Zero);
    private static readonly PolicyDomain Domain = PolicyDomain.Parse("example.com").Match(static d => d, static e => throw new InvalidOperationException(e.Render()));
    private readonly Option<CacheEntry> cached;
    private readonly TxtOutcome sameId;
    private readonly TxtOutcome newId;

    public LifecycleBenchmarks()
    {
        var policy = Policy.Parse(Inputs.Policy).Match(static p => p, static e => throw new InvalidOperationException(e.Render()));
        var id = PolicyId.Create("20260601").Match(static i => i, static e => throw new InvalidOperationException(e.Render()));
        cached = new CacheEntry(Domain, new CachedPolicy(id, policy, Inputs.Policy, Now.AddHours(-1), Now.AddDays(7)), Option<FailedFetch>.None, Now.AddHours(-1));
        sameId = TxtOutcome.From([["v=STSv1; id=20260601;"]]);
        newId = TxtOutcome.From([["v=STSv1; id=20260602;"]]);
    }

    [Benchmark]
    public LifecyclePlan Plan_CacheHit() => PolicyLifecycle.Plan(Domain, cached, Now, sameId);

    [Benchmark]
    public Decision CacheHit_ThenEnforce() =>
        Enforcement.Enforce(((LifecyclePlan.Settled)PolicyLifecycle.Plan(Domain, cached, Now, sameId)).Step.Policy, "mail.example.com");

    [Benchmark]
    public LifecyclePlan Plan_NewIdAsksForAFetch() => PolicyLifecycle.Plan(Domain, cached, Now, newId);
}
