using LanguageExt;
using MtaSts.Functional.Syntax;

namespace MtaSts.Functional.Tooling;

/// <summary>The TLSRPT record (RFC 8460 §3) in the linter: errors and warnings as the reader gives them, hints for what is kept but unused.</summary>
public static partial class Lint
{
    /// <summary>
    /// Lints one <c>_smtp._tls</c> TXT record (strings already concatenated): every error with its position and rule,
    /// the lenient repairs as warnings (T-07), and a hint at each URI that is valid but receives no report (T-04, T-08),
    /// at each URI that repeats an earlier one (T-03), and when no URI can receive a report.
    /// </summary>
    /// <param name="text">The record text, e.g. <c>v=TLSRPTv1; rua=mailto:reports@example.com</c>.</param>
    /// <param name="mode">Strict (T-01), or lenient (T-07).</param>
    /// <returns>The report.</returns>
    public static LintReport TlsRptRecord(string? text, ParseMode mode = ParseMode.Strict) =>
        TlsRptReader.Reading(text, mode).Match(
            Right: static r => new LintReport(Seq<MtaStsError>.Empty, r.Parsed.Warnings) { Hints = DestinationHints(r) },
            Left: static e => new LintReport(e.All, Seq<ParseWarning>.Empty) { Hints = HintsFor(e.All) });

    /// <summary>The hint for a TLSRPT error where the fix is obvious (<see cref="Hint"/> asks here first), or null.</summary>
    private static LintHint? TlsRptHint(MtaStsError error) => error switch
    {
        MtaStsError.Syntax s when s.Rule == RuleNames.TlsRptVersion && s.SourceLine.TrimStart().StartsWith("v=tlsrptv1", StringComparison.OrdinalIgnoreCase)
            => At(s, "the record begins with exactly 'v=TLSRPTv1': it is case-sensitive (RFC 8460 §3 [T-01])"),
        MtaStsError.Syntax s when s.Rule == RuleNames.TlsRptRecord && s.Column == 1 && s.SourceLine.Length > 0 && char.IsWhiteSpace(s.SourceLine[0])
            && s.SourceLine.TrimStart().StartsWith("v=TLSRPTv1", StringComparison.Ordinal)
            => At(s, "remove the whitespace before 'v=TLSRPTv1' (lenient mode accepts it with a warning [T-07])"),
        MtaStsError.MissingField { Field: "rua" } => new LintHint(0, 0, RuleNames.TlsRptRua, "add 'rua=mailto:<address>' or 'rua=https://<collector>' after 'v=TLSRPTv1;' (RFC 8460 §3: rua is required [T-03])"),
        _ => null,
    };

    /// <summary>Hints at the URIs that receive no report: an unsupported scheme or form (T-04, T-08), a repeat (T-03); and when none can receive one.</summary>
    private static Seq<LintHint> DestinationHints(TlsRptReading reading)
    {
        var hints = new List<LintHint>();
        var seen = new System.Collections.Generic.HashSet<string>(StringComparer.Ordinal);
        foreach (var field in reading.Fields.OfType<TlsRptField.Rua>())
        {
            var at = field.Offset;
            foreach (var uri in field.Uris)
            {
                at = reading.Text.IndexOf(uri.Text, at, StringComparison.Ordinal);
                var (line, column) = reading.Map.Position(reading.Map.OriginalOffset(at));
                if (!seen.Add(uri.Text))
                {
                    hints.Add(new LintHint(line, column, RuleNames.TlsRptUri, $"'{uri.Text}' is listed before and is kept once (RFC 8460 §3 [T-03]); remove it"));
                }
                else if (TlsRptSemantics.Classify(uri) == ReportingScheme.Unsupported)
                {
                    hints.Add(new LintHint(line, column, RuleNames.TlsRptUri, $"'{uri.Text}' is kept but receives no report: only a mailto: address or an https: URL with a host is used (RFC 8460 §3 [T-04, T-08])"));
                }

                at += uri.Text.Length;
            }
        }

        if (reading.Parsed.Value.Usable.IsEmpty)
        {
            hints.Add(new LintHint(0, 0, RuleNames.TlsRptRua, "no reporting URI can receive a report: add a mailto: or https: destination (RFC 8460 §3 [T-04])"));
        }

        return hints.ToSeq().Strict();
    }
}
