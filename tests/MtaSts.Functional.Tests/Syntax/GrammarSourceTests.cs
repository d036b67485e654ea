using System.Reflection;
using System.Text.RegularExpressions;
using MtaSts.Functional.Syntax;
using MtaSts.Functional.Tests.Docs;

namespace MtaSts.Functional.Tests.Syntax;

/// <summary>
/// The grammar files read like the RFCs: each opens with its RFC's ABNF block, defines the rules in the
/// block's order (top-down), and takes every rule name and expectation from <see cref="RuleNames"/> or from
/// the character classes, never from a string written beside the parser.
/// </summary>
public partial class GrammarSourceTests
{
    public static TheoryData<string> GrammarFiles => new()
    {
        "Abnf/CoreRules.cs",
        "Rfc3629/Utf8Rules.cs",
        "Rfc5321/DomainGrammar.cs",
        "Record/RecordGrammar.cs",
        "Policy/PolicyGrammar.cs",
        "Rfc3986/UriGrammar.cs",
        "TlsRpt/TlsRptGrammar.cs",
    };

    [Theory]
    [MemberData(nameof(GrammarFiles))]
    public void GrammarFile_OpensWithTheAbnf_AndDefinesItsRulesInThatOrder(string file)
    {
        var lines = File.ReadAllLines(Source(file));
        var header = lines.TakeWhile(static l => l.StartsWith("//", StringComparison.Ordinal)).ToList();
        Assert.StartsWith("// RFC ", lines[0], StringComparison.Ordinal);
        var abnf = header.Select(static l => AbnfDefinition().Match(l)).Where(static m => m.Success).Select(static m => m.Groups[1].Value).ToList();

        var code = string.Join('\n', lines.Skip(header.Count));
        var names = typeof(RuleNames).GetFields(BindingFlags.Public | BindingFlags.Static).ToDictionary(static f => f.Name, static f => (string)f.GetRawConstantValue()!);
        var defined = RuleLabel().Matches(code).Select(m => names[m.Groups[1].Value]).Distinct().ToList();

        Assert.NotEmpty(defined);
        Assert.All(defined, rule => Assert.Contains(rule, abnf));
        Assert.Equal(abnf.Where(defined.Contains), defined);
    }

    [Theory]
    [MemberData(nameof(GrammarFiles))]
    public void GrammarFile_HasNoHandWrittenLabel_AndNoToolPragma(string file)
    {
        var code = string.Join('\n', File.ReadAllLines(Source(file)).Where(static l => !l.TrimStart().StartsWith("//", StringComparison.Ordinal)));

        Assert.DoesNotMatch(HandWrittenLabel(), code);
        Assert.DoesNotContain("Stryker", code, StringComparison.Ordinal);
        Assert.DoesNotContain("#pragma", code, StringComparison.Ordinal);
    }

    private static string Source(string file) => Path.Combine(Repo.Root, "src", "MtaSts.Functional", file);

    /// <summary>An ABNF definition line in the header: <c>//   name = …</c>.</summary>
    [GeneratedRegex(@"^//\s+([A-Za-z][A-Za-z0-9-]*)\s+=\s")]
    private static partial Regex AbnfDefinition();

    /// <summary>Where a rule gets its name: <c>.Rule(RuleNames.X)</c> or <c>.Named(RuleNames.X)</c>.</summary>
    [GeneratedRegex(@"\.(?:Rule|Named)\(RuleNames\.(\w+)\)")]
    private static partial Regex RuleLabel();

    /// <summary>A label or expectation written as a string: <c>Rule("…")</c>, <c>Named("…")</c>, <c>Expected&lt;char&gt;("…")</c>, <c>new("…")</c>.</summary>
    [GeneratedRegex(@"(?:\.Rule|\.Named|Expected<char>|new)\(\s*\$?""")]
    private static partial Regex HandWrittenLabel();
}
