// Test helper for SqliteCacheTests: writes entries "writer-N.test" to the SQLite cache file given
// as the first argument, printing "committed N" after each write returns, until it is killed.
using LanguageExt;
using MtaSts.Functional;
using MtaSts.Functional.Lifecycle;
using MtaSts.Functional.Resolver;

var cache = new SqlitePolicyCache(args[0]);
var policy = Policy.Parse("version: STSv1\nmode: enforce\nmx: mail.example.com\nmax_age: 86400\n").IfLeft(static e => throw new InvalidOperationException(e.Render()));
var id = PolicyId.Create("writer").IfLeft(static e => throw new InvalidOperationException(e.Render()));
var start = DateTimeOffset.FromUnixTimeSeconds(1_800_000_000);
for (var n = 0; ; n++)
{
    var at = start.AddSeconds(n);
    await cache.PutAsync(new CacheEntry(PolicyDomain.Parse($"writer-{n}.test").IfLeft(static e => throw new InvalidOperationException(e.Render())), new CachedPolicy(id, policy, policy.Render(), at, at.AddDays(1)), Option<FailedFetch>.None, at));
    if (cache.Problem is not null)
    {
        Console.Error.WriteLine(cache.Problem);
        return 1;
    }

    Console.WriteLine($"committed {n}");
}
