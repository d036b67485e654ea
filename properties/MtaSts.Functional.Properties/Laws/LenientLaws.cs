using FsCheck;
using FsCheck.Fluent;
using LanguageExt;
using MtaSts.Conformance.Generators;

namespace MtaSts.Functional.Properties.Laws;

/// <summary>Lenient mode (L-01, L-03, F-01).</summary>
public class LenientLaws
{
    /// <summary>Every strictly valid record parses the same in lenient mode, with no warnings (L-03).</summary>
    [Law]
    public bool StrictlyValidRecordsParseTheSameLeniently(StsRecord record) =>
        StsRecord.ParseWithWarnings(record.Render(), ParseMode.Lenient) == Prelude.Right<MtaStsError, Parsed<StsRecord>>(new Parsed<StsRecord>(record, Seq<ParseWarning>.Empty));

    /// <summary>Each L-01 deviation in a policy yields the same policy and exactly one warning, of its kind, at its position (F-01).</summary>
    [Law]
    public Property EachPolicyDeviationYieldsExactlyOneWarningAtItsPosition(Policy policy) =>
        Prop.ForAll(Arb.From(MutationGenerators.PolicyDeviation(policy)), d =>
            OneWarning(Policy.ParseWithWarnings(d.Text, ParseMode.Lenient).Map(static p => (p.Value, p.Warnings)), policy, d).Label(d.ToString()).Collect(d.Kind));

    /// <summary>Each L-01 deviation in a TXT record yields the same record and exactly one warning at its position (F-01).</summary>
    [Law]
    public Property EachRecordDeviationYieldsExactlyOneWarningAtItsPosition(StsRecord record) =>
        Prop.ForAll(Arb.From(MutationGenerators.RecordDeviation(record)), d =>
            OneWarning(StsRecord.ParseWithWarnings(d.Text, ParseMode.Lenient).Map(static p => (p.Value, p.Warnings)), record, d).Label(d.ToString()).Collect(d.Kind));

    private static bool OneWarning<T>(Either<MtaStsError, (T Value, Seq<ParseWarning> Warnings)> result, T expected, Deviation d) =>
        result.Match(
            Right: r => Equals(r.Value, expected) && r.Warnings.Count == 1
                && r.Warnings.Head.Kind == d.Kind && r.Warnings.Head.Line == d.Line && r.Warnings.Head.Column == d.Column,
            Left: static _ => false);
}
