using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using LanguageExt;
using MtaSts.Functional.Properties.Generators;



namespace MtaSts.Functional.Properties.Laws;

/// <summary>RFC 8461 §3.1: the TXT record grammar and its canonical printer agree.</summary>
public class RecordGrammarLaws
{
    /// <summary>Parsing the canonical text of any valid record gives that record back (§3.1).</summary>
    [Law]
    public Property ParseInvertsRender(StsRecord record) =>
        (StsRecord.Parse(record.Render()) == Prelude.Right<MtaStsError, StsRecord>(record))
            .Label(record.Render())
            .Classify(!record.Extensions.IsEmpty, "with extensions");

    /// <summary>The canonical text is a fixed point: rendering the re-parsed record gives the same text.</summary>
    [Law]
    public bool RenderIsCanonical(StsRecord record) =>
        StsRecord.Parse(record.Render()).Map(static r => r.Render()) == Prelude.Right<MtaStsError, string>(record.Render());
}

/// <summary>RFC 8461 §3.2: the policy grammar and its canonical printer agree.</summary>
public class PolicyGrammarLaws
{
    /// <summary>Parsing the canonical text of any valid policy gives that policy back (§3.2).</summary>
    [Law]
    public Property ParseInvertsRender(Policy policy) =>
        (Policy.Parse(policy.Render()) == Prelude.Right<MtaStsError, Policy>(policy))
            .Label(policy.Render())
            .Classify(policy.Mx.Exists(static m => m is MxPattern.Wildcard), "wildcard mx")
            .Classify(!policy.Extensions.IsEmpty, "with extensions")
            .Collect(policy.Mode);

    /// <summary>The canonical text is a fixed point: rendering the re-parsed policy gives the same text.</summary>
    [Law]
    public bool RenderIsCanonical(Policy policy) =>
        Policy.Parse(policy.Render()).Map(static p => p.Render()) == Prelude.Right<MtaStsError, string>(policy.Render());

    /// <summary>LF and CRLF line ends mean the same (§3.2 <c>sts-policy-term = LF / CRLF</c>, D-05).</summary>
    [Law]
    public bool LfAndCrlfParseTheSame(Policy policy) =>
        Policy.Parse(policy.Render().Replace("\r\n", "\n")) == Prelude.Right<MtaStsError, Policy>(policy);

    /// <summary>Strictly valid policies parse the same in lenient mode, with no warnings (L-03).</summary>
    [Law]
    public bool LenientAgreesWithStrictOnValidInput(Policy policy) =>
        Policy.ParseWithWarnings(policy.Render(), ParseMode.Lenient) == Prelude.Right<MtaStsError, Parsed<Policy>>(new Parsed<Policy>(policy, Seq<ParseWarning>.Empty));
}
