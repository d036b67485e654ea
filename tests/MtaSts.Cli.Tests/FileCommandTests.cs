using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace MtaSts.Cli.Tests;

/// <summary>lint, explain, evaluate on the bundled samples and on bad input: exit codes, diagnostics, JSON.</summary>
public class FileCommandTests
{
    private static string Sample(string name) => Path.Combine(Run.Samples, name);

    /// <summary>Sample → exit code and the diagnostics expected (file:line:col: severity[rule]), in order.</summary>
    public static TheoryData<string, bool, int, string> Lints => new()
    {
        { "policies/valid-enforce.txt", false, 0, "" },
        { "policies/valid-testing.txt", false, 0, "" },
        { "policies/valid-none.txt", false, 0, "" },
        { "policies/invalid.txt", false, 1, "2:7 error[sts-policy-mode] | 3:11 error[sts-policy-mx-value] | 4:8 error[Domain] | 5:11 error[sts-policy-max-age-value]" },
        { "policies/lenient-only.txt", false, 1, "2:1 error[sts-policy-record] | 3:5 error[sts-policy-extension] | 4:1 error[sts-policy-record]" },
        { "policies/lenient-only.txt", true, 0, "2:1 warning[BlankLine] | 3:5 warning[WhitespaceBeforeColon] | 4:1 warning[LeadingWhitespace] | 4:23 warning[MxTrailingDot]" },
        { "records/valid.txt", false, 0, "" },
        { "records/invalid.txt", false, 1, "1:17 error[sts-id]" },
        { "records/lenient-only.txt", false, 1, "1:1 error[sts-text-record]" },
        { "records/lenient-only.txt", true, 0, "1:1 warning[RecordLeadingWhitespace]" },
    };

    [Theory]
    [MemberData(nameof(Lints))]
    public async Task Lint_Sample_GivesCompilerStyleDiagnostics(string sample, bool lenient, int code, string expected)
    {
        var file = Sample(sample);
        var result = await Run.InProcess(lenient ? ["lint", "--lenient", file] : ["lint", file]);

        var found = Regex.Matches(result.Out, $@"^{Regex.Escape(file)}:(\d+:\d+): (error|warning)\[([^\]]+)\]", RegexOptions.Multiline)
            .Select(static m => $"{m.Groups[1].Value} {m.Groups[2].Value}[{m.Groups[3].Value}]");
        Assert.Equal(expected, string.Join(" | ", found));
        Assert.Equal(code, result.Code);
        Assert.Equal(string.Empty, result.Error);
    }

    [Fact]
    public async Task Lint_Error_ShowsTheSourceLineWithACaretUnderTheSpot_AndAHint()
    {
        var result = await Run.InProcess("lint", Sample("policies/invalid.txt"));

        var lines = result.Out.Split('\n');
        var at = Array.FindIndex(lines, static l => l.Contains(":3:11: error[sts-policy-mx-value]", StringComparison.Ordinal));
        Assert.Equal("  mx: mail.bücher.example", lines[at + 1]);
        Assert.Equal(2 + 10, lines[at + 2].IndexOf('^', StringComparison.Ordinal));
        Assert.Equal("  hint: mx values must be A-labels: did you mean mail.xn--bcher-kva.example?", lines[at + 3]);
    }

    [Fact]
    public async Task Lint_Json_HasTheDocumentedShape()
    {
        var result = await Run.InProcess("lint", "--json", Sample("policies/invalid.txt"));

        var json = JsonNode.Parse(result.Out)!;
        Assert.Equal(("policy", "strict", false), (json["kind"]!.GetValue<string>(), json["mode"]!.GetValue<string>(), json["valid"]!.GetValue<bool>()));
        var first = json["errors"]![0]!;
        Assert.Equal((2, 7, "sts-policy-mode", "mode: Enforce"), (first["line"]!.GetValue<int>(), first["column"]!.GetValue<int>(), first["rule"]!.GetValue<string>(), first["source"]!.GetValue<string>()));
        Assert.Contains("enforce", first["hint"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(4, json["errors"]!.AsArray().Count);
        Assert.Empty(json["warnings"]!.AsArray());
    }

    [Fact]
    public async Task Lint_MissingFields_AreReportedWithoutPosition()
    {
        var result = await Run.InProcessWithStdin(Encoding.UTF8.GetBytes("version: STSv1\nmx: a.example\n"), "lint", "-");

        Assert.Equal(1, result.Code);
        Assert.Contains("<stdin>: error[missing-field]: the required field 'mode' is missing\n  hint: add a line 'mode: …'", result.Out, StringComparison.Ordinal);
        Assert.Contains("<stdin>: error[missing-field]: the required field 'max_age' is missing", result.Out, StringComparison.Ordinal);
    }

    public static TheoryData<string, int, string> BadInputs => new()
    {
        { "missing", 2, "no such file" },
        { "directory", 2, "is a directory" },
        { "binary", 1, "binary data (a NUL byte at offset 3)" },
        { "latin1", 1, "not UTF-8 text (invalid byte at offset" },
        { "ten-megabytes", 1, "more than 1048576 bytes" },
    };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public async Task Lint_BadInput_IsOneClearLine_WithTheRightExitCode(string key, int code, string message)
    {
        var directory = Directory.CreateTempSubdirectory("mtasts-cli-").FullName;
        try
        {
            var path = Path.Combine(directory, key);
            switch (key)
            {
                case "directory":
                    Directory.CreateDirectory(path);
                    break;
                case "binary":
                    await File.WriteAllBytesAsync(path, [0x76, 0x65, 0x72, 0x00, 0x01]);
                    break;
                case "latin1":
                    await File.WriteAllBytesAsync(path, Encoding.Latin1.GetBytes("version: STSv1\nmode: enforce\nmx: bücher.example\n"));
                    break;
                case "ten-megabytes":
                    await File.WriteAllBytesAsync(path, Encoding.ASCII.GetBytes(new string('a', 10 * 1024 * 1024)));
                    break;
            }

            var result = await Run.InProcess("lint", path);

            Assert.Equal(code, result.Code);
            Assert.Equal(string.Empty, result.Out);
            var line = Assert.Single(result.Error.TrimEnd('\n').Split('\n'));
            Assert.StartsWith("mta-sts: " + path, line, StringComparison.Ordinal);
            Assert.Contains(message, line, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task Explain_Policy_ShowsEachFieldsRule_ThenTheCanonicalForm()
    {
        var result = await Run.InProcess("explain", Sample("policies/valid-enforce.txt"));

        Assert.Equal(0, result.Code);
        Assert.Matches(@"(?m)^  3:1  sts-policy-mx\s+mx: mail\.example\.com$", result.Out);
        Assert.Matches(@"(?m)^  6:1  sts-policy-max-age\s+max_age: 604800$", result.Out);
        Assert.EndsWith("canonical form:\n  version: STSv1\n  mode: enforce\n  mx: mail.example.com\n  mx: *.example.net\n  mx: backupmx.example.com\n  max_age: 604800\n", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Explain_Record_Json_ListsTheFields()
    {
        var result = await Run.InProcess("explain", "--json", Sample("records/valid.txt"));

        var json = JsonNode.Parse(result.Out)!;
        Assert.Equal("record", json["kind"]!.GetValue<string>());
        Assert.Equal(["sts-version", "sts-id"], json["fields"]!.AsArray().Select(static f => f!["rule"]!.GetValue<string>()).ToArray());
        Assert.Equal("v=STSv1; id=20160831085700Z;", json["canonical"]!.GetValue<string>());
    }

    [Fact]
    public async Task Explain_InvalidInput_ShowsTheErrors_Exit1()
    {
        var result = await Run.InProcess("explain", Sample("records/invalid.txt"));

        Assert.Equal(1, result.Code);
        Assert.Contains("records/invalid.txt:1:17: error[sts-id]", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Evaluate_GivesTheDecisionPerMx_InOrder_WithTheSection()
    {
        var result = await Run.InProcess("evaluate", "--policy", Sample("policies/valid-enforce.txt"), "--mx", "mx1.example.net", "evil.example.org", "mail.example.com");

        Assert.Equal(1, result.Code);
        var lines = result.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).ToArray();
        Assert.StartsWith("  mx1.example.net: deliver", lines[0], StringComparison.Ordinal);
        Assert.StartsWith("  evil.example.org: refuse", lines[1], StringComparison.Ordinal);
        Assert.EndsWith("(§4.1, §5)", lines[1], StringComparison.Ordinal);
        Assert.StartsWith("  mail.example.com: deliver", lines[2], StringComparison.Ordinal);
    }

    public static TheoryData<string, string, string, string, int> TlsCases => new()
    {
        { "policies/valid-enforce.txt", "mail.example.com", "valid", "deliver", 0 },
        { "policies/valid-enforce.txt", "mail.example.com", "certificate-expired", "refuse", 1 },
        { "policies/valid-testing.txt", "mx.mail.example.org", "StartTlsNotSupported", "deliver-and-report", 0 },
        { "policies/valid-none.txt", "mx.mail.example.org", "certificate-not-trusted", "not-applied", 0 },
    };

    [Theory]
    [MemberData(nameof(TlsCases))]
    public async Task Evaluate_TlsOutcome_Json(string policy, string mx, string tls, string decision, int code)
    {
        var result = await Run.InProcess("evaluate", "--json", "--policy", Sample(policy), "--mx", mx, "--tls", tls);

        Assert.Equal(code, result.Code);
        var json = JsonNode.Parse(result.Out)!;
        var only = Assert.Single(json["decisions"]!.AsArray())!;
        Assert.Equal(decision, only["decision"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(only["section"]!.GetValue<string>()));
    }

    public static TheoryData<string[]> UsageErrors => new()
    {
        new[] { "evaluate", "--policy", "x.txt" },
        new[] { "evaluate", "--policy", "x.txt", "--mx", "a.example", "--tls", "sort-of" },
        new[] { "lint" },
        new[] { "frobnicate" },
        new[] { "scan", "-", "--concurrency", "many" },
    };

    [Theory]
    [MemberData(nameof(UsageErrors))]
    public async Task UsageError_Exit2_NoStackTrace(string[] args)
    {
        var result = await Run.InProcess(args);

        Assert.Equal(2, result.Code);
        Assert.StartsWith("mta-sts: ", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_ListsTheCommandsAndExitCodes()
    {
        var result = await Run.InProcess("--help");

        Assert.Equal(0, result.Code);
        foreach (var command in new[] { "lint", "explain", "evaluate", "check", "scan", "cache" })
        {
            Assert.Contains("  " + command, result.Out, StringComparison.Ordinal);
        }

        Assert.Contains("3 network or temporary failure", result.Out, StringComparison.Ordinal);
    }
}
