namespace MtaSts.Functional.Tests.Errors;

/// <summary>L-01 / F-01: each lenient repair gives exactly one warning, at its place in the original text.</summary>
public class LenientWarningTests
{
    [Fact]
    public void PolicyParse_EveryRepair_IsWarnedAtItsPosition()
    {
        // The corpus's L.combo vector: 8 repairs.
        var input = "\uFEFF\n version : STSv1 \r\nmode: enforce\rmx: mail.example.com.\n\nmax_age: 86400\n\n";

        var parsed = Assert.Single(Policy.ParseWithWarnings(input, ParseMode.Lenient).RightToSeq());

        Assert.Equal(
            [
                (WarningKind.ByteOrderMark, 1, 1),
                (WarningKind.BlankLine, 1, 2),
                (WarningKind.LeadingWhitespace, 2, 1),
                (WarningKind.WhitespaceBeforeColon, 2, 9),
                (WarningKind.BareCarriageReturn, 3, 14),
                (WarningKind.MxTrailingDot, 4, 21),
                (WarningKind.BlankLine, 5, 1),
                (WarningKind.BlankLine, 7, 1),
            ],
            parsed.Warnings.Map(static w => (w.Kind, w.Line, w.Column)).ToList());
        Assert.Equal("version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmax_age: 86400\r\n", parsed.Value.Render());
    }

    [Fact]
    public void RecordParse_EveryRepair_IsWarnedAtItsPosition()
    {
        var parsed = Assert.Single(StsRecord.ParseWithWarnings(" v=STSv1;;id=abc; ;ext=1\t", ParseMode.Lenient).RightToSeq());

        Assert.Equal(
            [
                (WarningKind.RecordLeadingWhitespace, 1, 1),
                (WarningKind.RecordTrailingWhitespace, 1, 25),
                (WarningKind.EmptyField, 1, 9),
                (WarningKind.EmptyField, 1, 17),
            ],
            parsed.Warnings.Map(static w => (w.Kind, w.Line, w.Column)).ToList());
        Assert.Equal("v=STSv1; id=abc; ext=1;", parsed.Value.Render());
    }

    [Theory]
    [InlineData("version: STSv1\nMode: enforce\nmx: mail.example\nmax_age: 86400\n")]   // L-02: wrong-case key (then mode is missing)
    [InlineData("version: STSv1\nmode: Enforce\nmx: mail.example\nmax_age: 86400\n")]   // L-02: wrong-case keyword
    [InlineData("version: STSv2\nmode: enforce\nmx: mail.example\nmax_age: 86400\n")]   // L-02: unknown version
    [InlineData("version: STSv1\nmode: enforce\nmx: mail.example\nmax_age: +86400\n")]  // L-02: signed max_age
    [InlineData("version: STSv1\nmode: enforce\nmx: mail_1.example\nmax_age: 86400\n")] // L-02: bad mx other than one trailing dot
    [InlineData("version: STSv1\nmode: enforce\nmx: mail.example\nmax_age: 86400\n# comment\n")]
    public void PolicyParse_Lenient_StillRejectsWhatL02Lists(string input)
    {
        Assert.True(Policy.Parse(input, ParseMode.Lenient).IsLeft);
    }

    [Fact]
    public void Warning_ToString_IsCompilerStyle()
    {
        var warning = new ParseWarning(WarningKind.BlankLine, 3, 1, "blank line skipped (L-01)");

        Assert.Equal("3:1: warning[BlankLine]: blank line skipped (L-01)", warning.ToString());
    }
}
