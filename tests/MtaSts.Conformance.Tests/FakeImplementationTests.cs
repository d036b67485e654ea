using System.Text.Json.Nodes;
using MtaSts.Conformance.Run;
using MtaSts.Conformance.Vectors;

namespace MtaSts.Conformance.Tests;

/// <summary>The protocol against a fake implementation: every misbehaviour is that vector's verdict, and the run goes on (docs/conformance-protocol.md, "Judging").</summary>
public class FakeImplementationTests
{
    [Fact]
    public async Task Run_FakeMisbehaves_EachReportedAsSuchAndTheRunContinues()
    {
        string[] ids = ["right1", "wrong", "right2", "missing", "wrongtype", "garbled", "right3", "crash", "right4", "hang", "right5", "wrongseq", "right6", "unsupported", "right7"];
        var result = await Run([.. ids.Select(Accepting)], timeoutSeconds: 2);

        Assert.Equal(
            [
                Outcome.Passed, Outcome.Wrong, Outcome.Passed, Outcome.MissingField, Outcome.MissingField, Outcome.Garbled, Outcome.Passed,
                Outcome.Crash, Outcome.Passed, Outcome.Hang, Outcome.Passed, Outcome.Garbled, Outcome.Passed, Outcome.NotSupported, Outcome.Passed,
            ],
            result.Results.Select(static r => r.Verdict.Outcome));
        Assert.Equal(4, result.Restarts); // after the garbled line, the crash, the hang and the wrong seq
        Assert.Null(result.Stopped);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("crashing on purpose", Verdict(result, "crash").Detail, StringComparison.Ordinal); // the stderr tail
        Assert.Contains("exited with code 3", Verdict(result, "crash").Detail, StringComparison.Ordinal);
        Assert.Equal("this is not JSON", Verdict(result, "garbled").Answer);
        Assert.Contains("'id' is missing", Verdict(result, "missing").Detail, StringComparison.Ordinal);
        Assert.Contains("'id' is not a string", Verdict(result, "wrongtype").Detail, StringComparison.Ordinal);
        Assert.Contains("id: expected \"wrong\", got \"another\"", Verdict(result, "wrong").Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_AnswerLaterThanTheTimeout_IsAHangAndTheNextVectorPasses()
    {
        var result = await Run([Accepting("slow"), Accepting("after")], timeoutSeconds: 1);

        Assert.Equal([Outcome.Hang, Outcome.Passed], result.Results.Select(static r => r.Verdict.Outcome));
        Assert.Equal(1, result.Restarts);
    }

    [Fact]
    public async Task Run_RejectionExpected_AcceptingAnswerIsWrong()
    {
        var result = await Run([Rejecting("v=STSv1; id=looksfine"), Rejecting("v=STSv1 ; id=x")], timeoutSeconds: 5);

        // The fake accepts "v=STSv1; id=…" and rejects anything else.
        Assert.Equal([Outcome.Wrong, Outcome.Passed], result.Results.Select(static r => r.Verdict.Outcome));
        Assert.Equal("accepted: expected false, got true", result.Results[0].Verdict.Detail);
    }

    [Fact]
    public async Task Run_KindNotListedInHello_IsNotSupportedAndNotSent()
    {
        var result = await Run([Accepting("crash")], timeoutSeconds: 5, "--kinds", "policy");

        var verdict = Assert.Single(result.Results).Verdict;
        Assert.Equal(Outcome.NotSupported, verdict.Outcome); // not sent: the fake would have crashed
        Assert.Equal(0, result.Restarts);
        Assert.Equal(0, result.ExitCode);
    }

    [Theory]
    [InlineData("--no-hello", "exited with code 5 before answering hello")]
    [InlineData("--protocol", "speaks protocol 2")]
    public async Task Run_HelloFails_TheImplementationCannotBeRun(string flag, string why)
    {
        string[] args = flag == "--protocol" ? [Programs.Fake, flag, "2"] : [Programs.Fake, flag];
        var (result, error) = await Runner.RunAsync([Accepting("x")], new RunOptions(Programs.Dotnet, args, Profiles.Strict, TimeSpan.FromSeconds(5)));

        Assert.Null(result);
        Assert.Contains(why, error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_CommandDoesNotExist_TheImplementationCannotBeRun()
    {
        var (result, error) = await Runner.RunAsync([Accepting("x")], new RunOptions("/nonexistent/adapter", [], Profiles.Strict, TimeSpan.FromSeconds(5)));

        Assert.Null(result);
        Assert.StartsWith("cannot start /nonexistent/adapter", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_RestartsKeepFailing_TheRestIsNotRunAndTheExitCodeIs3()
    {
        var marker = Path.Combine(Path.GetTempPath(), $"mtasts-fake-{Guid.NewGuid():N}");
        try
        {
            var result = await Run([Accepting("first"), Accepting("crash"), Accepting("second"), Accepting("third")], timeoutSeconds: 5, "--once", marker);

            Assert.Equal([Outcome.Passed, Outcome.Crash, Outcome.NotRun, Outcome.NotRun], result.Results.Select(static r => r.Verdict.Outcome));
            Assert.Contains($"could not be restarted ({Runner.RestartAttempts} attempts)", result.Stopped, StringComparison.Ordinal);
            Assert.Equal(3, result.ExitCode);
        }
        finally
        {
            File.Delete(marker);
        }
    }

    /// <summary>A record vector "v=STSv1; id=X" expected to be accepted with id X.</summary>
    internal static Vector Accepting(string id) =>
        new(id, Kinds.Record, Profiles.Both, new JsonObject { ["kind"] = Kinds.Record, ["input"] = $"v=STSv1; id={id}" }, new JsonObject { ["accepted"] = true, ["id"] = id }, ["D-09"], "RFC 8461 §3.1", "test", "test");

    private static Vector Rejecting(string input) =>
        new(input, Kinds.Record, Profiles.Both, new JsonObject { ["kind"] = Kinds.Record, ["input"] = input }, new JsonObject { ["accepted"] = false }, ["D-09"], "RFC 8461 §3.1", "test", "test");

    private static Verdict Verdict(RunResult result, string id) => result.Results.Single(r => r.Vector.Id == id).Verdict;

    private static async Task<RunResult> Run(IReadOnlyList<Vector> vectors, double timeoutSeconds, params string[] fakeArgs)
    {
        var (result, error) = await Runner.RunAsync(vectors, new RunOptions(Programs.Dotnet, [Programs.Fake, .. fakeArgs], Profiles.Strict, TimeSpan.FromSeconds(timeoutSeconds)));
        Assert.True(result is not null, error);
        return result;
    }
}
