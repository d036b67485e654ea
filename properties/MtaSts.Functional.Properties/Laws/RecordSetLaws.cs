using FsCheck;
using FsCheck.Fluent;
using LanguageExt;
using MtaSts.Conformance.Generators;

namespace MtaSts.Functional.Properties.Laws;

/// <summary>RFC 8461 §3.1 (D-10, D-11, F-05, N-06): the TXT RRset rule.</summary>
public class RecordSetLaws
{
    /// <summary>A valid record split into strings, alone or among records of other protocols, is the one found (D-10, D-11).</summary>
    [Law]
    public Property SplitRecordAmongUnrelatedRecordsIsFound(StsRecord record) =>
        Prop.ForAll(Arb.From(RecordSetGenerators.Found(record)), set =>
            (StsRecord.FromTxtRecords(set.Records) == Prelude.Right<MtaStsError, StsRecord>(record))
                .Label(set.ToString())
                .Classify(set.Records.Count > 1, "among others")
                .Classify(set.Records.Any(static rr => rr.Count > 1), "split"));

    /// <summary>Two MTA-STS records are no policy, even two copies of one (N-06: the count is not one).</summary>
    [Law]
    public Property TwoRecordsAreNoPolicy(StsRecord record) =>
        Prop.ForAll(Arb.From(RecordSetGenerators.Several(record)), set =>
            StsRecord.FromTxtRecords(set.Records)
                .Match(static _ => false, static e => e is MtaStsError.NoUsableRecord { Reason: UnusableRecordReason.Several })
                .Label(set.ToString()));
}
