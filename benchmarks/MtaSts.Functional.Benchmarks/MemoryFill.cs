using System.Diagnostics;
using LanguageExt;
using Microsoft.Extensions.Time.Testing;
using MtaSts.Functional.Lifecycle;
using MtaSts.Functional.Resolver;

namespace MtaSts.Functional.Benchmarks;

/// <summary>
/// Fills the resolver's in-memory front with generated domains, each with its own fetched and parsed
/// policy (two mx patterns naming the domain) and TXT answer, through the real cold path, and reports
/// the managed heap growth per domain. The storage keeps nothing (so the figure is the front alone).
/// Run: <c>dotnet run -c Release --project benchmarks/MtaSts.Functional.Benchmarks -- memory [count] [raw]</c>
/// (<c>raw</c>: TXT records not in canonical form).
/// Target (issue 13): at most 1 KiB per domain at 1,000,000 domains.
/// </summary>
internal static class MemoryFill
{
    /// <param name="count">How many domains.</param>
    /// <param name="canonical">
    /// Whether each TXT record is published in canonical form (<c>v=STSv1; id=N;</c>, kept once as its parsed
    /// record) or not (<c>v=STSv1;id=N</c>, whose raw string is kept beside it).
    /// </param>
    public static int Run(int count, bool canonical = true)
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 6, 1, 8, 0, 0, TimeSpan.Zero));
        using var resolver = new MtaStsResolver(new NothingKept(), new BenchTxt(perDomain: true, canonical), new BenchFetch(perDomain: true), clock, new MtaStsOptions());
        var names = new string[count];
        for (var i = 0; i < count; i++)
        {
            names[i] = $"d{i:D7}.example-{i % 997}.test";
        }

        var before = GC.GetTotalMemory(forceFullCollection: true);
        var watch = Stopwatch.StartNew();
        foreach (var name in names)
        {
            var resolution = resolver.ResolveAsync(name).GetAwaiter().GetResult();
            if (resolution.Match(static r => r.Source, static _ => PolicySource.None) != PolicySource.Live)
            {
                throw new InvalidOperationException($"{name}: not fetched");
            }
        }

        watch.Stop();
        var filled = GC.GetTotalMemory(forceFullCollection: true);

        // After the TXT grace the answers are forgotten by the next housekeeping pass: the steady state.
        clock.Advance(TimeSpan.FromMinutes(2));
        resolver.ResolveAsync(names[0]).GetAwaiter().GetResult();
        resolver.LastFlush.GetAwaiter().GetResult();
        var steady = GC.GetTotalMemory(forceFullCollection: true);
        double PerDomain(long bytes) => (bytes - before) / (double)count;
        Console.WriteLine($"domains: {resolver.CachedDomains:N0} (each with its own policy of two mx patterns and its own TXT record, {(canonical ? "canonical" : "not canonical")}); fill took {watch.Elapsed.TotalSeconds:N1} s");
        Console.WriteLine($"inside the TXT grace: {(filled - before) / 1048576.0:N1} MiB, {PerDomain(filled):N0} B per domain");
        Console.WriteLine($"after the grace (steady state): {(steady - before) / 1048576.0:N1} MiB, {PerDomain(steady):N0} B per domain");
        Console.WriteLine($"(the names themselves, {names[0].Length * 2 + 22} B each, were allocated before and are not counted)");
        GC.KeepAlive(names);
        return PerDomain(filled) <= 1024 ? 0 : 1;
    }

    /// <summary>A storage that keeps nothing.</summary>
    private sealed class NothingKept : IPolicyCache
    {
        public ValueTask<Option<CacheEntry>> GetAsync(PolicyDomain domain, CancellationToken cancellationToken = default) => ValueTask.FromResult(Option<CacheEntry>.None);

        public ValueTask PutAsync(CacheEntry entry, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

        public ValueTask<bool> RemoveAsync(PolicyDomain domain, CancellationToken cancellationToken = default) => ValueTask.FromResult(false);

        public ValueTask<Seq<CacheEntry>> ListAsync(CancellationToken cancellationToken = default) => ValueTask.FromResult(Seq<CacheEntry>.Empty);
    }
}
