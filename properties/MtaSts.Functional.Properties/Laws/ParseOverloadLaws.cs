using FsCheck;
using FsCheck.Fluent;
using LanguageExt;
using MtaSts.Functional.Properties.Generators;

namespace MtaSts.Functional.Properties.Laws;

/// <summary>
/// Issue 13: the mode argument does not change the result type. <c>Parse(text, mode)</c> is
/// <c>ParseWithWarnings(text, mode)</c> without its warnings, and <c>Parse(text)</c> is <c>Parse(text, Strict)</c>,
/// for the policy (§3.2), the MTA-STS record (§3.1) and the TLSRPT record (RFC 8460 §3).
/// </summary>
public class ParseOverloadLaws
{
    private static readonly ParseMode[] Modes = [ParseMode.Strict, ParseMode.Lenient];

    /// <summary>Policies: rendered (valid), with one L-01 deviation (lenient only), and arbitrary strings.</summary>
    [Law]
    public Property PolicyParseIsParseWithWarningsWithoutTheWarnings(Policy policy, string? noise) =>
        Prop.ForAll(Arb.From(MutationGenerators.PolicyDeviation(policy)), d =>
            (Modes.All(mode => Agrees(Policy.Parse(d.Text, mode), Policy.ParseWithWarnings(d.Text, mode))
                               && Agrees(Policy.Parse(policy.Render(), mode), Policy.ParseWithWarnings(policy.Render(), mode))
                               && Agrees(Policy.Parse(noise, mode), Policy.ParseWithWarnings(noise, mode)))
             && Policy.Parse(d.Text) == Policy.Parse(d.Text, ParseMode.Strict)
             && Policy.Parse(noise) == Policy.Parse(noise, ParseMode.Strict))
            .Classify(Policy.Parse(d.Text).IsLeft, "lenient only"));

    /// <summary>MTA-STS TXT records: rendered (valid), with one L-01 deviation (lenient only), and arbitrary strings.</summary>
    [Law]
    public Property RecordParseIsParseWithWarningsWithoutTheWarnings(StsRecord record, string? noise) =>
        Prop.ForAll(Arb.From(MutationGenerators.RecordDeviation(record)), d =>
            (Modes.All(mode => Agrees(StsRecord.Parse(d.Text, mode), StsRecord.ParseWithWarnings(d.Text, mode))
                               && Agrees(StsRecord.Parse(record.Render(), mode), StsRecord.ParseWithWarnings(record.Render(), mode))
                               && Agrees(StsRecord.Parse(noise, mode), StsRecord.ParseWithWarnings(noise, mode)))
             && StsRecord.Parse(d.Text) == StsRecord.Parse(d.Text, ParseMode.Strict)
             && StsRecord.Parse(noise) == StsRecord.Parse(noise, ParseMode.Strict))
            .Classify(StsRecord.Parse(d.Text).IsLeft, "lenient only"));

    /// <summary>TLSRPT records: rendered (valid), with leading WSP and an empty field (lenient only, T-07), and arbitrary strings.</summary>
    [Law]
    public Property TlsRptParseIsParseWithWarningsWithoutTheWarnings(string? noise) =>
        Prop.ForAll(Arb.From(TlsRptGenerators.Record), record =>
        {
            var text = record.Render();
            var repaired = " " + text.Replace("v=TLSRPTv1;", "v=TLSRPTv1;;", StringComparison.Ordinal);
            return Modes.All(mode => Agrees(TlsRptRecord.Parse(text, mode), TlsRptRecord.ParseWithWarnings(text, mode))
                                      && Agrees(TlsRptRecord.Parse(repaired, mode), TlsRptRecord.ParseWithWarnings(repaired, mode))
                                      && Agrees(TlsRptRecord.Parse(noise, mode), TlsRptRecord.ParseWithWarnings(noise, mode)))
                   && TlsRptRecord.Parse(repaired) == TlsRptRecord.Parse(repaired, ParseMode.Strict)
                   && TlsRptRecord.Parse(noise) == TlsRptRecord.Parse(noise, ParseMode.Strict)
                   // The lenient-only input really exercises the warnings: without them the two could not differ.
                   && TlsRptRecord.ParseWithWarnings(repaired, ParseMode.Lenient).Map(static p => !p.Warnings.IsEmpty).IfLeft(false);
        });

    private static bool Agrees<T>(Either<MtaStsError, T> parsed, Either<MtaStsError, Parsed<T>> withWarnings) =>
        parsed == withWarnings.Map(static p => p.Value);
}
