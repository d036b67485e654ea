using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;
using MtaSts.Conformance.Generators;

namespace MtaSts.Conformance.Vectors;

/// <summary>
/// Vectors made by the property laws' own generators (valid values, layout variants, one-point mutations, L-01
/// deviations, hosts near a pattern), with the outcome the generator knows by construction: the value it built, or
/// the rejection its breakage must cause. The same count and seed give the same vectors.
/// </summary>
internal static class GeneratedVectors
{
    /// <summary>FsCheck's size for every sample (lengths of the free lists, e.g. extension values).</summary>
    private const int Size = 20;

    /// <summary>Samples per seed step (FsCheck's Sample is slower than linear in the count).</summary>
    private const int Batch = 100;

    /// <summary>The kinds that have generators.</summary>
    public static readonly IReadOnlyList<string> Kinds = [Vectors.Kinds.Record, Vectors.Kinds.RecordSet, Vectors.Kinds.Policy, Vectors.Kinds.Match, Vectors.Kinds.PolicyUrl, Vectors.Kinds.TlsRptRecord];

    /// <summary>Exactly <paramref name="count"/> vectors of the profile (fewer only when no requested kind has a generator), ids <c>G&lt;seed&gt;-&lt;n&gt;.&lt;what&gt;</c>.</summary>
    public static IReadOnlyList<Vector> Create(int count, ulong seed, Profiles profile, IReadOnlyCollection<string> kinds)
    {
        var cases = Cases(kinds);
        var vectors = new List<Vector>(count);
        if (cases.Count == 0)
        {
            return vectors;
        }

        var all = Gen.Frequency(cases.ToArray());
        for (ulong batch = 0; vectors.Count < count; batch++)
        {
            var rnd = new Rnd(unchecked(seed + (batch * 0x9E3779B97F4A7C15UL)));
            foreach (var candidate in all.Sample(Size, rnd, Batch))
            {
                if (candidate.For(profile) is { } judgement)
                {
                    var n = vectors.Count + 1;
                    vectors.Add(new Vector(
                        $"G{seed}-{n}.{candidate.What}", candidate.Kind, profile, candidate.Request, judgement.Expect, judgement.Tests, candidate.Rfc, judgement.Reason, "generated"));
                    if (vectors.Count == count)
                    {
                        break;
                    }
                }
            }
        }

        return vectors;
    }

    private static List<(int, Gen<Candidate>)> Cases(IReadOnlyCollection<string> kinds)
    {
        var cases = new List<(int, Gen<Candidate>)>();
        if (kinds.Contains(Vectors.Kinds.Policy))
        {
            cases.Add((35, Generators.Generators.Policy.SelectMany(PolicyCase)));
        }

        if (kinds.Contains(Vectors.Kinds.Record))
        {
            cases.Add((25, Generators.Generators.StsRecord.SelectMany(RecordCase)));
        }

        if (kinds.Contains(Vectors.Kinds.RecordSet))
        {
            cases.Add((10, Generators.Generators.StsRecord.SelectMany(RecordSetCase)));
        }

        if (kinds.Contains(Vectors.Kinds.Match))
        {
            cases.Add((20, Generators.Generators.MxPattern.SelectMany(MatchCase)));
        }

        if (kinds.Contains(Vectors.Kinds.PolicyUrl))
        {
            cases.Add((5, HostGenerators.PolicyDomain.Select(PolicyUrlCase)));
        }

        if (kinds.Contains(Vectors.Kinds.TlsRptRecord))
        {
            cases.Add((20, TlsRptGenerators.Record.SelectMany(TlsRptCase)));
        }

        return cases;
    }

    private static Gen<Candidate> PolicyCase(Policy policy)
    {
        var value = Expect.Policy(policy);
        return Gen.Frequency(
            (15, Gen.Constant(Valid(Vectors.Kinds.Policy, "valid", Text(Vectors.Kinds.Policy, policy.Render()), value, ["D-01", "N-27"], "the canonical text of a valid policy (PolicyGrammarLaws.ParseInvertsRender)"))),
            (35, LayoutGenerators.Policy(policy).Select(l => Valid(Vectors.Kinds.Policy, "layout", Text(Vectors.Kinds.Policy, l.Text), value, ["D-03", "D-05", "F-04", "N-28"], $"the same policy laid out differently: {l.Variation} (LayoutLaws)"))),
            (35, MutationGenerators.Policy(policy).Select(m => Broken(Vectors.Kinds.Policy, m))),
            (15, MutationGenerators.PolicyDeviation(policy).Select(d => Deviated(Vectors.Kinds.Policy, d, value, d.Kind switch
            {
                WarningKind.ByteOrderMark => "D-13",
                WarningKind.MxTrailingDot => "D-06",
                _ => "D-05",
            }))));
    }

    private static Gen<Candidate> RecordCase(StsRecord record)
    {
        var value = Expect.Record(record);
        return Gen.Frequency(
            (15, Gen.Constant(Valid(Vectors.Kinds.Record, "valid", Text(Vectors.Kinds.Record, record.Render()), value, ["D-09", "N-27"], "the canonical text of a valid record (RecordGrammarLaws.ParseInvertsRender)"))),
            (35, LayoutGenerators.Record(record).Select(l => Valid(Vectors.Kinds.Record, "layout", Text(Vectors.Kinds.Record, l.Text), value, ["D-03", "D-09", "N-04"], $"the same record laid out differently: {l.Variation} (LayoutLaws)"))),
            (35, MutationGenerators.Record(record).Select(m => Broken(Vectors.Kinds.Record, m))),
            (15, MutationGenerators.RecordDeviation(record).Select(d => Deviated(Vectors.Kinds.Record, d, value, d.Kind == WarningKind.RecordLeadingWhitespace ? "N-04" : "D-09"))));
    }

    private static Gen<Candidate> RecordSetCase(StsRecord record)
    {
        static Candidate Case(string what, RecordSet set, JsonObject expect, string[] tests, string reason)
        {
            var judgement = new Judgement(expect, tests, $"{set.Variation}: {reason} (RecordSetLaws)");
            var records = new JsonArray([.. set.Records.Select(static rr => (JsonNode)Expect.Strings(rr))]);
            return new Candidate(what, Vectors.Kinds.RecordSet, new JsonObject { ["kind"] = Vectors.Kinds.RecordSet, ["records"] = records }, "RFC 8461 §3.1", judgement, judgement);
        }

        return Gen.Frequency(
            (4, RecordSetGenerators.Found(record).Select(set => Case("found", set, new JsonObject { ["accepted"] = true, ["id"] = record.Id.Value }, ["D-10", "D-11", "N-08"], "the strings concatenate to the one record that begins with v=STSv1;"))),
            (1, RecordSetGenerators.Several(record).Select(set => Case("several", set, Expect.Rejected, ["D-11", "N-06"], "two MTA-STS records: the count is not one, so no policy"))));
    }

    private static Gen<Candidate> MatchCase(MxPattern pattern)
    {
        var rendered = pattern.Render();
        Candidate Case(string what, string host, bool matches, string reason) => new(
            what,
            Vectors.Kinds.Match,
            new JsonObject { ["kind"] = Vectors.Kinds.Match, ["patterns"] = new JsonArray(rendered), ["host"] = host },
            "RFC 8461 §4.1",
            new Judgement(new JsonObject { ["matches"] = matches }, ["M-01", "M-02", "N-46"], reason),
            new Judgement(new JsonObject { ["matches"] = matches }, ["M-01", "M-02", "N-46"], reason));
        return Gen.Frequency(
            (8, HostGenerators.Near(pattern).Select(h => Case("near", h, MxReference.Matches(rendered, h), $"a host near {rendered}: {(MxReference.Matches(rendered, h) ? "one label below a wildcard's parent, or the name itself" : "the parent, two labels deeper, or a stranger")} (MxMatchingLaws)"))),
            (2, HostGenerators.Invalid(pattern).Select(h => Case("invalid-host", h, false, $"not a valid host name, though it ends with {pattern.Domain.Value}: never matches (MxMatchingLaws.AnInvalidHostNeverMatches)"))));
    }

    private static Candidate PolicyUrlCase((string Domain, string? Url) d)
    {
        var judgement = d.Url is { } url
            ? new Judgement(new JsonObject { ["accepted"] = true, ["url"] = url }, ["M-07", "N-15"], "the domain lower-cased, without its trailing dot, under mta-sts. (PolicyUrlLaws)")
            : new Judgement(Expect.Rejected, ["M-07", "N-15"], "an address literal, not a domain, or _mta-sts.<domain> over 253 octets: no policy URL (PolicyUrlLaws)");
        return new Candidate(d.Url is null ? "no-url" : "url", Vectors.Kinds.PolicyUrl, new JsonObject { ["kind"] = Vectors.Kinds.PolicyUrl, ["domain"] = d.Domain }, "RFC 8461 §3.2, §3.4", judgement, judgement);
    }

    private static Gen<Candidate> TlsRptCase(TlsRptRecord record)
    {
        var value = Expect.TlsRpt(record);
        return Gen.Frequency(
            (3, Gen.Constant(Valid(Vectors.Kinds.TlsRptRecord, "valid", Text(Vectors.Kinds.TlsRptRecord, record.Render()), value, ["T-01", "T-03", "T-05"], "the canonical text of a valid TLSRPT record (TlsRptLaws.ParseInvertsRender)"))),
            (5, TlsRptGenerators.Layout(record).Select(t => Valid(Vectors.Kinds.TlsRptRecord, "layout", Text(Vectors.Kinds.TlsRptRecord, t), value, ["T-01", "T-03"], "the same record laid out differently: WSP around ';' and ',', rua split, trailing delimiter (TlsRptLaws)"))),
            (2, TlsRptGenerators.RawBang(record).Select(m =>
            {
                var rejected = new Judgement(Expect.Rejected, ["T-02"], $"a raw '!' at column {m.Column} inside a URI: it MUST be %21 (TlsRptLaws.RawBangInAUriIsRejectedWhereItIs)");
                return new Candidate("raw-bang", Vectors.Kinds.TlsRptRecord, Text(Vectors.Kinds.TlsRptRecord, m.Text), "RFC 8460 §3", rejected, rejected with { Tests = ["T-02", "T-07"] });
            })));
    }

    /// <summary>A valid input: the value in both profiles (lenient by L-03).</summary>
    private static Candidate Valid(string kind, string what, JsonObject request, JsonObject value, string[] tests, string reason) =>
        new(what, kind, request, Rfc(kind), new Judgement(value, tests, reason), new Judgement(value, [.. tests, "L-03"], reason + "; lenient mode reads it the same (L-03)"));

    /// <summary>A one-point breakage: rejected; in the lenient profile too unless it is an L-01 deviation (then the deviation vectors judge it).</summary>
    private static Candidate Broken(string kind, Mutation m)
    {
        var where = m.MissingField is null ? $"error at {m.Line}:{m.Column}" : $"{m.MissingField} missing";
        var strict = new Judgement(Expect.Rejected, [m.Decision], $"{m.What}: rejected, {where} (MutationLaws)");
        return new Candidate(
            "mutation",
            kind,
            Text(kind, m.Text),
            Rfc(kind),
            strict,
            m.RepairedLeniently ? null : strict with { Tests = [m.Decision, "L-02"], Reason = strict.Reason + "; not an L-01 deviation, so lenient mode rejects it too (L-02)" });
    }

    /// <summary>An L-01 deviation: rejected strictly (by <paramref name="decision"/>), the value with one warning leniently.</summary>
    private static Candidate Deviated(string kind, Deviation d, JsonObject value, string decision) =>
        new(
            "deviation",
            kind,
            Text(kind, d.Text),
            Rfc(kind),
            new Judgement(Expect.Rejected, [decision], $"{d.Kind} at {d.Line}:{d.Column}: not in the strict grammar"),
            new Judgement(value, ["L-01"], $"{d.Kind} at {d.Line}:{d.Column}: lenient mode repairs it, with one warning (LenientLaws)"));

    private static JsonObject Text(string kind, string input) => new() { ["kind"] = kind, ["input"] = input };

    private static string Rfc(string kind) => kind switch
    {
        Vectors.Kinds.Record => "RFC 8461 §3.1",
        Vectors.Kinds.Policy => "RFC 8461 §3.2",
        _ => "RFC 8460 §3",
    };

    /// <summary>The expectation of one profile: the judged answer fields, the ids, why.</summary>
    private sealed record Judgement(JsonObject Expect, string[] Tests, string Reason);

    /// <summary>A generated input with its judgement per profile (null: the profile has no vector for it).</summary>
    private sealed record Candidate(string What, string Kind, JsonObject Request, string Rfc, Judgement? Strict, Judgement? Lenient)
    {
        public Judgement? For(Profiles profile) => profile == Profiles.Lenient ? Lenient : Strict;
    }
}

/// <summary>The expected answers for model values, as the protocol writes them.</summary>
internal static class Expect
{
    public static JsonObject Rejected => new() { ["accepted"] = false };

    public static JsonObject Policy(Policy policy) => new()
    {
        ["accepted"] = true,
        ["mode"] = policy.Mode.ToKeyword(),
        ["mx"] = Strings(policy.Mx.Map(static m => m.Render())),
        ["max_age"] = policy.MaxAge.Seconds,
        ["version"] = policy.Version,
        ["extensions"] = Pairs(policy.Extensions),
    };

    public static JsonObject Record(StsRecord record) => new() { ["accepted"] = true, ["id"] = record.Id.Value, ["extensions"] = Pairs(record.Extensions) };

    public static JsonObject TlsRpt(TlsRptRecord record) => new() { ["accepted"] = true, ["rua"] = Strings(record.Rua), ["extensions"] = Pairs(record.Extensions) };

    public static JsonArray Strings(IEnumerable<string> values) => new([.. values.Select(static v => (JsonNode)v)]);

    public static JsonArray Pairs(IEnumerable<Extension> extensions) => new([.. extensions.Select(static e => (JsonNode)new JsonArray(e.Name, e.Value))]);
}
