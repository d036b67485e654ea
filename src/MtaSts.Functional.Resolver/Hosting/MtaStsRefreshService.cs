using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MtaSts.Functional.Resolver;

/// <summary>
/// The proactive refresh as a hosted service (C-06): a <see cref="PolicyRefresher"/> pass every
/// <see cref="MtaStsOptions.RefreshCheckInterval"/> on the registered <see cref="TimeProvider"/>.
/// Does nothing when <see cref="MtaStsOptions.ProactiveRefresh"/> is off.
/// </summary>
public sealed partial class MtaStsRefreshService : BackgroundService
{
    private readonly PolicyRefresher refresher;
    private readonly TimeProvider time;
    private readonly MtaStsOptions options;
    private readonly ILogger<MtaStsRefreshService> logger;

    /// <summary>Creates the service.</summary>
    /// <param name="refresher">The pass.</param>
    /// <param name="time">The clock.</param>
    /// <param name="options">The options.</param>
    /// <param name="logger">The log.</param>
    public MtaStsRefreshService(PolicyRefresher refresher, TimeProvider time, IOptions<MtaStsOptions> options, ILogger<MtaStsRefreshService> logger)
    {
        this.refresher = refresher ?? throw new ArgumentNullException(nameof(refresher));
        this.time = time ?? throw new ArgumentNullException(nameof(time));
        this.options = (options ?? throw new ArgumentNullException(nameof(options))).Value;
        this.logger = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    /// <inheritdoc/>
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        RefreshLoop.RunAsync(async ct => (await refresher.RefreshDueAsync(ct).ConfigureAwait(false)).Count, n => LogPass(logger, n), time, options, stoppingToken);

    [LoggerMessage(Level = LogLevel.Debug, Message = "MTA-STS refresh pass: {Count} policies refreshed")]
    private static partial void LogPass(ILogger logger, int count);
}
