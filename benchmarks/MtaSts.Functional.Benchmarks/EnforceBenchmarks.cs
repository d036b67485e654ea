using BenchmarkDotNet.Attributes;

namespace MtaSts.Functional.Benchmarks;

/// <summary>
/// The per-delivery hot path: MX matching and the enforce decision. Targets: 0 bytes allocated;
/// <c>MxMatches</c> literal and <c>Enforce</c> first-pattern within 3× of the limit reference, a bare
/// <see cref="System.Text.Ascii.EqualsIgnoreCase(ReadOnlySpan{char}, ReadOnlySpan{char})"/> of the same
/// two strings in the same run (the least any case-insensitive match can cost; a deliberate reference, not shipped code).
/// </summary>
[MemoryDiagnoser]
public class EnforceBenchmarks
{
    private readonly string host = "mail.example.com";
    private readonly string patternText = "mail.example.com";

    private readonly MxPattern literal = Pattern("mail.example.com");
    private readonly MxPattern wildcard = Pattern("*.example.com");
    private readonly Policy policy = Policy.Parse(Inputs.Policy).Match(static p => p, static e => throw new InvalidOperationException(e.Render()));

    [Benchmark(Baseline = true)]
    public bool Reference_AsciiEqualsIgnoreCase() => System.Text.Ascii.EqualsIgnoreCase(patternText, host);

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
