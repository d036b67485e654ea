using LanguageExt;

namespace MtaSts.Functional;

/// <summary>Everything wrong with an input, and every warning, for a linter.</summary>
/// <param name="Errors">The problems, syntax errors in line order first, then the prose rules (D-07, …).</param>
/// <param name="Warnings">The warnings (lenient repairs, the D-04 clamp), when the input is otherwise valid.</param>
public sealed record LintReport(Seq<MtaStsError> Errors, Seq<ParseWarning> Warnings)
{
    /// <summary>No errors.</summary>
    public bool IsValid => Errors.IsEmpty;
}

/// <summary>
/// All the problems of a policy or record, not only the first: the parser stops at the first
/// syntax error, so the linter sets that line aside and parses the rest again, until the remaining
/// lines parse (policy lines are independent in the §3.2 grammar). Missing-field errors for a field
/// whose line was set aside are not reported (the field is there, only broken).
/// </summary>
public static class Lint
{
    /// <summary>At most this many syntax errors are collected.</summary>
    public const int MaxErrors = 100;

    /// <summary>Lints a policy file.</summary>
    /// <param name="text">The policy text.</param>
    /// <param name="mode">Strict, or lenient (L-01 repairs become warnings).</param>
    /// <returns>The report.</returns>
    public static LintReport Policy(string? text, ParseMode mode = ParseMode.Strict)
    {
        var input = text ?? string.Empty;
        var lines = Lines(input);
        var kept = Enumerable.Range(0, lines.Count).ToList();
        var errors = new List<MtaStsError>();
        var setAside = new List<string>();
        while (true)
        {
            var result = MtaSts.Functional.Policy.Parse(string.Concat(kept.Select(i => lines[i])), mode);
            if (result.Case is Parsed<Policy> parsed)
            {
                return new LintReport(errors.ToSeq().Strict(), parsed.Warnings.Map(w => w with { Line = OriginalLine(w.Line, kept, lines.Count) }).Strict());
            }

            var error = (MtaStsError)result.Case!;
            if (error is not MtaStsError.Syntax syntax || errors.Count >= MaxErrors || syntax.Line > kept.Count)
            {
                errors.AddRange(error.All.Filter(e => !Consequence(e, setAside)).Map(e => Remap(e, kept, lines.Count)));
                return new LintReport(errors.ToSeq().Strict(), Seq<ParseWarning>.Empty);
            }

            var line = kept[syntax.Line - 1];
            errors.Add(syntax with { Line = OriginalLine(syntax.Line, kept, lines.Count) });
            setAside.Add(lines[line]);
            kept.RemoveAt(syntax.Line - 1);
        }
    }

    /// <summary>Lints one TXT record (strings already concatenated).</summary>
    /// <param name="text">The record text.</param>
    /// <param name="mode">Strict, or lenient.</param>
    /// <returns>The report.</returns>
    public static LintReport Record(string? text, ParseMode mode = ParseMode.Strict) =>
        StsRecord.Parse(text, mode).Match(
            Right: static r => new LintReport(Seq<MtaStsError>.Empty, r.Warnings),
            Left: static e => new LintReport(e.All, Seq<ParseWarning>.Empty));

    private static MtaStsError Remap(MtaStsError error, List<int> kept, int lineCount) =>
        error is MtaStsError.Syntax s ? s with { Line = OriginalLine(s.Line, kept, lineCount) } : error;

    /// <summary>A 1-based line of the text parsed last (the kept lines) as a line of the original text.</summary>
    private static int OriginalLine(int line, List<int> kept, int lineCount) =>
        line <= kept.Count ? kept[line - 1] + 1 : lineCount + line - kept.Count;

    /// <summary>"version/mode/max_age missing" or "mx required" when such a line was set aside as broken.</summary>
    private static bool Consequence(MtaStsError error, List<string> setAside) => error switch
    {
        MtaStsError.MissingField f => setAside.Exists(l => Key(l) == f.Field),
        MtaStsError.MxRequired => setAside.Exists(static l => Key(l) == "mx"),
        _ => false,
    };

    private static string Key(string line)
    {
        var colon = line.IndexOf(':', StringComparison.Ordinal);
        return (colon < 0 ? line : line[..colon]).Trim();
    }

    /// <summary>The lines with their terminators (LF, CRLF or a bare CR, as <c>SourceMap</c> counts them).</summary>
    internal static List<string> Lines(string text) => Syntax.Lines.Split(text).ConvertAll(l => text[l.Start..l.Next]);
}
