using MtaSts.Conformance.Run;
using MtaSts.Conformance.Vectors;

namespace MtaSts.Conformance.Tests;

/// <summary>This project's own adapter (conformance/adapters/dotnet) passes every public vector and 10,000 generated ones, in both profiles.</summary>
public class OwnAdapterTests
{
    public const int Generated = 10_000;

    [Theory]
    [InlineData("strict", 20261201UL)]
    [InlineData("lenient", 20261202UL)]
    public async Task OwnAdapter_EveryPublicAndTenThousandGeneratedVectors_AllPass(string profileName, ulong seed)
    {
        var profile = profileName == "lenient" ? Profiles.Lenient : Profiles.Strict;
        var (publicVectors, generated) = Kit.Vectors(Kinds.All, profile, Generated, seed);
        var (result, error) = await Runner.RunAsync([.. publicVectors, .. generated], new RunOptions(Programs.Dotnet, [Programs.Adapter], profile, TimeSpan.FromSeconds(30)));

        Assert.True(result is not null, error);
        Assert.Equal(publicVectors.Count + Generated, result.Results.Count);
        var failures = result.Results.Where(static r => r.Verdict.Outcome != Outcome.Passed).Take(5).Select(static r => $"{r.Vector.Id}: {r.Verdict.Outcome} {r.Verdict.Detail} {r.Verdict.Answer}");
        Assert.True(result.ExitCode == 0 && result.Results.All(static r => r.Verdict.Outcome == Outcome.Passed), string.Join("\n", failures));
        Assert.Equal(0, result.Restarts);
        Assert.Equal("MtaSts.Functional", result.Implementation.Name);
    }
}
