using System.Diagnostics;
using System.Globalization;
using MtaSts.Functional.Benchmarks.Baseline;

namespace MtaSts.Functional.Benchmarks;

/// <summary>
/// The <see cref="ParseBenchmarks"/> comparison for a shared, loaded machine: the Pidgin parse and the
/// hand-written baseline of each input are timed in alternating chunks, and the fastest chunk of each
/// counts. A chunk that another process interrupted is only slower, so the minimum of many alternating
/// chunks approaches the uninterrupted time of both, taken under the same conditions; BenchmarkDotNet's
/// short job measures the two one after the other, and on a loaded machine their ratio then says more
/// about the load than about the parsers. Allocation per parse is measured exactly, once warm.
/// </summary>
public static class ParseRatios
{
    public static int Run(int rounds)
    {
        var inputs = new (string Name, Func<object?> Baseline, Func<object?> Pidgin, int Chunk)[]
        {
            ("record", static () => HandwrittenParser.ParseRecord(Inputs.Record), static () => StsRecord.Parse(Inputs.Record), 2000),
            ("policy (reference input, LF)", static () => HandwrittenParser.ParsePolicy(Inputs.Policy), static () => Policy.Parse(Inputs.Policy), 2000),
            ("RFC 8461 §3.2 policy (CRLF)", static () => HandwrittenParser.ParsePolicy(Inputs.Rfc8461Policy), static () => Policy.Parse(Inputs.Rfc8461Policy), 2000),
            ("policy with 50 mx", static () => HandwrittenParser.ParsePolicy(Inputs.Policy50Mx), static () => Policy.Parse(Inputs.Policy50Mx), 200),
        };
        Console.WriteLine($"| Input | Baseline | Pidgin | Ratio | Baseline alloc | Pidgin alloc |  ({rounds} alternating chunks each, fastest chunk)");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|");
        foreach (var (name, baseline, pidgin, chunk) in inputs)
        {
            for (var i = 0; i < rounds / 2; i++)
            {
                _ = Time(baseline, chunk);
                _ = Time(pidgin, chunk);
            }

            double fastestBaseline = double.MaxValue, fastestPidgin = double.MaxValue;
            for (var i = 0; i < rounds; i++)
            {
                fastestBaseline = Math.Min(fastestBaseline, Time(baseline, chunk));
                fastestPidgin = Math.Min(fastestPidgin, Time(pidgin, chunk));
            }

            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"| {name} | {fastestBaseline:F0} ns | {fastestPidgin:F0} ns | {fastestPidgin / fastestBaseline:F2}× | {Allocated(baseline)} B | {Allocated(pidgin)} B |"));
        }

        return 0;
    }

    private static double Time(Func<object?> parse, int count)
    {
        var start = Stopwatch.GetTimestamp();
        for (var i = 0; i < count; i++)
        {
            _ = parse();
        }

        return Stopwatch.GetElapsedTime(start).TotalNanoseconds / count;
    }

    private static long Allocated(Func<object?> parse)
    {
        const int count = 1000;
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < count; i++)
        {
            _ = parse();
        }

        return (GC.GetAllocatedBytesForCurrentThread() - before) / count;
    }
}
