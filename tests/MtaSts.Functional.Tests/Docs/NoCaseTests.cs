using System.Text.RegularExpressions;

namespace MtaSts.Functional.Tests.Docs;

/// <summary>
/// No LanguageExt <c>.Case</c> in <c>src</c> (issue 13: it is a cast in disguise, and gone in LanguageExt 5):
/// <c>IsLeft</c>/<c>IsSome</c> with Either's and Option's explicit conversions, or a <c>Match</c>, say the same.
/// </summary>
public partial class NoCaseTests
{
    [Fact]
    public void Sources_UseNoLanguageExtCase()
    {
        var files = Directory.GetFiles(Path.Combine(Repo.Root, "src"), "*.cs", SearchOption.AllDirectories)
            .Where(static f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .ToList();

        var uses = files
            .SelectMany(f => File.ReadAllLines(f).Select((line, i) => (File: Path.GetRelativePath(Repo.Root, f), Line: i + 1, Text: line)))
            .Where(static l => CaseUse().IsMatch(l.Text))
            .Select(static l => $"{l.File}:{l.Line}: {l.Text.Trim()}")
            .ToList();

        Assert.True(files.Count > 100, "the sources were not found");
        Assert.Empty(uses);
    }

    [GeneratedRegex(@"\.Case\b(?!\s*\()")]
    private static partial Regex CaseUse();
}
