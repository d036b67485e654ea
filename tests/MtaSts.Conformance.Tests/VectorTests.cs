using System.Text.Json.Nodes;
using MtaSts.Conformance.Vectors;
using MtaSts.Functional.Tests.Docs;

namespace MtaSts.Conformance.Tests;

/// <summary>The vectors: one per public corpus vector, generated ones reproducible from their seed, every id with a text.</summary>
public class VectorTests
{
    [Fact]
    public void PublicVectors_OnePerCorpusVector_WithUniqueIds()
    {
        var corpus = PublicVectors.Files.Sum(static f => JsonNode.Parse(File.ReadAllText(Path.Combine(Repo.Root, "conformance", "corpus", f)))!.AsArray().Count);

        Assert.Equal(corpus, PublicVectors.All.Count);
        Assert.Equal(PublicVectors.All.Count, PublicVectors.All.Select(static v => v.Id).Distinct().Count());
    }

    [Fact]
    public void PublicVectors_EveryKindAndBothProfilesAreCovered()
    {
        Assert.Equal(Kinds.All.Order(), PublicVectors.All.Select(static v => v.Kind).Distinct().Order());
        Assert.Contains(PublicVectors.All, static v => v.Profiles == Profiles.Lenient);
        Assert.Contains(PublicVectors.All, static v => v.Profiles == Profiles.Strict);
    }

    [Fact]
    public void PublicVectors_StrictlyInvalidInputOfAModeKind_IsNotInTheLenientProfile()
    {
        // P-05-like rows: invalid strictly; their lenient outcome is given by the L.* copies only.
        Assert.All(
            PublicVectors.All.Where(static v => v.Kind is Kinds.Record or Kinds.Policy or Kinds.TlsRptRecord && v.Profiles.HasFlag(Profiles.Lenient) && v.Profiles.HasFlag(Profiles.Strict)),
            static v => Assert.True(v.Expect["accepted"]!.GetValue<bool>(), v.Id));
    }

    [Fact]
    public void Vectors_EveryTestedIdHasARequirementText()
    {
        var (publicVectors, generated) = Kit.Vectors(Kinds.All, Profiles.Strict, 2_000, 3);
        var (_, lenient) = Kit.Vectors(Kinds.All, Profiles.Lenient, 2_000, 3);
        var ids = publicVectors.Concat(generated).Concat(lenient).SelectMany(static v => v.Tests).Distinct().ToList();

        Assert.All(publicVectors.Concat(generated).Concat(lenient), static v => Assert.NotEmpty(v.Tests));
        Assert.All(ids, static id => Assert.False(string.IsNullOrEmpty(Requirements.Text(id)), $"{id} has no text in DECISIONS.md or the digest"));
    }

    [Fact]
    public void Generated_SameSeed_SameVectors_OtherSeed_OtherVectors()
    {
        static string Lines(ulong seed) => string.Join('\n', GeneratedVectors.Create(500, seed, Profiles.Strict, Kinds.All).Select(static v => v.ToJson().ToJsonString()));

        Assert.Equal(Lines(11), Lines(11));
        Assert.NotEqual(Lines(11), Lines(12));
    }

    [Theory]
    [InlineData("strict")]
    [InlineData("lenient")]
    public void Generated_ExactCount_OfTheRequestedKinds_ForTheProfile(string profileName)
    {
        var profile = profileName == "lenient" ? Profiles.Lenient : Profiles.Strict;
        var vectors = GeneratedVectors.Create(777, 5, profile, [Kinds.Record, Kinds.Match]);

        Assert.Equal(777, vectors.Count);
        Assert.All(vectors, v => Assert.True(v.Kind is Kinds.Record or Kinds.Match && v.Profiles == profile && v.Origin == "generated", v.Id));
        Assert.Contains(vectors, static v => v.Kind == Kinds.Match);
        Assert.Contains(vectors, static v => v.Id.EndsWith(".mutation", StringComparison.Ordinal));
    }

    [Fact]
    public void Generated_KindWithoutGenerators_GivesNone() =>
        Assert.Empty(GeneratedVectors.Create(10, 1, Profiles.Strict, [Kinds.CertName]));

    [Fact]
    public void Generated_Deviation_IsRejectedStrictlyAndAcceptedLeniently()
    {
        var strict = GeneratedVectors.Create(3_000, 9, Profiles.Strict, [Kinds.Policy]).Where(static v => v.Id.EndsWith(".deviation", StringComparison.Ordinal)).ToList();
        var lenient = GeneratedVectors.Create(3_000, 9, Profiles.Lenient, [Kinds.Policy]).Where(static v => v.Id.EndsWith(".deviation", StringComparison.Ordinal)).ToList();

        Assert.NotEmpty(strict);
        Assert.NotEmpty(lenient);
        Assert.All(strict, static v => Assert.False(v.Expect["accepted"]!.GetValue<bool>(), v.Id));
        Assert.All(lenient, static v => Assert.True(v.Expect["accepted"]!.GetValue<bool>() && v.Tests.Contains("L-01"), v.Id));
    }
}
