using BenchmarkDotNet.Attributes;
using LanguageExt;
using Microsoft.Extensions.Time.Testing;
using MtaSts.Functional.Lifecycle;
using MtaSts.Functional.Resolver;

namespace MtaSts.Functional.Benchmarks;

/// <summary>
/// The warm path through the real <see cref="MtaStsResolver"/>: the domain's entry in the in-memory
/// front and its TXT answer inside the grace window (a frozen clock), so no port is called: no DNS, no
/// storage, no parse. Target (issue 13): at most 1 µs and 256 B per call, with the in-memory storage
/// and with SQLite after the first read.
/// </summary>
[MemoryDiagnoser]
public class ResolveBenchmarks
{
    private static readonly PolicyDomain Domain = PolicyDomain.Parse("example.com").Match(static d => d, static e => throw new InvalidOperationException(e.Render()));
    private readonly string sqlitePath = Path.Combine(Path.GetTempPath(), $"mtasts-bench-{Environment.ProcessId}.db");
    private MtaStsResolver memory = null!;
    private MtaStsResolver sqlite = null!;

    [GlobalSetup]
    public void Setup()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 6, 1, 8, 0, 0, TimeSpan.Zero));
        memory = new MtaStsResolver(new InMemoryPolicyCache(), new BenchTxt(), new BenchFetch(), clock, new MtaStsOptions());
        sqlite = new MtaStsResolver(new SqlitePolicyCache(sqlitePath), new BenchTxt(), new BenchFetch(), clock, new MtaStsOptions());
        foreach (var resolver in new[] { memory, sqlite })
        {
            var first = resolver.ResolveAsync("example.com").GetAwaiter().GetResult();
            if (first.Match(static r => r.Source, static _ => PolicySource.None) != PolicySource.Live)
            {
                throw new InvalidOperationException("the first lookup should fetch");
            }
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        memory.Dispose();
        sqlite.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        File.Delete(sqlitePath);
    }

    /// <summary>The string overload: parses the domain (no allocation for a normalised name beyond the value), then the warm path.</summary>
    [Benchmark(Baseline = true)]
    public Either<MtaStsError, Resolution> Warm_InMemory() => memory.ResolveAsync("example.com").GetAwaiter().GetResult();

    [Benchmark]
    public Resolution Warm_InMemory_PolicyDomain() => memory.ResolveAsync(Domain).GetAwaiter().GetResult();

    [Benchmark]
    public Either<MtaStsError, Resolution> Warm_Sqlite() => sqlite.ResolveAsync("example.com").GetAwaiter().GetResult();

    [Benchmark]
    public Decision Warm_InMemory_ThenEnforce() =>
        memory.ResolveAsync(Domain).GetAwaiter().GetResult().Decide("mail.example.com");
}

/// <summary>An in-memory TXT port: id 20260601, TTL one hour (for the memory fill, a record of its own per domain).</summary>
internal sealed class BenchTxt(bool perDomain = false, bool canonical = true) : ITxtLookup
{
    private static readonly TxtAnswer Answer = new(TxtOutcome.From([["v=STSv1; id=20260601;"]]), TimeSpan.FromHours(1));

    public Task<TxtAnswer> LookupTxtAsync(PolicyDomain domain, CancellationToken cancellationToken = default) =>
        Task.FromResult(perDomain ? new TxtAnswer(TxtOutcome.From([[Record(domain.Value.GetHashCode() & 0x7fffffff)]]), TimeSpan.FromHours(1)) : Answer);

    private string Record(int id) => canonical ? $"v=STSv1; id={id};" : $"v=STSv1;id={id}";
}

/// <summary>An in-memory fetch port: the reference policy (or, for the memory fill, one per domain).</summary>
internal sealed class BenchFetch(bool perDomain = false) : IPolicyFetcher
{
    public Task<FetchOutcome> FetchAsync(PolicyDomain domain, CancellationToken cancellationToken = default) =>
        Task.FromResult(FetchOutcome.FromBody(perDomain
            ? $"version: STSv1\nmode: enforce\nmx: mail.{domain.Value}\nmx: *.mx.{domain.Value}\nmax_age: 604800\n"
            : Inputs.Policy));
}
