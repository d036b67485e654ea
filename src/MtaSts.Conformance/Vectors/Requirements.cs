using System.Text.RegularExpressions;

namespace MtaSts.Conformance.Vectors;

/// <summary>
/// The text of each requirement and decision id, for the reports: N-xx from the digest's §2
/// (docs/spec/rfc8461-digest.md), D-/L-/M-/C-/F-/T- from docs/spec/DECISIONS.md (both embedded).
/// </summary>
internal static partial class Requirements
{
    private static readonly Lazy<Dictionary<string, string>> Texts = new(Load);

    /// <summary>The id's text, or empty when neither document defines it.</summary>
    public static string Text(string id) => Texts.Value.TryGetValue(id, out var text) ? text : string.Empty;

    /// <summary>Every id with a text.</summary>
    public static IReadOnlyCollection<string> Ids => Texts.Value.Keys;

    private static Dictionary<string, string> Load()
    {
        var texts = new Dictionary<string, string>(StringComparer.Ordinal);

        // DECISIONS.md: table rows "| D-01 | decision | why |" (L- and F- rows have no "why").
        foreach (var line in Resource("spec/DECISIONS.md").Split('\n'))
        {
            var cells = line.Trim().Trim('|').Split(" | ");
            if (cells.Length >= 2 && DecisionId().IsMatch(cells[0].Trim()))
            {
                texts[cells[0].Trim()] = Plain(cells[1]);
            }
        }

        // The digest's §2: "* **N-04 (§3.1, MUST)** text…" up to the next bullet, heading or blank line.
        foreach (Match m in DigestRequirement().Matches(Resource("spec/rfc8461-digest.md")))
        {
            texts[m.Groups["id"].Value] = $"({m.Groups["where"].Value}) {Plain(m.Groups["tail"].Value + m.Groups["text"].Value)}";
        }

        return texts;
    }

    /// <summary>One line: markdown emphasis removed, whitespace runs collapsed.</summary>
    private static string Plain(string markdown) => Whitespace().Replace(markdown.Replace("**", string.Empty, StringComparison.Ordinal), " ").Trim();

    private static string Resource(string name)
    {
        using var stream = typeof(Requirements).Assembly.GetManifestResourceStream(name) ?? throw new InvalidOperationException($"{name} is not embedded");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    [GeneratedRegex(@"^[A-Z]-\d{2}$")]
    private static partial Regex DecisionId();

    [GeneratedRegex(@"^\* \*\*(?<id>N-\d{2}) \((?<where>[^)]*)\)(?<tail>[^*\n]*)\*\*(?<text>.*?)(?=\r?\n(?:\* |#|\s*\r?\n)|\z)", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex DigestRequirement();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
