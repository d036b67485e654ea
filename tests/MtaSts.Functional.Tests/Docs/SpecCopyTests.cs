using System.Text.RegularExpressions;

namespace MtaSts.Functional.Tests.Docs;

/// <summary>
/// docs/spec holds byte-identical copies of the team's ../shared/spec (checked when ../shared is there, as the
/// corpus copies are), so every decision id the code cites resolves in a clone of the repository.
/// </summary>
public partial class SpecCopyTests
{
    public static TheoryData<string> Files => new() { "DECISIONS.md", "rfc8461-digest.md" };

    [Theory]
    [MemberData(nameof(Files))]
    public void Copy_MatchesSharedSpecWhenPresent(string file)
    {
        var copy = File.ReadAllBytes(Path.Combine(Repo.Root, "docs", "spec", file));
        var shared = Path.Combine(Repo.Root, "..", "shared", "spec", file);

        Assert.NotEmpty(copy);
        if (File.Exists(shared))
        {
            Assert.Equal(File.ReadAllBytes(shared), copy);
        }
    }

    [Fact]
    public void EveryDecisionIdCitedInTheSources_IsDefinedInTheCopy()
    {
        var decisions = File.ReadAllText(Path.Combine(Repo.Root, "docs", "spec", "DECISIONS.md"));
        var defined = DefinedId().Matches(decisions).Select(static m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);
        var cited = Directory.EnumerateFiles(Path.Combine(Repo.Root, "src"), "*.cs", SearchOption.AllDirectories)
            .Where(static f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(static f => CitedId().Matches(File.ReadAllText(f)).Select(static m => m.Value))
            .ToHashSet(StringComparer.Ordinal);

        Assert.NotEmpty(cited);
        Assert.Empty(cited.Where(id => !defined.Contains(id)).Order(StringComparer.Ordinal));
    }

    /// <summary>A table row that defines an id: <c>| D-01 |</c>.</summary>
    [GeneratedRegex(@"^\| ([DLMCFT]-\d\d) \|", RegexOptions.Multiline)]
    private static partial Regex DefinedId();

    /// <summary>An id as the code cites it.</summary>
    [GeneratedRegex(@"\b[DLMCFT]-\d\d\b")]
    private static partial Regex CitedId();
}
