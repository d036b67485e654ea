using System.Text.Json;
using System.Text.RegularExpressions;

namespace MtaSts.Functional.Tests.Conformance;

/// <summary>The copied corpus stays byte-identical to ../shared/conformance, and complete.</summary>
public class CorpusCopyTests
{
    public static TheoryData<string> Files => new() { "record.json", "recordset.json", "policy.json", "lenient.json", "match.json", "policy-url.json", "cert-name.json", "tlsrpt-record.json" };

    [Theory]
    [MemberData(nameof(Files))]
    public void Copy_MatchesSharedCorpusWhenPresent_AndHasTheCountItsReadmeGives(string file)
    {
        var copy = File.ReadAllBytes(Path.Combine(Corpus.Directory, file));
        var shared = SharedCorpus();
        if (shared is not null)
        {
            Assert.Equal(File.ReadAllBytes(Path.Combine(shared, file)), copy);
        }

        // Without ../shared (a fresh clone), the copied README's table still pins each file's size.
        var readme = File.ReadAllText(Path.Combine(Corpus.Directory, "README.md"));
        var row = Regex.Match(readme, $@"^\| `{Regex.Escape(file)}` \|[^\n]*\| (\d+) \| `", RegexOptions.Multiline);
        var count = JsonDocument.Parse(copy).RootElement.GetArrayLength();
        if (row.Success)
        {
            Assert.Equal(int.Parse(row.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), count);
        }
        else if (file == "tlsrpt-record.json")
        {
            // its section's table counts by kind: 33 tlsrpt-record + 8 tlsrpt-recordset + 8 tlsrpt-lenient
            var kinds = Regex.Matches(readme, @"^\| `tlsrpt-(?:record|recordset|lenient)` \| \w+ \| (\d+) \|", RegexOptions.Multiline);
            Assert.Equal(3, kinds.Count);
            Assert.Equal(kinds.Sum(static k => int.Parse(k.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)), count);
        }
        else
        {
            Assert.Equal("lenient.json", file); // its row splits the count by kind: 31 + 64
            Assert.Equal(95, count);
        }
    }

    private static string? SharedCorpus()
    {
        var shared = Path.Combine(Docs.Repo.Root, "..", "shared", "conformance");
        return Directory.Exists(shared) ? shared : null;
    }
}
