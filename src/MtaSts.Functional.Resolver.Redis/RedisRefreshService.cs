using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MtaSts.Functional.Resolver.Redis;

/// <summary>
/// The fleet's proactive refresh as a hosted service (C-06): a <see cref="RedisRefreshPass"/> every
/// <see cref="MtaStsOptions.RefreshCheckInterval"/>; it takes the place of <see cref="MtaStsRefreshService"/> when the
/// cache is on Redis. Does nothing when <see cref="MtaStsOptions.ProactiveRefresh"/> is off.
/// </summary>
public sealed partial class RedisRefreshService : BackgroundService
{
    private readonly RedisRefreshPass pass;
    private readonly TimeProvider time;
    private readonly MtaStsOptions options;
    private readonly ILogger<RedisRefreshService> logger;

    /// <summary>Creates the service.</summary>
    /// <param name="pass">The pass.</param>
    /// <param name="time">The clock.</param>
    /// <param name="options">The options.</param>
    /// <param name="logger">The log.</param>
    public RedisRefreshService(RedisRefreshPass pass, TimeProvider time, IOptions<MtaStsOptions> options, ILogger<RedisRefreshService> logger)
    {
        this.pass = pass ?? throw new ArgumentNullException(nameof(pass));
        this.time = time ?? throw new ArgumentNullException(nameof(time));
        this.options = (options ?? throw new ArgumentNullException(nameof(options))).Value;
        this.logger = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    /// <inheritdoc/>
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        RefreshLoop.RunAsync(async ct => (await pass.RunAsync(ct).ConfigureAwait(false)).Count, n => LogPass(logger, n), time, options, stoppingToken);

    [LoggerMessage(Level = LogLevel.Debug, Message = "MTA-STS fleet refresh pass: {Count} leased policies refreshed by this node")]
    private static partial void LogPass(ILogger logger, int count);
}
