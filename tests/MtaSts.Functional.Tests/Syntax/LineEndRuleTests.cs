using MtaSts.Functional.Syntax;
using Pidgin;

namespace MtaSts.Functional.Tests.Syntax;

/// <summary>
/// <c>LF / CRLF</c> (<c>CoreRules.LfOrCrlf</c>) on its own, where no rule label hides what it expects: anything
/// but a line end expects LF or CRLF; a bare CR is a CRLF in progress that expects its LF.
/// </summary>
public class LineEndRuleTests
{
    [Theory]
    [InlineData("\n", true, "")]
    [InlineData("\r\n", true, "")]
    [InlineData("x", false, "LF | CRLF")]
    [InlineData("", false, "LF | CRLF")]
    [InlineData("\rx", false, "LF")]
    [InlineData("\r", false, "LF")]
    public void LfOrCrlf_AcceptsALineEnd_OrSaysWhatItExpects(string input, bool accepted, string expected)
    {
        var result = CoreRules.LfOrCrlf.Parse(input);

        Assert.Equal(accepted, result.Success);
        Assert.Equal(expected, accepted ? string.Empty : string.Join(" | ", result.Error!.Expected.Where(static e => !Blame.TryReadInProgress(e, out _)).Select(static e => e.Label)));
    }
}
