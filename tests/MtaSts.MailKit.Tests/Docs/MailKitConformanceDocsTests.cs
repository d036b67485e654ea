using System.Text.RegularExpressions;
using MtaSts.Functional.Tests.Docs;

namespace MtaSts.MailKit.Tests.Docs;

/// <summary>CONFORMANCE.md's MailKit section stays true: every type and test it names exists.</summary>
public class MailKitConformanceDocsTests
{
    [Fact]
    public void ConformanceSection_NamesOnlyExistingTypesAndTests()
    {
        var section = DocSection.Read("CONFORMANCE.md", "## Delivery through MailKit");
        var tests = Directory.EnumerateFiles(Path.Combine(Repo.Root, "tests", "MtaSts.MailKit.Tests"), "*.cs", SearchOption.AllDirectories)
            .Where(static f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(File.ReadAllText).ToList();
        var package = typeof(MtaStsSender).Assembly.GetTypes();
        var names = package.Select(static t => t.Name)
            .Concat(package.SelectMany(static t => t.GetMembers()).Select(static m => m.Name))
            .Concat(typeof(Functional.Policy).Assembly.GetTypes().Select(static t => t.Name))
            .ToHashSet();
        var missing = new List<string>();
        var checkedNames = 0;

        foreach (Match m in Regex.Matches(section, @"`([A-Z][A-Za-z0-9]*)(?:\.([A-Z][A-Za-z0-9_]*))?[^`]*`"))
        {
            checkedNames++;
            var type = m.Groups[1].Value;
            var found = m.Groups[2].Success && type.EndsWith("Tests", StringComparison.Ordinal)
                ? tests.Exists(s => Regex.IsMatch(s, $@"\bclass {type}\b") && Regex.IsMatch(s, $@"\bpublic\s[^\n(]*\b{m.Groups[2].Value}\s*\("))
                : m.Groups[2].Success ? typeof(Functional.Enforcement).Assembly.GetType("MtaSts.Functional." + type)?.GetMember(m.Groups[2].Value).Length > 0
                : names.Contains(type) || tests.Exists(s => Regex.IsMatch(s, $@"\bclass {type}\b"));
            if (!found)
            {
                missing.Add(m.Value);
            }
        }

        Assert.True(checkedNames > 20, $"only {checkedNames} names checked");
        Assert.Empty(missing);
    }
}
