using FsCheck;
using FsCheck.Fluent;
using LanguageExt;
using MtaSts.Conformance.Generators;

namespace MtaSts.Functional.Properties.Laws;

/// <summary>RFC 8461 §3.1, §3.2: one-point breakages are rejected, and the error says where.</summary>
public class MutationLaws
{
    /// <summary>A policy broken at one point is rejected with its error at that line and column, naming a rule (or naming the missing field).</summary>
    [Law]
    public Property BrokenPolicyIsRejectedAtTheBreak(Policy policy) =>
        Prop.ForAll(Arb.From(MutationGenerators.Policy(policy)), m =>
            Located(Policy.Parse(m.Text).Match(static _ => null, static e => e), m).Label(m.ToString()).Collect(m.What));

    /// <summary>A TXT record broken at one point is rejected with its error at that column (or naming the missing id).</summary>
    [Law]
    public Property BrokenRecordIsRejectedAtTheBreak(StsRecord record) =>
        Prop.ForAll(Arb.From(MutationGenerators.Record(record)), m =>
            Located(StsRecord.Parse(m.Text).Match(static _ => null, static e => e), m).Label(m.ToString()).Collect(m.What));

    private static bool Located(MtaStsError? error, Mutation m) => (error, m.MissingField) switch
    {
        (MtaStsError.Syntax s, null) => s.Line == m.Line && s.Column == m.Column && s.Rule.Length > 0,
        (MtaStsError e, { } field) => e.All.Count == 1 && e.All.Head == new MtaStsError.MissingField(field),
        _ => false,
    };
}
