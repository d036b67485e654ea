namespace MtaSts.Functional.Resolver;

/// <summary>
/// The loop of a refresh hosted service (C-06): one pass, then <see cref="MtaStsOptions.RefreshCheckInterval"/> on the
/// clock, until the host stops; nothing when <see cref="MtaStsOptions.ProactiveRefresh"/> is off. Shared by
/// <see cref="MtaStsRefreshService"/> and the fleet's leased refresh service of the Redis cache.
/// </summary>
public static class RefreshLoop
{
    /// <summary>Runs passes until <paramref name="stoppingToken"/> is cancelled.</summary>
    /// <param name="pass">One pass; returns how many policies it refreshed.</param>
    /// <param name="passed">Told each pass's count (for the log).</param>
    /// <param name="time">The clock.</param>
    /// <param name="options">Whether to refresh, and how often to look.</param>
    /// <param name="stoppingToken">Stops the loop.</param>
    /// <returns>A task that ends when the loop stops.</returns>
    public static async Task RunAsync(Func<CancellationToken, Task<int>> pass, Action<int> passed, TimeProvider time, MtaStsOptions options, CancellationToken stoppingToken)
    {
        ArgumentNullException.ThrowIfNull(pass);
        ArgumentNullException.ThrowIfNull(passed);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(options);
        if (!options.ProactiveRefresh)
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                passed(await pass(stoppingToken).ConfigureAwait(false));
                await Task.Delay(options.RefreshCheckInterval, time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
        }
    }
}
