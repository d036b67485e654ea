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
        Agrees<Policy>(MutationGenerators.PolicyDeviation(policy), policy.Render(), noise, Policy.Parse, Policy.Parse, Policy.ParseWithWarnings);

    /// <summary>MTA-STS TXT records: rendered (valid), with one L-01 deviation (lenient only), and arbitrary strings.</summary>
    [Law]
    public Property RecordParseIsParseWithWarningsWithoutTheWarnings(StsRecord record, string? noise) =>
        Agrees<StsRecord>(MutationGenerators.RecordDeviation(record), record.Render(), noise, StsRecord.Parse, StsRecord.Parse, StsRecord.ParseWithWarnings);

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

    /// <summary>The law for one parser, on a deviation, the valid text and the noise, in both modes.</summary>
    private static Property Agrees<T>(
        Gen<Deviation> deviations,
        string valid,
        string? noise,
        Func<string?, Either<MtaStsError, T>> parse,
        Func<string?, ParseMode, Either<MtaStsError, T>> parseIn,
        Func<string?, ParseMode, Either<MtaStsError, Parsed<T>>> withWarnings) =>
        Prop.ForAll(Arb.From(deviations), d =>
            (Modes.All(mode => Agrees(parseIn(d.Text, mode), withWarnings(d.Text, mode))
                               && Agrees(parseIn(valid, mode), withWarnings(valid, mode))
                               && Agrees(parseIn(noise, mode), withWarnings(noise, mode)))
             && parse(d.Text) == parseIn(d.Text, ParseMode.Strict)
             && parse(noise) == parseIn(noise, ParseMode.Strict))
            .Classify(parse(d.Text).IsLeft, "lenient only"));

    private static bool Agrees<T>(Either<MtaStsError, T> parsed, Either<MtaStsError, Parsed<T>> withWarnings) =>
        parsed == withWarnings.Map(static p => p.Value);
}
