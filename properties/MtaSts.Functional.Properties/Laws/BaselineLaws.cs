using FsCheck;
using FsCheck.Fluent;
using MtaSts.Conformance.Generators;
using MtaSts.Functional.Benchmarks.Baseline;

namespace MtaSts.Functional.Properties.Laws;

/// <summary>The benchmark baseline reads valid, re-laid-out and broken inputs exactly as the grammar does (so the benchmark ratio compares like with like).</summary>
public class BaselineLaws
{
    /// <summary>On any layout of a valid policy and any one-point breakage of it, the hand-written parser agrees with the Pidgin grammar.</summary>
    [Law]
    public Property HandwrittenPolicyParserAgreesWithTheGrammar(Policy policy) =>
        Prop.ForAll(
            Arb.From(Gen.OneOf(LayoutGenerators.Policy(policy).Select(static l => l.Text), MutationGenerators.Policy(policy).Select(static m => m.Text))),
            text => Equals(Policy.Parse(text).RightToSeq().FirstOrDefault(), HandwrittenParser.ParsePolicy(text)).Label(Escape.Text(text)));

    /// <summary>The same for TXT records.</summary>
    [Law]
    public Property HandwrittenRecordParserAgreesWithTheGrammar(StsRecord record) =>
        Prop.ForAll(
            Arb.From(Gen.OneOf(LayoutGenerators.Record(record).Select(static l => l.Text), MutationGenerators.Record(record).Select(static m => m.Text))),
            text => Equals(StsRecord.Parse(text).RightToSeq().FirstOrDefault(), HandwrittenParser.ParseRecord(text)).Label(Escape.Text(text)));
}
