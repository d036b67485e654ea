using FsCheck;
using FsCheck.Fluent;
using LanguageExt;
using static MtaSts.Functional.Resolver.Redis.Tests.Fleet;

namespace MtaSts.Functional.Resolver.Redis.Tests;

/// <summary>
/// The put-if-newer script as a join: concurrent writers of one domain converge, whatever order their writes
/// arrive in (RFC 8461 §3.3 caching across a fleet; C-01, C-02, C-04).
/// </summary>
public sealed class PutIfNewerLaws(RedisFixture redis) : IClassFixture<RedisFixture>
{
    private static readonly string[] Texts = [PolicyText, PolicyText.Replace("enforce", "testing", StringComparison.Ordinal)];

    /// <summary>Writes as different nodes would make them: a few fetch times (ties included), ids, texts, failures, last uses.</summary>
    private static Gen<CacheEntry> Write(string domain) =>
        from policyAt in Gen.Choose(-1, 4)
        from id in Gen.Elements("v1", "v2")
        from text in Gen.Elements(Texts)
        from failureAt in Gen.Choose(-1, 4)
        from failedId in Gen.Elements("v1", "v2", "v3")
        from used in Gen.Choose(0, 6)
        select Entry(
            domain,
            policyAt < 0 ? null : Policy(id, Now.AddMinutes(policyAt), text),
            failureAt < 0 ? null : Failure(failedId, Now.AddMinutes(failureAt)),
            Now.AddMinutes(used));

    private static Gen<(CacheEntry[] Writes, int[] Order)> Writes(string domain) =>
        from n in Gen.Choose(1, 5)
        from writes in Gen.ArrayOf(Write(domain), n)
        from order in Gen.Shuffle(Enumerable.Range(0, n).ToArray())
        select (writes, order);

    /// <summary>Any order of the same writes leaves the same entry (put-if-newer is commutative and associative).</summary>
    [RedisProperty(MaxTest = 60)]
    public Property PutIfNewerIsCommutative() =>
        Prop.ForAll(Arb.From(Writes("law.test")), sample =>
        {
            var (first, second) = Run(sample.Writes, sample.Order).GetAwaiter().GetResult();
            return (first == second)
                .Label($"in order: {first}\nshuffled: {second}")
                .Classify(sample.Writes.Count(static w => w.Policy.IsSome) > 1, "competing policies");
        });

    /// <summary>The newest fetch wins: the stored policy is one fetched last, and the stored last use is the latest.</summary>
    [RedisProperty(MaxTest = 60)]
    public Property NewestFetchWins() =>
        Prop.ForAll(Arb.From(Writes("newest.test")), sample =>
        {
            var (stored, _) = Run(sample.Writes, sample.Order).GetAwaiter().GetResult();
            var newest = sample.Writes.SelectMany(static w => w.Policy).Select(static p => p.FetchedAt).DefaultIfEmpty().Max();
            var policyOk = sample.Writes.Any(static w => w.Policy.IsSome)
                ? stored.Bind(static e => e.Policy).Exists(p => p.FetchedAt == newest && sample.Writes.Any(w => w.Policy == p))
                : stored.Exists(static e => e.Policy.IsNone);
            var usedOk = stored.Exists(e => e.LastUsed == sample.Writes.Max(static w => w.LastUsed));
            return (policyOk && usedOk).Label(stored.ToString());
        });

    /// <summary>A failure older than the kept policy's fetch is gone (C-02: a successful fetch ends the back-off); a newer one is kept.</summary>
    [RedisProperty(MaxTest = 60)]
    public Property FailureSurvivesOnlyIfAfterThePolicy() =>
        Prop.ForAll(Arb.From(Writes("failure.test")), sample =>
        {
            var (stored, _) = Run(sample.Writes, sample.Order).GetAwaiter().GetResult();
            var latestFailure = sample.Writes.SelectMany(static w => w.LastFailure).Select(static f => f.At).DefaultIfEmpty(DateTimeOffset.MinValue).Max();
            var policyAt = stored.Bind(static e => e.Policy).Map(static p => p.FetchedAt).IfNone(DateTimeOffset.MinValue);
            var expectFailure = latestFailure != DateTimeOffset.MinValue && latestFailure > policyAt;
            return (stored.Exists(e => e.LastFailure.IsSome == expectFailure && e.LastFailure.ForAll(f => f.At == latestFailure)))
                .Label(stored.ToString())
                .Classify(expectFailure, "failure kept");
        });

    /// <summary>Writes the sample in its order on one node and in the shuffled order on another (fresh domains), and reads both back.</summary>
    private async Task<(Option<CacheEntry> InOrder, Option<CacheEntry> Shuffled)> Run(CacheEntry[] writes, int[] order)
    {
        var prefix = Prefix();
        using var a = await NodeAsync(redis.Server, prefix, "a");
        using var b = await NodeAsync(redis.Server, prefix, "b");
        var one = Domain("one");
        var two = Domain("two");
        foreach (var w in writes)
        {
            await a.PutAsync(w with { Domain = Name(one) });
        }

        foreach (var i in order)
        {
            await b.PutAsync(writes[i] with { Domain = Name(two) });
        }

        using var reader = await NodeAsync(redis.Server, prefix, "reader");
        var same = Name("law.test");
        return ((await reader.Get(one)).Map(e => e with { Domain = same }), (await reader.Get(two)).Map(e => e with { Domain = same }));
    }
}
