using MtaSts.Functional.Tests.Docs;

namespace MtaSts.MailKit.Tests.Docs;

/// <summary>One "## " section of a Markdown file of the repository, with LF line ends.</summary>
internal static class DocSection
{
    public static string Read(string file, string heading)
    {
        var text = File.ReadAllText(Path.Combine(Repo.Root, file)).Replace("\r\n", "\n", StringComparison.Ordinal);
        var start = text.IndexOf(heading, StringComparison.Ordinal);
        Assert.True(start >= 0, $"{file} has no section '{heading}'");
        var end = text.IndexOf("\n## ", start + 1, StringComparison.Ordinal);
        return end < 0 ? text[start..] : text[start..end];
    }
}
