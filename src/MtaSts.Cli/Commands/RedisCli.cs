using LanguageExt;
using Microsoft.Extensions.DependencyInjection;
using MtaSts.Functional.Resolver;
using MtaSts.Functional.Resolver.Redis;

namespace MtaSts.Cli;

/// <summary><c>--redis CONNSTRING</c> on check, scan and cache: the fleet's shared cache instead of a local one.</summary>
internal static class RedisCli
{
    public static System.CommandLine.Option<string?> Create() => new("--redis")
    {
        Description = "Use the fleet's shared cache on Redis (a StackExchange.Redis connection string, e.g. 127.0.0.1:6379); with --cache, that file is this machine's fallback",
    };

    /// <summary>The shared cache, or one clear line (a wrong connection string, an unreachable server) with exit code 3.</summary>
    public static async Task<Either<CliFailure, RedisPolicyCache>> CacheAsync(string redis) =>
        (await RedisPolicyCache.ConnectAsync(redis, Options(), requireConnection: true).ConfigureAwait(false))
            .MapLeft(problem => new CliFailure(ExitCodes.Network, $"--redis: {problem}"));

    /// <summary>
    /// A resolver on <paramref name="options"/>: as <see cref="MtaStsResolver.Create"/> without <paramref name="redis"/>;
    /// with it, through <c>AddMtaStsRedis</c> on a connection checked first. Dispose the owner when done.
    /// </summary>
    public static async Task<Either<CliFailure, (MtaStsResolver Resolver, IAsyncDisposable Owner)>> ResolverAsync(MtaStsOptions options, string? redis)
    {
        if (redis is null)
        {
            var plain = MtaStsResolver.Create(options);
            return (plain, new Owner(plain));
        }

        var connected = await RedisPolicyCache.ConnectMultiplexerAsync(redis, Options(), requireConnection: true).ConfigureAwait(false);
        // A Match into a tuple: the Right type is an interface, which Either's explicit conversion cannot target.
        var (connection, problem) = connected.Match(
            Right: static c => (c, (string?)null),
            Left: static p => ((StackExchange.Redis.IConnectionMultiplexer?)null, (string?)p));
        if (connection is null)
        {
            return new CliFailure(ExitCodes.Network, $"--redis: {problem}");
        }

        var services = new ServiceCollection();
        services.AddSingleton(Microsoft.Extensions.Options.Options.Create(options));
        services.AddMtaStsRedis(o =>
        {
            o.Multiplexer = connection;
            o.OperationTimeout = Options().OperationTimeout;
        });
        var provider = services.BuildServiceProvider();
        return ((MtaStsResolver)provider.GetRequiredService<IMtaStsResolver>(), new Owner(provider, connection));
    }

    /// <summary>The CLI waits longer for Redis than a mail server would (nothing is being delivered).</summary>
    private static MtaStsRedisOptions Options() => new() { OperationTimeout = TimeSpan.FromSeconds(5) };

    private sealed class Owner(params IDisposable[] owned) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            foreach (var o in owned)
            {
                o.Dispose();
            }

            return ValueTask.CompletedTask;
        }
    }
}
