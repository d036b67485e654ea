using FsCheck;
using FsCheck.Fluent;
using MtaSts.Conformance.Generators;

namespace MtaSts.Functional.Properties;

/// <summary>The arbitrary provider registered for every law (FsCheck 3 has no global registration).</summary>
public static class Arbitraries
{
    public static Arbitrary<StsRecord> StsRecord() => Arb.From(Generators.StsRecord, ShrinkRecord);

    public static Arbitrary<Policy> Policy() => Arb.From(Generators.Policy, ShrinkPolicy);

    public static Arbitrary<MxPattern> MxPattern() => Arb.From(Generators.MxPattern);

    /// <summary>Shrinks toward no extensions and a one-character id.</summary>
    private static IEnumerable<StsRecord> ShrinkRecord(StsRecord r)
    {
        if (!r.Extensions.IsEmpty)
        {
            yield return Generators.Right(MtaSts.Functional.StsRecord.Create(r.Id, r.Extensions.Take(r.Extensions.Count - 1)));
        }

        if (r.Id.Value.Length > 1)
        {
            yield return Generators.Right(MtaSts.Functional.StsRecord.Create(Generators.Right(PolicyId.Create(r.Id.Value[..1])), r.Extensions));
        }
    }

    /// <summary>Shrinks toward fewer mx, no extensions, and mode none.</summary>
    private static IEnumerable<Policy> ShrinkPolicy(Policy p)
    {
        if (!p.Extensions.IsEmpty)
        {
            yield return Generators.Right(MtaSts.Functional.Policy.Create(p.Mode, p.Mx, p.MaxAge, p.Extensions.Take(p.Extensions.Count - 1)));
        }

        if (p.Mx.Count > 1)
        {
            yield return Generators.Right(MtaSts.Functional.Policy.Create(p.Mode, p.Mx.Take(p.Mx.Count - 1), p.MaxAge, p.Extensions));
        }

        if (p.Mx.Exists(static m => m.Domain.Value.Split('.').Any(static l => l.Length > 1)))
        {
            yield return Generators.Right(MtaSts.Functional.Policy.Create(p.Mode, p.Mx.Map(ShortLabels), p.MaxAge, p.Extensions));
        }

        if (p.Mode != PolicyMode.None)
        {
            yield return Generators.Right(MtaSts.Functional.Policy.Create(PolicyMode.None, p.Mx, p.MaxAge, p.Extensions));
        }
    }

    /// <summary>The same pattern with every label cut to its first character (still a valid D-06 name: the last label starts with a letter).</summary>
    private static MxPattern ShortLabels(MxPattern m)
    {
        var shortName = string.Join('.', m.Domain.Value.Split('.').Select(static l => l[..1]));
        return Generators.Right(MtaSts.Functional.MxPattern.Parse(m is MxPattern.Wildcard ? "*." + shortName : shortName));
    }
}
