using LanguageExt;

namespace MtaSts.Functional.Resolver.Redis.Tests;

/// <summary>Entries and nodes for the tests. Times are near the real clock, since Redis expires keys by its own.</summary>
public static class Fleet
{
    public const string PolicyText = "version: STSv1\r\nmode: enforce\r\nmx: mail.example.test\r\nmax_age: 86400\r\n";

    /// <summary>A whole second near now, so that unix milliseconds round-trip.</summary>
    public static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds());

    public static PolicyId Id(string id) => PolicyId.Create(id).IfLeft(static e => throw new InvalidOperationException(e.Render()));

    public static CachedPolicy Policy(string id, DateTimeOffset fetchedAt, string? text = null)
    {
        var body = text ?? PolicyText;
        var policy = Functional.Policy.Parse(body).IfLeft(static e => throw new InvalidOperationException(e.Render()));
        return new CachedPolicy(Id(id), policy, body, fetchedAt, fetchedAt + policy.MaxAge.Duration);
    }

    public static CacheEntry Entry(string domain, CachedPolicy? policy, FailedFetch? failure = null, DateTimeOffset? used = null) =>
        new(Name(domain), Optional(policy), Optional(failure), used ?? policy?.FetchedAt ?? failure?.At ?? Now);

    public static PolicyDomain Name(string domain) => PolicyDomain.Parse(domain).IfLeft(static e => throw new InvalidOperationException(e.Render()));

    public static FailedFetch Failure(string id, DateTimeOffset at, FetchFailureKind kind = FetchFailureKind.HttpStatus) => new(Id(id), at, new FetchFailure(kind, "HTTP 503"));

    public static string Domain(string name) => $"{name}-{Guid.NewGuid():N}.test".ToLowerInvariant();

    public static string Prefix() => "t" + Guid.NewGuid().ToString("N")[..12];

    /// <summary>
    /// A node: its own connection to the server, a cache on <paramref name="prefix"/>, subscribed to notices. The
    /// operation bound is generous (5 s) so that a loaded test machine is not an outage; the outage tests set it.
    /// </summary>
    public static async Task<RedisPolicyCache> NodeAsync(RedisServer server, string prefix, string name, MtaStsOptions? resolver = null, IPolicyCache? local = null, TimeSpan? retention = null, Microsoft.Extensions.Logging.ILoggerFactory? logs = null, TimeSpan? timeout = null)
    {
        var options = new MtaStsRedisOptions { KeyPrefix = prefix, NodeName = name, Retention = retention ?? TimeSpan.FromDays(7), OperationTimeout = timeout ?? TimeSpan.FromSeconds(5) };
        var cache = (await RedisPolicyCache.ConnectAsync(server.ConnectionString, options, resolver, requireConnection: true, local: local, loggerFactory: logs))
            .IfLeft(static e => throw new InvalidOperationException(e));
        await cache.Subscribed;
        return cache;
    }

    /// <summary>Polls until <paramref name="condition"/> holds; false after <paramref name="limit"/> (a generous bound, never an assertion about speed).</summary>
    public static async Task<bool> EventuallyAsync(Func<Task<bool>> condition, TimeSpan? limit = null)
    {
        var until = DateTime.UtcNow + (limit ?? TimeSpan.FromSeconds(20));
        while (DateTime.UtcNow < until)
        {
            if (await condition())
            {
                return true;
            }

            await Task.Delay(20);
        }

        return await condition();
    }

    public static async Task<Option<CacheEntry>> Get(this IPolicyCache cache, string domain) => await cache.GetAsync(Name(domain));

    private static Option<T> Optional<T>(T? value)
        where T : class => value is null ? Option<T>.None : Prelude.Some(value);
}
