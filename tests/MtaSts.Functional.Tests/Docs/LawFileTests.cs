using System.Text.RegularExpressions;

namespace MtaSts.Functional.Tests.Docs;

/// <summary>The laws (properties/…/Laws) are found by name: one law class per file, the file named after it.</summary>
public partial class LawFileTests
{
    public static TheoryData<string> LawFiles => new(
        Directory.GetFiles(Path.Combine(Repo.Root, "properties", "MtaSts.Functional.Properties", "Laws"), "*.cs").Select(Path.GetFileName).OfType<string>().Order());

    [Theory]
    [MemberData(nameof(LawFiles))]
    public void LawFile_HoldsOneClass_NamedAfterIt(string file)
    {
        var text = File.ReadAllText(Path.Combine(Repo.Root, "properties", "MtaSts.Functional.Properties", "Laws", file));

        var classes = TypeDeclaration().Matches(text).Select(static m => m.Groups["name"].Value).ToList();

        Assert.Equal([Path.GetFileNameWithoutExtension(file)], classes);
    }

    [Fact]
    public void LawFiles_AreThere() => Assert.True(LawFiles.Count >= 10);

    [GeneratedRegex(@"^\s*(?:public |internal |private )?(?:sealed |static |abstract |partial )*(?:class|record|struct) (?<name>\w+)", RegexOptions.Multiline)]
    private static partial Regex TypeDeclaration();
}
