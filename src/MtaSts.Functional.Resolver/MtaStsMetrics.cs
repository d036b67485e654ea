using System.Diagnostics.Metrics;

using MtaSts.Functional.Lifecycle;

namespace MtaSts.Functional.Resolver;

/// <summary>
/// The resolver's instruments (meter <see cref="MeterName"/>): <c>mtasts.lookups</c> by source,
/// <c>mtasts.cache.hits</c>, <c>mtasts.fetches</c> by outcome, <c>mtasts.failures</c> by type
/// (an RFC 8460 result type, <c>dns-temporary-failure</c> or <c>txt-unusable</c>).
/// </summary>
public sealed class MtaStsMetrics : IDisposable
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "MtaSts.Functional.Resolver";

    private readonly Meter meter;
    private readonly Counter<long> lookups;
    private readonly Counter<long> cacheHits;
    private readonly Counter<long> fetches;
    private readonly Counter<long> failures;

    /// <summary>Creates the instruments from <paramref name="meterFactory"/>, or on a meter of its own.</summary>
    /// <param name="meterFactory">The host's meter factory, if any.</param>
    public MtaStsMetrics(IMeterFactory? meterFactory = null)
    {
        meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        lookups = meter.CreateCounter<long>("mtasts.lookups", description: "Policy lookups, by where the applied policy came from");
        cacheHits = meter.CreateCounter<long>("mtasts.cache.hits", description: "Lookups answered by a valid cached policy");
        fetches = meter.CreateCounter<long>("mtasts.fetches", description: "HTTPS policy fetches, by outcome");
        failures = meter.CreateCounter<long>("mtasts.failures", description: "Discovery failures, by type");
    }

    internal void Lookup(PolicySource source)
    {
        lookups.Add(1, new KeyValuePair<string, object?>("source", source switch
        {
            PolicySource.Cache => "cache",
            PolicySource.Live => "live",
            _ => "none",
        }));
        if (source == PolicySource.Cache)
        {
            cacheHits.Add(1);
        }
    }

    internal void Fetch(FetchOutcome outcome) =>
        fetches.Add(1, new KeyValuePair<string, object?>("outcome", outcome is FetchOutcome.Fetched ? "ok" : "failed"));

    internal void Failure(string type) => failures.Add(1, new KeyValuePair<string, object?>("type", type));

    /// <inheritdoc/>
    public void Dispose() => meter.Dispose();
}
