using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MtaSts.Functional.Resolver;

namespace MtaSts.Postfix;

/// <summary>
/// An optional Prometheus scrape endpoint (<c>--metrics IP:PORT</c>, <c>GET /metrics</c>, text format 0.0.4):
/// a <see cref="MeterListener"/> over the server's and the resolver's meters. Counters and up-down counters
/// are exported as totals per tag set; the query duration histogram as <c>_count</c>, <c>_sum</c> and
/// cumulative <c>_bucket</c>s.
/// </summary>
internal sealed partial class PrometheusEndpoint : BackgroundService
{
    private static readonly double[] Bounds = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.05, 0.25, 1, 5, 30];

    private readonly IPEndPoint endPoint;
    private readonly ILogger logger;
    private readonly MeterListener listener = new();
    private readonly ConcurrentDictionary<(string Name, string Tags), double> sums = new();
    private readonly ConcurrentDictionary<string, Histogram> histograms = new();
    private readonly ConcurrentDictionary<string, string> kinds = new();

    public PrometheusEndpoint(string address, ILogger<PrometheusEndpoint> logger)
    {
        endPoint = IPEndPoint.TryParse(address, out var ip) && ip.Port != 0 ? ip : throw new FormatException($"--metrics '{address}': expected IP:PORT");
        this.logger = logger;
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name is PostfixMetrics.MeterName or MtaStsMetrics.MeterName)
            {
                kinds[Name(instrument.Name)] = instrument is Histogram<double> ? "histogram" : instrument.GetType().Name.StartsWith("UpDown", StringComparison.Ordinal) ? "gauge" : "counter";
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Add(instrument, value, tags));
        listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Add(instrument, value, tags));
        listener.Start();
    }

    /// <summary>The page: every series, sorted by name.</summary>
    internal string Render()
    {
        var text = new StringBuilder();
        foreach (var group in sums.GroupBy(static s => s.Key.Name).OrderBy(static g => g.Key, StringComparer.Ordinal))
        {
            text.Append("# TYPE ").Append(group.Key).Append(' ').Append(kinds.GetValueOrDefault(group.Key, "counter")).Append('\n');
            foreach (var series in group.OrderBy(static s => s.Key.Tags, StringComparer.Ordinal))
            {
                text.Append(group.Key).Append(series.Key.Tags).Append(' ').Append(Number(series.Value)).Append('\n');
            }
        }

        foreach (var (name, histogram) in histograms.OrderBy(static h => h.Key, StringComparer.Ordinal))
        {
            text.Append("# TYPE ").Append(name).Append(" histogram\n");
            lock (histogram)
            {
                long cumulative = 0;
                for (var i = 0; i < Bounds.Length; i++)
                {
                    cumulative += histogram.Buckets[i];
                    text.Append(name).Append("_bucket{le=\"").Append(Number(Bounds[i])).Append("\"} ").Append(cumulative).Append('\n');
                }

                text.Append(name).Append("_bucket{le=\"+Inf\"} ").Append(histogram.Count).Append('\n');
                text.Append(name).Append("_sum ").Append(Number(histogram.Sum)).Append('\n');
                text.Append(name).Append("_count ").Append(histogram.Count).Append('\n');
            }
        }

        return text.ToString();
    }

    public override void Dispose()
    {
        listener.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var socket = new TcpListener(endPoint);
        socket.Start();
        LogListening(logger, endPoint);
        while (!stoppingToken.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await socket.AcceptTcpClientAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            _ = Task.Run(() => ServeAsync(client, stoppingToken), CancellationToken.None);
        }
    }

    private static string Name(string instrument) => instrument.Replace('.', '_');

    private static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static string Tags(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (tags.IsEmpty)
        {
            return string.Empty;
        }

        var parts = new List<string>(tags.Length);
        foreach (var tag in tags)
        {
            var value = Convert.ToString(tag.Value, CultureInfo.InvariantCulture) ?? string.Empty;
            parts.Add($"{tag.Key.Replace('.', '_')}=\"{value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)}\"");
        }

        parts.Sort(StringComparer.Ordinal);
        return "{" + string.Join(',', parts) + "}";
    }

    private void Add(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var name = Name(instrument.Name);
        if (instrument is Histogram<double>)
        {
            var histogram = histograms.GetOrAdd(name, static _ => new Histogram());
            lock (histogram)
            {
                var i = Array.FindIndex(Bounds, b => value <= b);
                if (i >= 0)
                {
                    histogram.Buckets[i]++;
                }

                histogram.Count++;
                histogram.Sum += value;
            }

            return;
        }

        sums.AddOrUpdate((name + (kinds.GetValueOrDefault(name) == "counter" ? "_total" : string.Empty), Tags(tags)), value, (_, old) => old + value);
        kinds.TryAdd(name + "_total", "counter");
    }

    private async Task ServeAsync(TcpClient client, CancellationToken stoppingToken)
    {
        using (client)
        {
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                timeout.CancelAfter(TimeSpan.FromSeconds(10));
                var stream = client.GetStream();
                var request = new byte[4096];
                var length = 0;
                while (length < request.Length && request.AsSpan(0, length).IndexOf("\r\n\r\n"u8) < 0)
                {
                    var n = await stream.ReadAsync(request.AsMemory(length), timeout.Token).ConfigureAwait(false);
                    if (n == 0)
                    {
                        return;
                    }

                    length += n;
                }

                var line = Encoding.ASCII.GetString(request, 0, length).Split("\r\n")[0];
                var ok = line.StartsWith("GET /metrics ", StringComparison.Ordinal);
                var body = ok ? Render() : "not found\n";
                var bytes = Encoding.UTF8.GetBytes(body);
                var head = $"HTTP/1.1 {(ok ? "200 OK" : "404 Not Found")}\r\nContent-Type: text/plain; version=0.0.4; charset=utf-8\r\nContent-Length: {bytes.Length}\r\nConnection: close\r\n\r\n";
                await stream.WriteAsync(Encoding.ASCII.GetBytes(head), timeout.Token).ConfigureAwait(false);
                await stream.WriteAsync(bytes, timeout.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException)
            {
                // A scraper that went away.
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Prometheus metrics on http://{EndPoint}/metrics")]
    private static partial void LogListening(ILogger logger, IPEndPoint endPoint);

    private sealed class Histogram
    {
        public long[] Buckets { get; } = new long[Bounds.Length];

        public long Count { get; set; }

        public double Sum { get; set; }
    }
}
