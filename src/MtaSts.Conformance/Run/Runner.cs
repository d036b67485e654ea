using System.Text.Json.Nodes;
using MtaSts.Conformance.Vectors;

namespace MtaSts.Conformance.Run;

/// <summary>How to run the implementation under test.</summary>
/// <param name="Command">The program.</param>
/// <param name="Args">Its arguments.</param>
/// <param name="Profile">The profile named in <c>hello</c>.</param>
/// <param name="Timeout">The bound on each answer.</param>
internal sealed record RunOptions(string Command, IReadOnlyList<string> Args, Profiles Profile, TimeSpan Timeout);

/// <summary>What the adapter said about itself in <c>hello</c>.</summary>
internal sealed record Implementation(string Name, string Version, IReadOnlySet<string>? Kinds);

/// <summary>One vector and its verdict.</summary>
internal sealed record VectorResult(Vector Vector, Verdict Verdict);

/// <summary>A whole run: the results in vector order, how often the adapter was restarted, and why the run stopped early (if it did).</summary>
internal sealed record RunResult(Implementation Implementation, IReadOnlyList<VectorResult> Results, int Restarts, string? Stopped)
{
    /// <summary>Exit code 0 all passed, 1 failures, 3 the implementation could not be run (or restarted).</summary>
    public int ExitCode => Stopped is not null ? 3 : Results.Any(static r => r.Verdict.Failed) ? 1 : 0;
}

/// <summary>
/// Runs vectors through an adapter in lock-step (docs/conformance-protocol.md). A crash, a hang or a garbled answer
/// is that vector's verdict: the adapter is restarted and the run goes on; only an adapter that cannot be started
/// (or restarted three times in a row) stops it.
/// </summary>
internal sealed class Runner
{
    /// <summary>Restarts in a row that may fail their <c>hello</c> before the run stops.</summary>
    public const int RestartAttempts = 3;

    private static readonly TimeSpan HelloTimeout = TimeSpan.FromSeconds(30);

    private readonly RunOptions options;
    private long seq;

    private Runner(RunOptions options) => this.options = options;

    /// <summary>The run; <c>(null, error)</c> when the adapter cannot be started or its first <c>hello</c> fails.</summary>
    public static async Task<(RunResult? Result, string? Error)> RunAsync(IReadOnlyList<Vector> vectors, RunOptions options, CancellationToken cancellationToken = default)
    {
        var runner = new Runner(options);
        var (adapter, implementation, error) = await runner.StartAsync(cancellationToken).ConfigureAwait(false);
        if (adapter is null)
        {
            return (null, error);
        }

        var results = new List<VectorResult>(vectors.Count);
        var restarts = 0;
        string? stopped = null;
        try
        {
            foreach (var vector in vectors)
            {
                if (stopped is not null)
                {
                    results.Add(new VectorResult(vector, new Verdict(Outcome.NotRun, stopped, null)));
                    continue;
                }

                if (adapter is null)
                {
                    restarts++;
                    for (var attempt = 1; adapter is null && attempt <= RestartAttempts; attempt++)
                    {
                        (adapter, _, error) = await runner.StartAsync(cancellationToken).ConfigureAwait(false);
                    }

                    if (adapter is null)
                    {
                        stopped = $"the adapter could not be restarted ({RestartAttempts} attempts): {error}";
                        results.Add(new VectorResult(vector, new Verdict(Outcome.NotRun, stopped, null)));
                        continue;
                    }
                }

                if (implementation!.Kinds is { } kinds && !kinds.Contains(vector.Kind))
                {
                    results.Add(new VectorResult(vector, new Verdict(Outcome.NotSupported, $"the adapter's hello does not list {vector.Kind}", null)));
                    continue;
                }

                var (verdict, restart) = await runner.SendAsync(adapter, vector, cancellationToken).ConfigureAwait(false);
                results.Add(new VectorResult(vector, verdict));
                if (restart)
                {
                    await adapter.DisposeAsync().ConfigureAwait(false);
                    adapter = null;
                }
            }
        }
        finally
        {
            if (adapter is not null)
            {
                await adapter.DisposeAsync().ConfigureAwait(false);
            }
        }

        return (new RunResult(implementation!, results, restarts, stopped), null);
    }

    /// <summary>A request line: <c>seq</c> first, then the vector's request.</summary>
    internal static string RequestLine(long seq, JsonObject request)
    {
        var line = new JsonObject { ["seq"] = seq };
        foreach (var (name, value) in request)
        {
            line[name] = value?.DeepClone();
        }

        return line.ToJsonString();
    }

    private async Task<(Verdict Verdict, bool Restart)> SendAsync(AdapterProcess adapter, Vector vector, CancellationToken cancellationToken)
    {
        var s = seq++;
        var exchange = await adapter.ExchangeAsync(RequestLine(s, vector.Request), options.Timeout, cancellationToken).ConfigureAwait(false);
        switch (exchange)
        {
            case Exchange.Line line:
                var verdict = Judge.Answer(vector, s, line.Text);
                return (verdict, verdict.Outcome == Outcome.Garbled);
            case Exchange.Timeout timeout:
                return (new Verdict(Outcome.Hang, $"no answer within {timeout.After.TotalSeconds:0.###} s; killed and restarted{Stderr(adapter)}", null), true);
            case Exchange.Closed closed:
                var how = closed.ExitCode is { } code ? $"exited with code {code}" : "closed its stdout";
                return (new Verdict(Outcome.Crash, $"the adapter {how} before answering; restarted{Stderr(adapter)}", null), true);
            default:
                throw new InvalidOperationException($"unknown exchange {exchange}");
        }
    }

    /// <summary>Starts the adapter and sends <c>hello</c>; the adapter and what it said, or why not.</summary>
    private async Task<(AdapterProcess? Adapter, Implementation? Implementation, string? Error)> StartAsync(CancellationToken cancellationToken)
    {
        var (adapter, error) = AdapterProcess.Start(options.Command, options.Args);
        if (adapter is null)
        {
            return (null, null, error);
        }

        var s = seq++;
        var hello = new JsonObject { ["seq"] = s, ["kind"] = "hello", ["protocol"] = 1, ["profile"] = options.Profile == Profiles.Lenient ? "lenient" : "strict" };
        var timeout = options.Timeout > HelloTimeout ? options.Timeout : HelloTimeout;
        var exchange = await adapter.ExchangeAsync(hello.ToJsonString(), timeout, cancellationToken).ConfigureAwait(false);
        var (implementation, problem) = exchange switch
        {
            Exchange.Line line => ParseHello(line.Text, s),
            Exchange.Timeout => (null, $"no answer to hello within {timeout.TotalSeconds:0} s"),
            Exchange.Closed closed => (null, closed.ExitCode is { } code ? $"the adapter exited with code {code} before answering hello" : "the adapter closed its stdout before answering hello"),
            _ => (null, "unknown exchange"),
        };
        if (implementation is null)
        {
            var stderr = Stderr(adapter);
            await adapter.DisposeAsync().ConfigureAwait(false);
            return (null, null, problem + stderr);
        }

        return (adapter, implementation, null);
    }

    private static (Implementation? Implementation, string? Problem) ParseHello(string line, long seq)
    {
        JsonObject? answer;
        try
        {
            answer = JsonNode.Parse(line) as JsonObject;
        }
        catch (System.Text.Json.JsonException)
        {
            answer = null;
        }

        if (answer is null || answer["seq"] is not JsonValue s || !s.TryGetValue<long>(out var answered) || answered != seq)
        {
            return (null, $"the answer to hello is not {{\"seq\":{seq},…}}: {Cut(line)}");
        }

        if (answer["protocol"] is not JsonValue p || !p.TryGetValue<int>(out var protocol) || protocol != 1)
        {
            return (null, $"the adapter speaks protocol {answer["protocol"]?.ToJsonString() ?? "(none)"}, the kit 1");
        }

        HashSet<string>? kinds = null;
        if (answer["kinds"] is JsonArray list)
        {
            kinds = [.. list.OfType<JsonValue>().Select(static k => k.TryGetValue<string>(out var kind) ? kind : string.Empty)];
        }

        return (new Implementation(Text(answer["name"]) ?? "(unnamed)", Text(answer["version"]) ?? string.Empty, kinds), null);
    }

    private static string? Text(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var text) ? text : null;

    private static string Stderr(AdapterProcess adapter) => adapter.StderrTail is { Length: > 0 } tail ? $"; stderr: {tail}" : string.Empty;

    private static string Cut(string line) => line.Length > 200 ? line[..200] + "…" : line;
}
