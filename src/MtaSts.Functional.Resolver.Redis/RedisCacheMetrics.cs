using System.Diagnostics.Metrics;

namespace MtaSts.Functional.Resolver.Redis;

/// <summary>
/// The Redis cache's instruments (meter <see cref="MeterName"/>): <c>mtasts.redis.available</c> (1 while Redis
/// answers, 0 during an outage), <c>mtasts.redis.errors</c> by operation, <c>mtasts.redis.pending</c> (writes kept
/// in memory until Redis is back), <c>mtasts.redis.invalid_entries</c> (corrupt or foreign values read),
/// <c>mtasts.redis.notices</c> (change notices from other nodes).
/// </summary>
internal sealed class RedisCacheMetrics : IDisposable
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "MtaSts.Functional.Resolver.Redis";

    private readonly Counter<long> errors;
    private readonly Counter<long> invalid;
    private readonly Counter<long> notices;

    public RedisCacheMetrics(IMeterFactory? meterFactory, Func<bool> available, Func<int> pending)
    {
        Meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        Meter.CreateObservableGauge("mtasts.redis.available", () => available() ? 1 : 0, description: "1 while Redis answers, 0 during an outage");
        Meter.CreateObservableGauge("mtasts.redis.pending", pending, description: "Entries written during an outage, not yet in Redis");
        errors = Meter.CreateCounter<long>("mtasts.redis.errors", description: "Redis operations that failed or timed out, by operation");
        invalid = Meter.CreateCounter<long>("mtasts.redis.invalid_entries", description: "Corrupt or foreign values found under entry keys");
        notices = Meter.CreateCounter<long>("mtasts.redis.notices", description: "Change notices received from other nodes");
    }

    public Meter Meter { get; }

    public void Error(string operation) => errors.Add(1, new KeyValuePair<string, object?>("operation", operation));

    public void Invalid() => invalid.Add(1);

    public void Notice() => notices.Add(1);

    public void Dispose() => Meter.Dispose();
}
