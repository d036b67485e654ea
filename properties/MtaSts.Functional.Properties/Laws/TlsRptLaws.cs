using FsCheck;
using FsCheck.Fluent;
using LanguageExt;
using MtaSts.Conformance.Generators;

namespace MtaSts.Functional.Properties.Laws;

/// <summary>RFC 8460 §3 (T-01..T-05): the TLSRPT record's text and its value.</summary>
public class TlsRptLaws
{
    private static readonly Arbitrary<TlsRptRecord> Records = Arb.From(TlsRptGenerators.Record);

    /// <summary>Parsing the rendered text gives back the record (T-01, T-03, T-05).</summary>
    [Law]
    public Property ParseInvertsRender() =>
        Prop.ForAll(Records, static record =>
            (TlsRptRecord.Parse(record.Render()) == Prelude.Right<MtaStsError, TlsRptRecord>(record))
                .Label(record.Render())
                .Classify(record.Rua.Count > 1, "several URIs")
                .Classify(!record.Extensions.IsEmpty, "extensions")
                .Classify(!record.Unsupported.IsEmpty, "unsupported URI"));

    /// <summary>Every meaning-preserving layout (WSP in field-delim and around ',', rua split into several fields, trailing delimiter) reads as the same record (T-01, T-03).</summary>
    [Law]
    public Property LayoutVariantsParseToTheSameValue() =>
        Prop.ForAll(Records, static record =>
            Prop.ForAll(Arb.From(TlsRptGenerators.Layout(record)), text =>
                (TlsRptRecord.Parse(text) == Prelude.Right<MtaStsError, TlsRptRecord>(record))
                    .Label(Escape.Text(text))
                    .Classify(text.Contains('\t'), "HTAB")
                    .Classify(text.Split("rua=").Length > 2, "split rua")));

    /// <summary>A raw '!' put anywhere into a URI is rejected exactly there, by tlsrpt-uri (RFC 8460 §3: it MUST be %21; T-02).</summary>
    [Law]
    public Property RawBangInAUriIsRejectedWhereItIs() =>
        Prop.ForAll(Records, static record =>
            Prop.ForAll(Arb.From(TlsRptGenerators.RawBang(record)), static m =>
                TlsRptRecord.Parse(m.Text).Match(
                        Right: static _ => false,
                        Left: e => e is MtaStsError.Syntax { Line: 1, Rule: "tlsrpt-uri" } s && s.Column == m.Column)
                    .Label($"{m.Text} at {m.Column}: {TlsRptRecord.Parse(m.Text)}")));

    /// <summary>A one-letter case change in <c>v=TLSRPTv1</c> or the first <c>rua=</c> is rejected at that letter (T-01: %s"…" is case-sensitive).</summary>
    [Law]
    public Property WrongCaseInARegisteredLiteralIsRejectedAtThatLetter() =>
        Prop.ForAll(Records, static record =>
        {
            var text = record.Render();
            var letters = Enumerable.Range(0, 16).Where(i => char.IsLetter(text[i])).ToArray(); // "v=TLSRPTv1; rua="
            return Prop.ForAll(Arb.From(Gen.Elements(letters)), at =>
            {
                var flipped = char.IsUpper(text[at]) ? char.ToLowerInvariant(text[at]) : char.ToUpperInvariant(text[at]);
                var mutated = text[..at] + flipped + text[(at + 1)..];
                var result = TlsRptRecord.Parse(mutated);
                // "rUa=…" is an extension name, so the record then misses its rua (MissingField); an '=' inside its URIs
                // breaks the extension value there instead (tlsrpt-ext-value excludes '=').
                var firstEquals = text.IndexOf('=', 16);
                var ruaEnd = text.IndexOf(';', 16);
                return (at < 12
                        ? result.Match(static _ => false, e => e is MtaStsError.Syntax { Line: 1 } s && s.Column == at + 1)
                        : firstEquals >= 0 && firstEquals < ruaEnd
                            ? result.Match(static _ => false, e => e is MtaStsError.Syntax { Line: 1 } s && s.Column == firstEquals + 1)
                            : result.Match(static _ => false, static e => e is MtaStsError.MissingField { Field: "rua" }))
                    .Label($"{mutated}: {result}");
            });
        });
}
