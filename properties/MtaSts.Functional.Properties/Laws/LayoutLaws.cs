using FsCheck;
using FsCheck.Fluent;
using LanguageExt;
using MtaSts.Functional.Properties.Generators;

namespace MtaSts.Functional.Properties.Laws;

/// <summary>RFC 8461 §3.1, §3.2 (D-03, D-05, D-09): layout never changes meaning.</summary>
public class LayoutLaws
{
    /// <summary>
    /// Every meaning-preserving layout of a policy parses to that policy: LF/CRLF per line, WSP after ':',
    /// trailing WSP, optional final terminator, any field order (mx and extensions keeping theirs),
    /// later duplicates ignored (first wins, D-03), patterns in any case (F-04).
    /// </summary>
    [Law]
    public Property PolicyLayoutVariantsParseToTheSameValue(Policy policy) =>
        Prop.ForAll(Arb.From(LayoutGenerators.Policy(policy)), layout =>
            (Policy.Parse(layout.Text) == Prelude.Right<MtaStsError, Policy>(layout.Value))
                .Label(layout.ToString())
                .Classify(layout.Text.Contains("\r\n"), "CRLF")
                .Classify(layout.Variation.Contains("duplicates"), "duplicates")
                .Classify(!policy.Extensions.IsEmpty, "extensions")
                .Classify(policy.Mx.Exists(static m => m is MxPattern.Wildcard), "wildcard")
                .Collect(policy.Mode));

    /// <summary>
    /// Every meaning-preserving layout of a TXT record parses to that record: WSP around ';', fields in
    /// any order after <c>v=STSv1</c>, optional trailing delimiter, a later id or v ignored (D-03, D-09).
    /// </summary>
    [Law]
    public Property RecordLayoutVariantsParseToTheSameValue(StsRecord record) =>
        Prop.ForAll(Arb.From(LayoutGenerators.Record(record)), layout =>
            (StsRecord.Parse(layout.Text) == Prelude.Right<MtaStsError, StsRecord>(layout.Value))
                .Label(layout.ToString())
                .Classify(layout.Variation.Contains("duplicates"), "duplicates")
                .Classify(!record.Extensions.IsEmpty, "extensions"));

    /// <summary>The first occurrence of a non-repeated field wins; later ones, if valid, change nothing (§3.2, D-03).</summary>
    [Law]
    public Property FirstDuplicateWins(Policy policy, PolicyMode otherMode) =>
        Prop.ForAll(Arb.From(Gen.Choose(0, 31_557_600)), otherAge =>
            Policy.Parse(policy.Render() + $"mode: {otherMode.ToKeyword()}\r\nmax_age: {otherAge}\r\nversion: STSv1\r\n")
                == Prelude.Right<MtaStsError, Policy>(policy));

    /// <summary>A registered key with a value outside its production is rejected, never kept as an extension (D-02).</summary>
    [Law]
    public Property RegisteredKeyWithBadValueIsRejected(Policy policy) =>
        Prop.ForAll(
            Arb.From(Gen.Elements("mode: Enforce", "mode: enforcing", "version: STSv2", "max_age: -1", "max_age: 12345678901", "mx: a_b.example", "mx: *", "mx: 192.0.2.1")),
            line =>
            {
                var lineNumber = 4 + policy.Mx.Count + policy.Extensions.Count;
                return Policy.Parse(policy.Render() + line + "\r\n").Match(
                    Right: static _ => false,
                    Left: e => e is MtaStsError.Syntax s && s.Line == lineNumber);
            });
}

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
