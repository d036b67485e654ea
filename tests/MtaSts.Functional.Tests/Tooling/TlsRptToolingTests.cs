using MtaSts.Functional.Tooling;

namespace MtaSts.Functional.Tests.Tooling;

/// <summary><see cref="Lint.TlsRptRecord"/> and <see cref="Explain.TlsRptRecord"/>: positioned errors, warnings and hints, and each field's meaning (RFC 8460 §3, T-01..T-08).</summary>
public class TlsRptToolingTests
{
    private const string Mixed = "v=TLSRPTv1; rua=mailto:a@example.com,https://c.example/v1,ftp://x.example/r,mailto:a@example.com; ext=1";

    private static string Hints(LintReport report) => string.Join(" | ", report.Hints.Map(static h => $"{h.Line}:{h.Column} {h.Rule}"));

    [Theory]
    [InlineData("v=tlsrptv1; rua=mailto:a@example.com", "1:3 tlsrpt-version", "1:3 tlsrpt-version", "case-sensitive")]
    [InlineData("  v=TLSRPTv1; rua=mailto:a@example.com", "1:1 tlsrpt-record", "1:1 tlsrpt-record", "remove the whitespace")]
    [InlineData("v=TLSRPTv1; x=y", "0:0 missing-field", "0:0 tlsrpt-rua", "rua is required")]
    [InlineData("v=TLSRPTv1; rua=mailto:a!b@example.com", "1:25 tlsrpt-uri", "", "")]
    [InlineData("v=TLSRPTv1; rua=mailto:a@example.com; rua=relative/path", "1:51 tlsrpt-uri", "", "")]
    [InlineData("v=TLSRPTv1; rua=mailto:a@example.com;; x=1", "1:38 tlsrpt-record", "", "")]
    [InlineData("v=TLSRPTv2; rua=mailto:a@example.com", "1:10 tlsrpt-version", "", "")]
    [InlineData("  x=1", "1:1 tlsrpt-record", "", "")]
    [InlineData("", "1:1 tlsrpt-record", "", "")]
    public void Lint_InvalidRecord_ErrorAtItsPosition_WithTheHintWhereTheFixIsObvious(string text, string error, string hint, string hintText)
    {
        var report = Lint.TlsRptRecord(text);

        var e = Assert.Single(report.Errors);
        Assert.Equal(error, e is MtaStsError.Syntax s ? $"{s.Line}:{s.Column} {s.Rule}" : $"0:0 {e.Code}");
        Assert.False(report.IsValid);
        Assert.Equal(hint, Hints(report));
        Assert.Contains(hintText, string.Concat(report.Hints.Map(static h => h.Text)), StringComparison.Ordinal);
    }

    [Fact]
    public void Lint_ValidRecord_HintsAtTheUnsupportedAndTheRepeatedUri()
    {
        var report = Lint.TlsRptRecord(Mixed);

        Assert.True(report.IsValid);
        Assert.Empty(report.Warnings);
        Assert.Equal("1:59 tlsrpt-uri | 1:77 tlsrpt-uri", Hints(report));
        Assert.Contains("'ftp://x.example/r' is kept but receives no report", report.Hints[0].Text, StringComparison.Ordinal);
        Assert.Contains("listed before and is kept once", report.Hints[1].Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Lint_NoUsableDestination_SaysSo()
    {
        var report = Lint.TlsRptRecord("v=TLSRPTv1; rua=foo:bar");

        Assert.True(report.IsValid); // T-04: valid, but no report can be delivered
        Assert.Equal("1:17 tlsrpt-uri | 0:0 tlsrpt-rua", Hints(report));
        Assert.Equal("no reporting URI can receive a report: add a mailto: or https: destination (RFC 8460 §3 [T-04])", report.Hints[1].Text);
    }

    [Theory]
    [InlineData("  v=TLSRPTv1; rua=mailto:a!b@example.com", "1:27 tlsrpt-uri")]
    [InlineData("  v=TLSRPTv1; rua=mailto:a@example.com; =x", "1:41 tlsrpt-record")]
    public void Lint_Lenient_ErrorAfterTheSkippedWhitespace_HasNoWhitespaceHint(string text, string error)
    {
        var report = Lint.TlsRptRecord(text, ParseMode.Lenient);

        Assert.Equal(error, Assert.IsType<MtaStsError.Syntax>(Assert.Single(report.Errors)) is var s ? $"{s.Line}:{s.Column} {s.Rule}" : default);
        Assert.Empty(report.Hints);
    }

    [Fact]
    public void Lint_Lenient_RepairsAreWarningsAtTheirPlace()
    {
        var report = Lint.TlsRptRecord("  v=TLSRPTv1;;rua=mailto:a@example.com", ParseMode.Lenient);

        Assert.True(report.IsValid);
        Assert.Equal(
            ["1:1 RecordLeadingWhitespace", "1:13 EmptyField"],
            report.Warnings.Map(static w => $"{w.Line}:{w.Column} {w.Kind}").ToArray());
        Assert.Empty(report.Hints);
    }

    [Fact]
    public void Lint_Valid_Clean() =>
        Assert.Equal((true, 0, 0, 0), Lint.TlsRptRecord("v=TLSRPTv1; rua=mailto:reports@example.com") is var r ? (r.IsValid, r.Errors.Count, r.Warnings.Count, r.Hints.Count) : default);

    [Fact]
    public void Explain_EachField_HasItsRuleTextAndMeaning()
    {
        var explained = Explain.TlsRptRecord(Mixed).Match(static x => x, static e => throw new InvalidOperationException(e.Render()));

        Assert.Equal(
            [
                "1:1 tlsrpt-version [v=TLSRPTv1] v=TLSRPTv1: a TLSRPT record, version 1: the domain asks for daily reports of TLS sessions with it (RFC 8460 §3)",
                "1:13 tlsrpt-rua [rua=mailto:a@example.com,https://c.example/v1,ftp://x.example/r,mailto:a@example.com] send the daily reports to: mailto:a@example.com (mailed, RFC 8460 §5.3); https://c.example/v1 (POSTed over HTTPS, RFC 8460 §5.4); ftp://x.example/r (kept, but no report is sent there: only mailto: and https: [T-04, T-08]); mailto:a@example.com (a repeat, kept once [T-03]) (RFC 8460 §3: every usable destination may be tried; delivered when one accepts)",
                "1:99 tlsrpt-extension [ext=1] extension 'ext' = '1': kept, no effect (RFC 8460 §3: unknown fields SHALL be ignored [T-05])",
            ],
            explained.Fields.Map(static f => $"{f.Line}:{f.Column} {f.Rule} [{f.Text}] {f.Meaning}").ToArray());
        Assert.Equal("v=TLSRPTv1; rua=mailto:a@example.com,https://c.example/v1,ftp://x.example/r; ext=1;", explained.Canonical);
    }

    [Fact]
    public void Explain_Lenient_PositionsAreInTheOriginalText()
    {
        var explained = Explain.TlsRptRecord("  v=TLSRPTv1;;rua=mailto:a@example.com", ParseMode.Lenient).Match(static x => x, static e => throw new InvalidOperationException(e.Render()));

        Assert.Equal(["1:3 tlsrpt-version", "1:15 tlsrpt-rua"], explained.Fields.Map(static f => $"{f.Line}:{f.Column} {f.Rule}").ToArray());
    }

    [Fact]
    public void Explain_InvalidRecord_IsTheParseError() =>
        Assert.Equal(
            TlsRptRecord.Parse("v=TLSRPTv1; rua=mailto:a!b@example.com").Match(static _ => "valid", static e => e.Render()),
            Explain.TlsRptRecord("v=TLSRPTv1; rua=mailto:a!b@example.com").Match(static _ => "valid", static e => e.Render()));
}
