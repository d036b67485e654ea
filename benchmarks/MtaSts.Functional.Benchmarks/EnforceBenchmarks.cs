using BenchmarkDotNet.Attributes;

namespace MtaSts.Functional.Benchmarks;

/// <summary>The per-delivery hot path: MX matching and the enforce decision. Target: 0 bytes allocated.</summary>
[MemoryDiagnoser]
public class EnforceBenchmarks
{
    private readonly MxPattern literal = Pattern("mail.example.com");
    private readonly MxPattern wildcard = Pattern("*.example.com");
    private readonly Policy policy = Policy.Parse(Inputs.Policy).Match(static p => p, static e => throw new InvalidOperationException(e.Render()));

    [Benchmark]
    public bool Match_Literal() => Enforcement.MxMatches(literal, "mail.example.com");

    [Benchmark]
    public bool Match_WildcardHit() => Enforcement.MxMatches(wildcard, "mx1.example.com");

    [Benchmark]
    public bool Match_WildcardMiss() => Enforcement.MxMatches(wildcard, "a.b.example.com");

    [Benchmark]
    public Decision Enforce_FirstPattern() => Enforcement.Enforce(policy, "mail.example.com");

    [Benchmark]
    public Decision Enforce_LastPattern() => Enforcement.Enforce(policy, "primary.mx.example.net");

    [Benchmark]
    public Decision Enforce_NoMatch() => Enforcement.Enforce(policy, "attacker.com");

    private static MxPattern Pattern(string text) => MxPattern.Parse(text).Match(static p => p, static e => throw new InvalidOperationException(e.Render()));
}
