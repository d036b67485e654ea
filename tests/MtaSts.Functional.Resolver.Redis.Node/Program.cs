// Test helper for FleetProcessTests: one node of a fleet in its own process. Arguments:
//   --redis CONNSTRING --prefix P --node NAME [--dns IP:PORT --policy-port N --trust PEMFILE]
// prints "ready", then answers one line per command read from standard input:
//   put DOMAIN ID FETCHED_UNIX_S          -> ok            (an entry as if this node had fetched it)
//   get DOMAIN                            -> none | ID|- FETCHED_UNIX_S|- FAILED_ID|-
//   resolve DOMAIN                        -> SOURCE ID|-   (the real resolver: DNS, HTTPS, the shared cache)
//   refresh DOMAIN                        -> SOURCE ID|-   (a proactive refresh by the real resolver)
//   wait DOMAIN ID                        -> seen | timeout (polls this node's cache until it gives ID)
//   pass                                  -> refreshed D1,D2,...  (a refresh pass; a leased domain is counted, not fetched)
//   pending                               -> N             (entries learned during an outage, not yet in Redis)
//   up                                    -> up | down     (whether this node's connection to Redis works)
using System.Globalization;
using System.Net;
using LanguageExt;
using Microsoft.Extensions.DependencyInjection;
using MtaSts.Functional;
using MtaSts.Functional.Lifecycle;
using MtaSts.Functional.Resolver;
using MtaSts.Functional.Resolver.Redis;

var arguments = args.Chunk(2).ToDictionary(static p => p[0], static p => p[1]);
var services = new ServiceCollection();
services.AddMtaStsRedis(
    o =>
    {
        o.ConnectionString = arguments["--redis"];
        o.KeyPrefix = arguments["--prefix"];
        o.NodeName = arguments["--node"];
        o.OperationTimeout = TimeSpan.FromSeconds(5);
    },
    o =>
    {
        o.ProactiveRefresh = false;
        o.DnsRetries = 0;
        o.FetchTimeout = TimeSpan.FromSeconds(5);
        if (arguments.TryGetValue("--dns", out var dns))
        {
            o.NameServers.Add(IPEndPoint.Parse(dns));
        }

        if (arguments.TryGetValue("--policy-port", out var port))
        {
            o.PolicyPort = int.Parse(port, CultureInfo.InvariantCulture);
        }

        if (arguments.TryGetValue("--trust", out var trust))
        {
            o.TrustAnchors.ImportFromPemFile(trust);
        }
    });
await using var provider = services.BuildServiceProvider();
var cache = provider.GetRequiredService<RedisPolicyCache>();
var resolver = provider.GetRequiredService<IMtaStsResolver>();
var options = provider.GetRequiredService<Microsoft.Extensions.Options.IOptions<MtaStsOptions>>().Value;
var policyText = "version: STSv1\r\nmode: enforce\r\nmx: mail.example.test\r\nmax_age: 86400\r\n";
var policy = Policy.Parse(policyText).IfLeft(static e => throw new InvalidOperationException(e.Render()));
await cache.Subscribed;
Console.WriteLine("ready");

while (Console.ReadLine() is { } line)
{
    var words = line.Split(' ');
    switch (words[0])
    {
        case "put":
            var at = DateTimeOffset.FromUnixTimeSeconds(long.Parse(words[3], CultureInfo.InvariantCulture));
            var id = PolicyId.Create(words[2]).IfLeft(static e => throw new InvalidOperationException(e.Render()));
            var name = PolicyDomain.Parse(words[1]).IfLeft(static e => throw new InvalidOperationException(e.Render()));
            await cache.PutAsync(new CacheEntry(name, new CachedPolicy(id, policy, policyText, at, at + policy.MaxAge.Duration), Option<FailedFetch>.None, at));
            Console.WriteLine("ok");
            break;
        case "get":
            var found = await cache.GetAsync(PolicyDomain.Parse(words[1]).IfLeft(static e => throw new InvalidOperationException(e.Render())));
            Console.WriteLine(found.Match(
                static e => string.Join(' ', e.Policy.Match(static p => p.Id.Value, static () => "-"), e.Policy.Match(static p => p.FetchedAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), static () => "-"), e.LastFailure.Match(static f => f.Id.Value, static () => "-")),
                static () => "none"));
            break;
        case "resolve":
            var resolution = await resolver.ResolveAsync(words[1]);
            Console.WriteLine(resolution.Match(
                static r => $"{r.Source.ToString().ToLowerInvariant()} {r.Policy.Match(static p => p.Id.Value, static () => "-")}",
                static e => "error " + e.Render().ReplaceLineEndings(" ")));
            break;
        case "refresh":
            var refreshed = await resolver.RefreshAsync(words[1]);
            Console.WriteLine(refreshed.Match(
                static r => $"{r.Source.ToString().ToLowerInvariant()} {r.Policy.Match(static p => p.Id.Value, static () => "-")}",
                static e => "error " + e.Render().ReplaceLineEndings(" ")));
            break;
        case "wait":
            var until = DateTime.UtcNow.AddSeconds(20);
            var seen = false;
            while (!seen && DateTime.UtcNow < until)
            {
                seen = (await cache.GetAsync(PolicyDomain.Parse(words[1]).IfLeft(static e => throw new InvalidOperationException(e.Render())))).Bind(static e => e.Policy).Exists(p => p.Id.Value == words[2]);
                if (!seen)
                {
                    await Task.Delay(10);
                }
            }

            Console.WriteLine(seen ? "seen" : "timeout");
            break;
        case "pass":
            // A leased domain is only counted here (the pass returns it), not fetched.
            var pass = new RedisRefreshPass(cache, static (_, _) => Task.CompletedTask, TimeProvider.System, options);
            Console.WriteLine("refreshed " + string.Join(',', await pass.RunAsync()));
            break;
        case "pending":
            Console.WriteLine(cache.PendingCount.ToString(CultureInfo.InvariantCulture));
            break;
        case "up":
            Console.WriteLine(cache.IsDown ? "down" : "up");
            break;
        default:
            Console.WriteLine("unknown command " + words[0]);
            break;
    }
}
