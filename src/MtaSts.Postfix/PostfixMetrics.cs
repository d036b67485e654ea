using System.Diagnostics.Metrics;

namespace MtaSts.Postfix;

/// <summary>
/// The server's instruments (meter <see cref="MeterName"/>): <c>mtasts.postfix.queries</c> by reply kind
/// and map, <c>mtasts.postfix.query.duration</c> (seconds), <c>mtasts.postfix.dane</c> by DANE answer,
/// <c>mtasts.postfix.connections</c> (open now) and <c>mtasts.postfix.protocol_errors</c> by error. Cache hits and
/// fetches are the resolver's (<c>mtasts.cache.hits</c>, <c>mtasts.fetches</c>).
/// </summary>
internal sealed class PostfixMetrics : IDisposable
{
    public const string MeterName = "MtaSts.Postfix";

    private readonly Meter meter;
    private readonly Counter<long> queries;
    private readonly Histogram<double> duration;
    private readonly Counter<long> dane;
    private readonly UpDownCounter<long> connections;
    private readonly Counter<long> protocolErrors;

    public PostfixMetrics(IMeterFactory? meterFactory = null)
    {
        meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        queries = meter.CreateCounter<long>("mtasts.postfix.queries", description: "Socketmap queries answered, by reply kind and map");
        duration = meter.CreateHistogram<double>("mtasts.postfix.query.duration", unit: "s", description: "Time from a whole request to its reply");
        dane = meter.CreateCounter<long>("mtasts.postfix.dane", description: "DANE check answers (dane-only, dane, temp)");
        connections = meter.CreateUpDownCounter<long>("mtasts.postfix.connections", description: "Open socketmap connections");
        protocolErrors = meter.CreateCounter<long>("mtasts.postfix.protocol_errors", description: "Connections closed for a malformed netstring, by error");
    }

    public void Query(string kind, string map, double seconds)
    {
        queries.Add(1, new KeyValuePair<string, object?>("reply", kind), new KeyValuePair<string, object?>("map", map));
        duration.Record(seconds);
    }

    public void Dane(string answer) => dane.Add(1, new KeyValuePair<string, object?>("answer", answer));

    public void Connection(int delta) => connections.Add(delta);

    public void ProtocolError(string error) => protocolErrors.Add(1, new KeyValuePair<string, object?>("error", error));

    public void Dispose() => meter.Dispose();
}
