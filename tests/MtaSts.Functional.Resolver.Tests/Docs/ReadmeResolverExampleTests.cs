using LanguageExt;
using Microsoft.Extensions.DependencyInjection;
using MtaSts.Functional.Tests.Docs;
using MtaSts.Testing;

namespace MtaSts.Functional.Resolver.Tests.Docs;

/// <summary>README's "Use it in an MTA" examples, verbatim, run against the loopback servers.</summary>
[Collection(LoopbackCollection.Name)]
public class ReadmeResolverExampleTests(Loopback world)
{
    private const string ExamplePolicy = "version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmax_age: 604800\r\n";

    [Fact]
    public async Task PlainApiExample_PlansTheDelivery()
    {
        world.Publish("example.com", "20260601", Loopback.Serve(ExamplePolicy));
        var lines = new List<string>();

        // Plain API: one object, no container (set CachePath for a persistent SQLite cache file)
        var options = new MtaStsOptions { FetchTimeout = TimeSpan.FromSeconds(30) };
        options.NameServers.Add(world.Dns.EndPoint);
        options.TrustAnchors.Add(world.Pki.Root);
        options.PolicyPort = world.Https.Port;
        using var resolver = MtaStsResolver.Create(options);
        Either<MtaStsError, DeliveryPlan> plan = await resolver.PlanAsync("example.com", [new MxRecord(10, "mail.example.com"), new MxRecord(20, "mx.elsewhere.net")]);
        foreach (MxCandidate candidate in plan.RightToSeq().Bind(static p => p.Candidates))
        {
            Console.WriteLine($"{candidate.Mx.Host}: {candidate.Decision}");   // mail.example.com: Deliver (STARTTLS and a valid certificate required); mx.elsewhere.net: Refuse (try the next MX)
            lines.Add($"{candidate.Mx.Host}: {candidate.Decision.GetType().Name}");
        }

        Assert.Equal(["mail.example.com: Deliver", "mx.elsewhere.net: Refuse"], lines);
    }

    [Fact]
    public async Task HostedExample_DecidesForAnMx()
    {
        world.Publish("example.com", "20260601", Loopback.Serve(ExamplePolicy));
        var services = new ServiceCollection();

        // Hosted: AddMtaSts registers the resolver, its IHttpClientFactory client, the cache, metrics and the refresh service
        services.AddMtaSts(o => o.RefreshInterval = TimeSpan.FromHours(12));
        services.Configure<MtaStsOptions>(o =>
        {
            o.NameServers.Add(world.Dns.EndPoint);
            o.TrustAnchors.Add(world.Pki.Root);
            o.PolicyPort = world.Https.Port;
        });
        await using ServiceProvider provider = services.BuildServiceProvider();
        IMtaStsResolver mtaSts = provider.GetRequiredService<IMtaStsResolver>();
        Either<MtaStsError, Resolution> resolved = await mtaSts.ResolveAsync("example.com");
        Decision decision = resolved.Match(Right: r => r.Decide("mail.example.com", TlsOutcome.Valid), Left: _ => Decision.NotApplied.Of(NotAppliedReason.NoPolicy));

        Assert.IsType<Decision.Deliver>(decision);
    }

    [Fact]
    public void Examples_AreTheCodeInTheReadme()
    {
        var readme = File.ReadAllText(Path.Combine(Repo.Root, "README.md")).Replace("\r\n", "\n", StringComparison.Ordinal);
        var start = readme.IndexOf("## Use it in an MTA", StringComparison.Ordinal);
        var end = readme.IndexOf("\n## ", start + 1, StringComparison.Ordinal);
        var section = readme[start..end];
        var blocks = section.Split("```csharp\n").Skip(1).Select(static b => b[..b.IndexOf("```", StringComparison.Ordinal)]).ToList();
        var test = File.ReadAllLines(Path.Combine(Repo.Root, "tests", "MtaSts.Functional.Resolver.Tests", "Docs", "ReadmeResolverExampleTests.cs")).Select(static l => l.Trim()).ToList();

        var missing = blocks.SelectMany(static b => b.Split('\n')).Select(static l => l.Trim()).Where(static l => l.Length > 0 && !l.StartsWith("using ", StringComparison.Ordinal)).Where(l => !test.Contains(l)).ToList();

        Assert.Equal(2, blocks.Count);
        Assert.Empty(missing);
    }
}
