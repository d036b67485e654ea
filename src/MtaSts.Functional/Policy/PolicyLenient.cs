using LanguageExt;
using static MtaSts.Functional.Syntax.CoreRules;

namespace MtaSts.Functional.Syntax;

/// <summary>
/// Lenient mode for policy files (L-01). Repairs, one warning per occurrence (F-01): a leading BOM;
/// a bare CR line end (becomes LF); a blank line (empty or WSP only, including a doubled final
/// newline); WSP at the start of a line; WSP between a field name and its ':'; one trailing dot
/// directly after an <c>mx</c> value. The result is parsed strictly, so everything L-02 lists stays an
/// error. A strictly valid policy contains none of these, so it passes through unchanged (L-03).
/// </summary>
internal static class PolicyLenient
{
    public static (string Text, SourceMap Map, Seq<ParseWarning> Warnings) Repair(string input)
    {
        var repair = new Syntax.Repair(input);
        var pos = 0;
        if (input.Length > 0 && input[0] == '\uFEFF')
        {
            repair.Warn(WarningKind.ByteOrderMark, 0, "byte-order mark skipped (L-01)");
            pos = 1;
        }

        while (pos < input.Length)
        {
            var line = Lines.At(input, pos);
            var lineEnd = line.TextEnd;
            var bareCr = line.End == LineEnd.BareCr;

            if (Wsp.All(input.AsSpan(pos, line.Length)))
            {
                repair.Warn(WarningKind.BlankLine, pos, "blank line skipped (L-01)");
                if (bareCr)
                {
                    repair.Warn(WarningKind.BareCarriageReturn, lineEnd, "bare CR read as a line end (L-01)");
                }
            }
            else
            {
                RepairLine(input, pos, lineEnd, repair);
                if (bareCr)
                {
                    repair.Warn(WarningKind.BareCarriageReturn, lineEnd, "bare CR read as a line end (L-01)");
                    repair.Keep('\n', lineEnd);
                }
                else
                {
                    repair.Keep(lineEnd, line.Next);
                }
            }

            pos = line.Next;
        }

        return repair.Finish();
    }

    private static void RepairLine(string input, int from, int to, Syntax.Repair repair)
    {
        var start = from;
        // Stryker disable once Equality : equivalent: blank lines never get here, so the loop stops at a non-WSP character before 'to'.
        while (start < to && Wsp.Contains(input[start]))
        {
            start++;
        }

        if (start > from)
        {
            repair.Warn(WarningKind.LeadingWhitespace, from, "whitespace at the start of a line skipped (L-01)");
        }

        var colon = PolicyLineText.Colon(input.AsSpan(start, to - start)) is var at and >= 0 ? start + at : -1;
        // Stryker disable once Equality : equivalent: with the colon at offset 0 both branches keep the line as it is.
        if (colon < 0)
        {
            repair.Keep(start, to);
            return;
        }

        var nameEnd = colon;
        while (nameEnd > start && Wsp.Contains(input[nameEnd - 1]))
        {
            nameEnd--;
        }

        // Stryker disable all : equivalent: leading WSP was skipped, so a name cannot be empty with WSP before its colon (nameEnd == start implies nameEnd == colon).
        if (nameEnd < colon && nameEnd > start)
        {
            repair.Warn(WarningKind.WhitespaceBeforeColon, nameEnd, "whitespace before ':' skipped (L-01)");
        }
        else
        {
            nameEnd = colon;
        }

        // Stryker restore all

        repair.Keep(start, nameEnd);

        // One dot directly after the mx value (not after WSP or ':'), before any trailing WSP.
        var valueEnd = to;
        // Stryker disable once all : equivalent: the character at 'colon' is ':', never WSP, so the loop stops there whatever its bound.
        while (valueEnd > colon + 1 && Wsp.Contains(input[valueEnd - 1]))
        {
            valueEnd--;
        }

        var dropDot = input.AsSpan(start, nameEnd - start).SequenceEqual("mx")
            && valueEnd - 2 > colon
            && input[valueEnd - 1] == '.'
            && !Wsp.Contains(input[valueEnd - 2]);
        if (dropDot)
        {
            repair.Warn(WarningKind.MxTrailingDot, valueEnd - 1, "trailing dot of an mx value stripped (L-01)");
            repair.Keep(colon, valueEnd - 1);
            // Stryker disable once Statement : equivalent: the WSP after a stripped dot is the line's trailing *WSP; the value and warnings are the same without it.
            repair.Keep(valueEnd, to);
        }
        else
        {
            repair.Keep(colon, to);
        }
    }
}
