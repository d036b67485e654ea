using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace MtaSts.Cli.Tests;

/// <summary>lint and explain on a TLSRPT record (RFC 8460 §3): detected by its version, diagnostics and JSON as for the STS record.</summary>
public class TlsRptFileCommandTests
{
    private static string Sample(string name) => Path.Combine(Run.Samples, "records", name);

    public static TheoryData<string, bool, int, string> Lints => new()
    {
        { "tlsrpt-valid.txt", false, 0, "" },
        { "tlsrpt-invalid.txt", false, 1, "1:27 error[tlsrpt-uri]" },
        { "tlsrpt-lenient-only.txt", false, 1, "1:1 error[tlsrpt-record]" },
        { "tlsrpt-lenient-only.txt", true, 0, "1:1 warning[RecordLeadingWhitespace] | 1:12 warning[EmptyField]" },
    };

    [Theory]
    [MemberData(nameof(Lints))]
    public async Task Lint_TlsRptSample_GivesCompilerStyleDiagnostics(string sample, bool lenient, int code, string expected)
    {
        var file = Sample(sample);
        var result = await Run.InProcess(lenient ? ["lint", "--lenient", file] : ["lint", file]);

        var found = Regex.Matches(result.Out, $@"^{Regex.Escape(file)}:(\d+:\d+): (error|warning)\[([^\]]+)\]", RegexOptions.Multiline)
            .Select(static m => $"{m.Groups[1].Value} {m.Groups[2].Value}[{m.Groups[3].Value}]");
        Assert.True(expected == string.Join(" | ", found) && code == result.Code, result.ToString());
        Assert.Equal(string.Empty, result.Error);
    }

    [Fact]
    public async Task Lint_Valid_SaysTlsRptRecord()
    {
        var result = await Run.InProcess("lint", Sample("tlsrpt-valid.txt"));

        Assert.EndsWith(": valid TLSRPT record (strict), 0 warning(s)\n", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Lint_Invalid_ShowsTheCaretAndTheMessage()
    {
        var result = await Run.InProcess("lint", Sample("tlsrpt-invalid.txt"));

        var lines = result.Out.Split('\n');
        var at = Array.FindIndex(lines, static l => l.Contains(":1:27: error[tlsrpt-uri]: '!' must be percent-encoded as %21", StringComparison.Ordinal));
        Assert.True(at >= 0, result.ToString());
        Assert.Equal("  v=TLSRPTv1; rua=mailto:tls!rpt@example.com", lines[at + 1]);
        Assert.Equal(2 + 26, lines[at + 2].IndexOf('^', StringComparison.Ordinal));
    }

    [Fact]
    public async Task Lint_WrongCaseVersion_IsLintedAsTlsRpt_WithAHint()
    {
        var result = await Run.InProcessWithStdin("v=tlsrptv1; rua=mailto:a@example.com"u8.ToArray(), "lint", "-");

        Assert.Equal(1, result.Code);
        Assert.Contains(":1:3: error[tlsrpt-version]", result.Out, StringComparison.Ordinal);
        Assert.Contains("hint: the record begins with exactly 'v=TLSRPTv1': it is case-sensitive", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Lint_Json_UnsupportedDestination_IsAPositionedHint()
    {
        var result = await Run.InProcessWithStdin("v=TLSRPTv1; rua=ftp://files.example/r"u8.ToArray(), "lint", "--json", "-");

        var json = JsonNode.Parse(result.Out)!;
        Assert.Equal(("tlsrpt-record", true), (json["kind"]!.GetValue<string>(), json["valid"]!.GetValue<bool>()));
        Assert.Equal(
            [(1, 17, "tlsrpt-uri"), ((int?)null, (int?)null, "tlsrpt-rua")],
            json["hints"]!.AsArray().Select(static h => (h!["line"]?.GetValue<int>(), h["column"]?.GetValue<int>(), h["rule"]!.GetValue<string>())).ToArray());
        Assert.Equal(0, result.Code);
    }

    [Fact]
    public async Task Explain_TlsRpt_ShowsEachFieldAndTheCanonicalForm()
    {
        var result = await Run.InProcess("explain", Sample("tlsrpt-valid.txt"));

        Assert.Equal(0, result.Code);
        Assert.Contains(": an _smtp._tls TXT record (RFC 8460 §3)\n", result.Out, StringComparison.Ordinal);
        Assert.Contains("  1:1  tlsrpt-version         v=TLSRPTv1\n", result.Out, StringComparison.Ordinal);
        Assert.Contains("  1:13  tlsrpt-rua             rua=mailto:tlsrpt@example.com,https://reports.example.com/v1/tlsrpt\n", result.Out, StringComparison.Ordinal);
        Assert.EndsWith("canonical form:\n  v=TLSRPTv1; rua=mailto:tlsrpt@example.com,https://reports.example.com/v1/tlsrpt;\n", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Explain_Json_KindIsTlsRptRecord()
    {
        var result = await Run.InProcess("explain", "--json", "--lenient", Sample("tlsrpt-lenient-only.txt"));

        var json = JsonNode.Parse(result.Out)!;
        Assert.Equal(("tlsrpt-record", true), (json["kind"]!.GetValue<string>(), json["valid"]!.GetValue<bool>()));
        Assert.Equal(["tlsrpt-version", "tlsrpt-rua"], json["fields"]!.AsArray().Select(static f => f!["rule"]!.GetValue<string>()).ToArray());
        Assert.Equal("v=TLSRPTv1; rua=mailto:tlsrpt@example.com;", json["canonical"]!.GetValue<string>());
    }

    [Fact]
    public async Task Explain_Invalid_Exit1()
    {
        var result = await Run.InProcess("explain", Sample("tlsrpt-invalid.txt"));

        Assert.Equal(1, result.Code);
        Assert.Contains("error[tlsrpt-uri]", result.Out, StringComparison.Ordinal);
    }
}
