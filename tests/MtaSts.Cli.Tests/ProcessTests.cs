namespace MtaSts.Cli.Tests;

/// <summary>The tool as a real process: exit codes and output go through the real console.</summary>
public class ProcessTests
{
    [Fact]
    public async Task ReadmeFirstCommand_RunsTheMainJobOnTheSamples()
    {
        // The README's first command, taken from the README itself.
        var readme = File.ReadAllText(Path.Combine(MtaSts.Functional.Tests.Docs.Repo.Root, "README.md")).ReplaceLineEndings("\n");
        var start = readme.IndexOf("```bash\n", StringComparison.Ordinal) + "```bash\n".Length;
        var command = readme[start..readme.IndexOf('\n', start)];
        const string Prefix = "dotnet run --project src/MtaSts.Cli -- ";
        Assert.StartsWith(Prefix, command, StringComparison.Ordinal);

        var result = await Run.Process(command[Prefix.Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries));

        Assert.True(result.Code == 1, result.ToString());
        Assert.Equal(
            [
                "samples/policies/valid-enforce.txt: mode enforce, 3 mx pattern(s); TLS outcome not-negotiated",
                "  mail.example.com: deliver: matches mx pattern 'mail.example.com' (enforce); require STARTTLS with a certificate valid for the MX host (§4.1, §5)",
                "  mx1.example.net: deliver: matches mx pattern '*.example.net' (enforce); require STARTTLS with a certificate valid for the MX host (§4.1, §5)",
                "  evil.example.org: refuse this MX and try the next one (transient): MxMismatch, result type validation-failure (§4.1, §5)",
            ],
            result.Out.ReplaceLineEndings("\n").TrimEnd('\n').Split('\n'));
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
