namespace MtaSts.Cli.Tests;

/// <summary>The tool as a real process: exit codes and output go through the real console.</summary>
public class ProcessTests
{
    [Fact]
    public async Task Evaluate_TheReadmeCommand_Works()
    {
        var result = await Run.Process("evaluate", "--policy", "samples/policies/valid-enforce.txt", "--mx", "mail.example.com", "mx1.example.net");

        Assert.True(result.Code == 0, result.ToString());
        Assert.Contains("  mx1.example.net: deliver: matches mx pattern '*.example.net' (enforce)", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Lint_InvalidSample_Exit1_WithDiagnostics()
    {
        var result = await Run.Process("lint", "samples/policies/invalid.txt");

        Assert.True(result.Code == 1, result.ToString());
        Assert.StartsWith("samples/policies/invalid.txt:2:7: error[sts-policy-mode]:", result.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("\u001b[", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MissingFile_Exit2_OneLineOnStderr()
    {
        var result = await Run.Process("lint", "samples/no-such-file.txt");

        Assert.True(result.Code == 2, result.ToString());
        Assert.Equal("mta-sts: samples/no-such-file.txt: no such file\n", result.Error.ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task Version_Exit0()
    {
        var result = await Run.Process("--version");

        Assert.True(result.Code == 0, result.ToString());
        Assert.StartsWith("0.1.0", result.Out, StringComparison.Ordinal);
    }
}
