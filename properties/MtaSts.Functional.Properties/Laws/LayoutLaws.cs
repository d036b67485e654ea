using FsCheck;
using FsCheck.Fluent;
using LanguageExt;
using MtaSts.Conformance.Generators;

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
