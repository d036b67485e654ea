using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using MtaSts.Functional.Benchmarks.Baseline;

namespace MtaSts.Functional.Benchmarks;

/// <summary>
/// Parsing, the Pidgin grammars against the hand-written span baseline in the same run (Ratio column,
/// one baseline per category).
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class ParseBenchmarks
{
    [Benchmark(Baseline = true), BenchmarkCategory("record")]
    public StsRecord? Record_Handwritten() => HandwrittenParser.ParseRecord(Inputs.Record);

    [Benchmark, BenchmarkCategory("record")]
    public object Record_Pidgin() => StsRecord.Parse(Inputs.Record);

    [Benchmark(Baseline = true), BenchmarkCategory("policy")]
    public Policy? Policy_Handwritten() => HandwrittenParser.ParsePolicy(Inputs.Policy);

    [Benchmark, BenchmarkCategory("policy")]
    public object Policy_Pidgin() => Policy.Parse(Inputs.Policy);

    [Benchmark(Baseline = true), BenchmarkCategory("rfc-policy-crlf")]
    public Policy? RfcPolicyCrlf_Handwritten() => HandwrittenParser.ParsePolicy(Inputs.Rfc8461Policy);

    [Benchmark, BenchmarkCategory("rfc-policy-crlf")]
    public object RfcPolicyCrlf_Pidgin() => Policy.Parse(Inputs.Rfc8461Policy);

    [Benchmark(Baseline = true), BenchmarkCategory("policy-50-mx")]
    public Policy? Policy50Mx_Handwritten() => HandwrittenParser.ParsePolicy(Inputs.Policy50Mx);

    [Benchmark, BenchmarkCategory("policy-50-mx")]
    public object Policy50Mx_Pidgin() => Policy.Parse(Inputs.Policy50Mx);

    [Benchmark, BenchmarkCategory("txt-record-set")]
    public object FromTxtRecords_3() => StsRecord.FromTxtRecords(Inputs.TxtRecords);
}

/// <summary>Canonical printing.</summary>
[MemoryDiagnoser]
public class RenderBenchmarks
{
    private readonly StsRecord record = HandwrittenParser.ParseRecord(Inputs.Record)!;
    private readonly Policy policy = HandwrittenParser.ParsePolicy(Inputs.Policy)!;

    [Benchmark]
    public string Render_Record() => record.Render();

    [Benchmark]
    public string Render_Policy() => policy.Render();
}
