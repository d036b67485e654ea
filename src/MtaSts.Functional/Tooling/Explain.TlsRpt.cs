using LanguageExt;
using MtaSts.Functional.Syntax;

namespace MtaSts.Functional.Tooling;

/// <summary>The TLSRPT record (RFC 8460 §3) explained field by field, as the STS record is.</summary>
public static partial class Explain
{
    /// <summary>Explains one <c>_smtp._tls</c> TXT record: each field with its rule and meaning, each reporting URI with what it is used for.</summary>
    /// <param name="text">The record text.</param>
    /// <param name="mode">Strict or lenient.</param>
    /// <returns>The fields in order and the canonical text (<see cref="Functional.TlsRptRecord.Render"/>), or the error when the record is not valid.</returns>
    public static Either<MtaStsError, Explanation> TlsRptRecord(string? text, ParseMode mode = ParseMode.Strict) =>
        TlsRptReader.Reading(text, mode).Map(static r => new Explanation(Fields(r), r.Parsed.Value.Render()));

    private static Seq<ExplainedField> Fields(TlsRptReading reading)
    {
        var (fields, parsed, map, _) = reading;
        var seen = new System.Collections.Generic.HashSet<string>(StringComparer.Ordinal);
        var result = new List<ExplainedField>(fields.Count);
        for (var i = 0; i < fields.Count; i++)
        {
            var field = fields[i];
            var end = i + 1 < fields.Count ? fields[i + 1].Offset : parsed.Length;
            var fieldText = parsed[field.Offset..end].TrimEnd(' ', '\t', ';');
            var (row, column) = map.Position(map.OriginalOffset(field.Offset));
            var (rule, meaning) = field switch
            {
                TlsRptField.Version => (RuleNames.TlsRptVersion, "v=TLSRPTv1: a TLSRPT record, version 1: the domain asks for daily reports of TLS sessions with it (RFC 8460 §3)"),
                TlsRptField.Rua rua => (RuleNames.TlsRptRua, $"send the daily reports to: {string.Join("; ", rua.Uris.Map(u => Destination(u, seen)))} (RFC 8460 §3: every usable destination may be tried; delivered when one accepts)"),
                TlsRptField.Ext e => (RuleNames.TlsRptExtension, $"extension '{e.Extension.Name}' = '{e.Extension.Value}': kept, no effect (RFC 8460 §3: unknown fields SHALL be ignored [T-05])"),
                _ => throw new System.Diagnostics.UnreachableException(),
            };
            result.Add(new ExplainedField(row, column, rule, fieldText, meaning));
        }

        return result.ToSeq().Strict();
    }

    private static string Destination(TlsRptUriText uri, System.Collections.Generic.HashSet<string> seen) =>
        !seen.Add(uri.Text) ? $"{uri.Text} (a repeat, kept once [T-03])"
        : TlsRptSemantics.Classify(uri) switch
        {
            ReportingScheme.Mailto => $"{uri.Text} (mailed, RFC 8460 §5.3)",
            ReportingScheme.Https => $"{uri.Text} (POSTed over HTTPS, RFC 8460 §5.4)",
            _ => $"{uri.Text} (kept, but no report is sent there: only mailto: and https: [T-04, T-08])",
        };
}
