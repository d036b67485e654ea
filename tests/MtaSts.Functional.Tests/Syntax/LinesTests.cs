using MtaSts.Functional.Syntax;

namespace MtaSts.Functional.Tests.Syntax;

/// <summary>
/// The one line splitter (<c>Lines</c>) at its edges: the source line an error shows for an offset that sits
/// on a line end (LF, either character of CRLF, a bare CR), at the end of the text, or after its last line end.
/// Each row read by hand against the input.
/// </summary>
public class LinesTests
{
    [Theory]
    [InlineData("ab\ncd", 0, "ab")]
    [InlineData("ab\ncd", 2, "ab")]      // on the LF: the line it ends
    [InlineData("ab\ncd", 3, "cd")]
    [InlineData("ab\r\ncd", 2, "ab")]    // on the CR of a CRLF
    [InlineData("ab\r\ncd", 3, "")]      // between CR and LF: nothing of either line
    [InlineData("ab\rcd", 2, "ab")]      // on a bare CR
    [InlineData("ab", 2, "ab")]          // at the end of the text
    [InlineData("ab\n", 3, "")]          // after the last line end: the empty last line
    [InlineData("", 0, "")]
    public void TextAround_IsTheLineWithoutItsTerminator(string text, int offset, string line) =>
        Assert.Equal(line, Lines.TextAround(text, offset));
}
