using System.Diagnostics;
using LanguageExt;
using Microsoft.Extensions.Time.Testing;
using MtaSts.Testing;

namespace MtaSts.Functional.Resolver.Tests.Caching;

/// <summary>The persistent cache: nothing written is lost, a bad file never stops the resolver.</summary>
[Collection(LoopbackCollection.Name)]
public sealed class SqliteCacheTests(Loopback world) : IDisposable
{
    private static readonly DateTimeOffset At = new(2026, 6, 1, 8, 0, 0, TimeSpan.Zero);
    private readonly string directory = Directory.CreateTempSubdirectory("mtasts-cache-").FullName;

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(directory, recursive: true);
    }

    private string File(string name = "cache.db") => Path.Combine(directory, name);

    private static CacheEntry Entry(string domain, bool withFailure = true)
    {
        var policy = Policy.Parse(Loopback.ValidPolicy).IfLeft(static e => throw new InvalidOperationException(e.Render()));
        var id = PolicyId.Create("v1").IfLeft(static e => throw new InvalidOperationException(e.Render()));
        var failure = withFailure
            ? new FailedFetch(PolicyId.Create("v2").IfLeft(static e => throw new InvalidOperationException(e.Render())), At.AddMinutes(3), new FetchFailure(FetchFailureKind.Certificate, "expired"))
            : Option<FailedFetch>.None;
        return new CacheEntry(domain.D(), new CachedPolicy(id, policy, Loopback.ValidPolicy, At, At.AddDays(1)), failure, At.AddMinutes(5));
    }

    [Fact]
    public async Task PutThenGet_OnANewInstance_RoundTripsEveryField()
    {
        var entry = Entry("example.test");
        await new SqlitePolicyCache(File()).PutAsync(entry);

        var reopened = new SqlitePolicyCache(File());

        Assert.Null(reopened.Problem);
        Assert.Equal(entry, (await reopened.GetAsync("example.test")).IfNone(() => throw new InvalidOperationException("lost")));
        Assert.Equal([entry], (await reopened.ListAsync()).ToArray());
        Assert.True(await reopened.RemoveAsync("example.test"));
        Assert.True((await new SqlitePolicyCache(File()).GetAsync("example.test")).IsNone);
    }

    [Fact]
    public async Task Resolver_AfterRestart_UsesThePersistedPolicy_WithoutFetching()
    {
        const string domain = "restart.sqlite.test";
        world.Publish(domain, "v1", Loopback.Serve(Loopback.ValidPolicy));
        var options = world.Options();
        options.CachePath = File();
        var clock = new FakeTimeProvider(At);
        using (var first = MtaStsResolver.Create(options, clock))
        {
            Assert.Equal(PolicySource.Live, (await first.ResolveAsync(domain)).Map(static r => r.Source).IfLeft(PolicySource.None));
        }

        clock.Advance(TimeSpan.FromHours(2));
        using var second = MtaStsResolver.Create(options, clock);
        var resolution = (await second.ResolveAsync(domain)).IfLeft(static e => throw new InvalidOperationException(e.Render()));

        Assert.Equal((PolicySource.Cache, 1), (resolution.Source, world.Https.Hits("mta-sts." + domain)));
        Assert.Equal(Loopback.ValidPolicy, resolution.Policy.Map(static p => p.Text));
    }

    [Fact]
    public async Task KilledWriter_LosesNothingCommitted()
    {
        var path = File("killed.db");
        var writer = Path.Combine(AppContext.BaseDirectory.Replace("MtaSts.Functional.Resolver.Tests", "MtaSts.Functional.Resolver.CacheWriter", StringComparison.Ordinal), "MtaSts.Functional.Resolver.CacheWriter.dll");
        using var process = Process.Start(new ProcessStartInfo("dotnet", [writer, path]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var last = -1;
        while (last < 50 && await process.StandardOutput.ReadLineAsync() is { } line)
        {
            last = int.Parse(line["committed ".Length..], System.Globalization.CultureInfo.InvariantCulture);
        }

        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
        Assert.True(last >= 50, "the writer committed entries before it was killed: " + await process.StandardError.ReadToEndAsync());

        var entries = await new SqlitePolicyCache(path).ListAsync();
        var domains = entries.Map(static e => e.Domain.Value).ToHashSet();
        Assert.All(Enumerable.Range(0, last + 1), n => Assert.Contains($"writer-{n}.test", domains));
        Assert.All(entries, static e => Assert.True(e.Policy.IsSome));
    }

    [Fact]
    public async Task CorruptFile_IsReported_AndTheCacheKeepsWorkingInMemory()
    {
        var path = File("corrupt.db");
        await System.IO.File.WriteAllBytesAsync(path, [.. System.Text.Encoding.ASCII.GetBytes("this is not a database "), .. new byte[4096]]);

        var cache = new SqlitePolicyCache(path);
        var entry = Entry("corrupt.test");
        await cache.PutAsync(entry);

        Assert.Contains("SQLite error 26", cache.Problem, StringComparison.Ordinal);
        Assert.Equal(entry, (await cache.GetAsync("corrupt.test")).IfNone(() => throw new InvalidOperationException("lost")));
    }

    [Fact]
    public async Task UnreadablePath_IsReported_AndTheResolverStillResolves()
    {
        const string domain = "unreadable.sqlite.test";
        world.Publish(domain, "v1", Loopback.Serve(Loopback.ValidPolicy));
        var options = world.Options();
        options.CachePath = Path.Combine(directory, "missing-directory", "cache.db");
        using var resolver = MtaStsResolver.Create(options);

        var resolution = await resolver.ResolveAsync(domain);

        Assert.Equal(PolicySource.Live, resolution.Map(static r => r.Source).IfLeft(PolicySource.None));
        Assert.Equal(PolicySource.Cache, (await resolver.ResolveAsync(domain)).Map(static r => r.Source).IfLeft(PolicySource.None));
    }

    [Fact]
    public async Task StoredPolicyThatNoLongerParses_IsDropped_BookkeepingKept()
    {
        await new SqlitePolicyCache(File()).PutAsync(Entry("tampered.test"));
        using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={File()}"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "UPDATE policy_cache SET policy_text = 'mode: enforce' WHERE domain = 'tampered.test';";
            command.ExecuteNonQuery();
        }

        var entry = (await new SqlitePolicyCache(File()).GetAsync("tampered.test")).IfNone(() => throw new InvalidOperationException("lost"));

        Assert.Equal((true, true), (entry.Policy.IsNone, entry.LastFailure.IsSome));
    }

    [Fact]
    public async Task ConcurrentCachesOnOneFile_AllWritesLand()
    {
        var caches = Enumerable.Range(0, 4).Select(_ => new SqlitePolicyCache(File("shared.db"))).ToArray();

        await Task.WhenAll(caches.Select((cache, c) => Task.Run(async () =>
        {
            for (var i = 0; i < 50; i++)
            {
                await cache.PutAsync(Entry($"c{c}-{i}.test", withFailure: i % 2 == 0));
                await cache.GetAsync($"c{(c + 1) % 4}-{i}.test");
            }
        })));

        Assert.All(caches, static c => Assert.Null(c.Problem));
        Assert.Equal(200, (await new SqlitePolicyCache(File("shared.db")).ListAsync()).Count);
    }
}
