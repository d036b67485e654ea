namespace MtaSts.Cli.Tests;

/// <summary>Every option is validated before use (a usage error, exit 2, one line); an unexpected exception is a bug (exit 70), never a verdict.</summary>
public class OptionValidationTests
{
    [Theory]
    [InlineData("check", "nan")]
    [InlineData("check", "NaN")]
    [InlineData("check", "1e300")]
    [InlineData("check", "-1")]
    [InlineData("check", "0")]
    [InlineData("check", "Infinity")]
    [InlineData("check", "3601")]
    [InlineData("scan", "nan")]
    [InlineData("scan", "1e300")]
    [InlineData("scan", "-1")]
    [InlineData("scan", "0")]
    public async Task Timeout_OutOfRange_IsAUsageError_InOneLine(string command, string timeout)
    {
        var target = command == "scan" ? "-" : "example.com";
        var result = await Run.InProcessWithStdin("example.com\n"u8.ToArray(), command, target, "--timeout", timeout);

        Assert.True(result.Code == 2, result.ToString());
        Assert.Equal(string.Empty, result.Out);
        var line = Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("mta-sts: ", line, StringComparison.Ordinal);
        Assert.DoesNotContain("bug", line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--policy-port", "0")]
    [InlineData("--policy-port", "65536")]
    [InlineData("--dns", "not-an-address")]
    [InlineData("--concurrency", "0")]
    public async Task OtherOptions_OutOfRange_AreUsageErrors(string option, string value)
    {
        var result = await Run.InProcessWithStdin("example.com\n"u8.ToArray(), "scan", "-", option, value);

        Assert.True(result.Code == 2, result.ToString());
        Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task UnexpectedException_IsReportedAsABug_WithItsOwnExitCode()
    {
        var error = new StringWriter { NewLine = "\n" };
        var console = new CliConsole(new StringWriter(), error, () => new MemoryStream(), Rich: false);

        var code = await MtaStsCli.Guard(console, static () => throw new InvalidOperationException("boom"));

        Assert.Equal(70, code);
        Assert.Equal("mta-sts: bug: unexpected InvalidOperationException: boom (please report it; exit 70)\n", error.ToString());
    }
}
