using LanguageExt;
using static MtaSts.Functional.Syntax.CoreRules;

namespace MtaSts.Functional.Syntax;

/// <summary>
/// Lenient mode for TXT records (L-01): removes WSP before <c>v=STSv1</c>, WSP at the end that does not
/// follow a final ';', and empty fields (<c>;;</c>), one warning each (F-01). The result is then parsed
/// strictly. A strictly valid record has none of these, so it passes through unchanged (L-03).
/// </summary>
internal static class RecordLenient
{
    public static (string Text, SourceMap Map, Seq<ParseWarning> Warnings) Repair(string input) => Repair(input, "v=STSv1", "L-01");

    /// <summary>
    /// The same repairs for a record that begins with <paramref name="version"/> (the TLSRPT record: T-07),
    /// the warnings citing <paramref name="decision"/>.
    /// </summary>
    public static (string Text, SourceMap Map, Seq<ParseWarning> Warnings) Repair(string input, string version, string decision)
    {
        var repair = new Syntax.Repair(input);
        var start = 0;
        while (start < input.Length && Wsp.Contains(input[start]))
        {
            start++;
        }

        if (start > 0)
        {
            repair.Warn(WarningKind.RecordLeadingWhitespace, 0, $"whitespace before '{version}' skipped ({decision})");
        }

        var end = input.Length;
        while (end > start && Wsp.Contains(input[end - 1]))
        {
            end--;
        }

        // Stryker disable once Equality : equivalent: end == start means the record is all WSP, and then start is input.Length already.
        if (end < input.Length && end > start && input[end - 1] != ';')
        {
            repair.Warn(WarningKind.RecordTrailingWhitespace, end, $"whitespace at the end of the record skipped ({decision})");
        }
        // Stryker disable once Block : equivalent: dropping WSP after a final ';' gives the same record and no warning either way.
        else
        {
            end = input.Length; // trailing WSP after a final ';' is a strictly valid sts-field-delim (F-02).
        }

        for (var i = start; i < end; i++)
        {
            if (input[i] == ';')
            {
                var next = i + 1;
                while (next < end && Wsp.Contains(input[next]))
                {
                    next++;
                }

                if (next < end && input[next] == ';')
                {
                    repair.Warn(WarningKind.EmptyField, i, $"empty field skipped ({decision})");
                    i = next - 1; // drop this ';' and the WSP after it; the next ';' is looked at again.
                    continue;
                }
            }

            repair.Keep(input[i], i);
        }

        return repair.Finish();
    }
}
