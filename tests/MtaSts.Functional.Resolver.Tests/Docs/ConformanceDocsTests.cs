using System.Reflection;
using System.Text.RegularExpressions;

using MtaSts.Functional.Tests.Docs;

namespace MtaSts.Functional.Resolver.Tests.Docs;

/// <summary>
/// CONFORMANCE.md stays true: every test, law and code member it names exists. It lives with the
/// resolver tests because it looks members up in both libraries (the core's tests do not reference the resolver).
/// </summary>
public class ConformanceDocsTests
{
    private static readonly Assembly[] Libraries = [typeof(Policy).Assembly, typeof(MtaSts.Functional.Resolver.MtaStsResolver).Assembly];

    [Fact]
    public void ConformanceMd_MentionsOnlyExistingTestsAndMembers()
    {
        var text = File.ReadAllText(Path.Combine(Repo.Root, "CONFORMANCE.md"));
        var tests = Sources("tests");
        var laws = Sources("properties");
        var missing = new List<string>();
        var checkedNames = 0;

        foreach (Match m in Regex.Matches(text, @"`(P:)?([A-Z][A-Za-z0-9]*(?:\.[A-Z][A-Za-z0-9_]*)+)[^`]*`"))
        {
            var name = m.Groups[2].Value;
            checkedNames++;
            var found = m.Groups[1].Success ? DefinedIn(laws, name)
                : name.Split('.')[0].EndsWith("Tests", StringComparison.Ordinal) ? DefinedIn(tests, name)
                : CoreMemberExists(name);
            if (!found)
            {
                missing.Add(m.Value);
            }
        }

        Assert.True(checkedNames > 100, $"only {checkedNames} names checked");
        Assert.Empty(missing);
    }

    [Fact]
    public void ConformanceMd_HasOneRowPerRequirement()
    {
        var text = File.ReadAllText(Path.Combine(Repo.Root, "CONFORMANCE.md"));

        var ids = Regex.Matches(text, @"^\| (N-\d\d) \|", RegexOptions.Multiline).Select(static m => m.Groups[1].Value).ToList();

        Assert.Equal(Enumerable.Range(1, 65).Select(static i => $"N-{i:D2}"), ids);
    }

    /// <summary>A test or law "Class.Method": a source file declares the class and the method.</summary>
    private static bool DefinedIn(List<string> sources, string name)
    {
        var parts = name.Split('.');
        return parts.Length == 2 && sources.Exists(s =>
            Regex.IsMatch(s, $@"\bclass {parts[0]}\b") && Regex.IsMatch(s, $@"\b(public|private|internal)\s[^\n(]*\b{parts[1]}\s*\("));
    }

    /// <summary>A code member "Type.Member", "Outer.Nested" or "Outer.Nested.Member" of the core or the resolver (public or internal).</summary>
    private static bool CoreMemberExists(string name)
    {
        const BindingFlags All = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance;
        var parts = name.Split('.');
        var type = Libraries.SelectMany(static a => a.GetTypes()).FirstOrDefault(t => t.Name == parts[0] && !t.IsNested);
        for (var i = 1; type is not null && i < parts.Length; i++)
        {
            var nested = type.GetNestedType(parts[i], All);
            if (nested is not null)
            {
                type = nested;
                continue;
            }

            return i == parts.Length - 1 && type.GetMember(parts[i], All).Length > 0;
        }

        return type is not null;
    }

    private static List<string> Sources(string folder) =>
        [.. Directory.EnumerateFiles(Path.Combine(Repo.Root, folder), "*.cs", SearchOption.AllDirectories)
            .Where(static f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(File.ReadAllText)];
}
