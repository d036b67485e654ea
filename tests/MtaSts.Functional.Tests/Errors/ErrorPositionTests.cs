namespace MtaSts.Functional.Tests.Errors;

/// <summary>
/// A wrong character reports the right line, column and ABNF rule (the rule in progress when the
/// parse failed). Columns are 1-based UTF-16 units of the caller's text, also in lenient mode.
/// </summary>
public class ErrorPositionTests
{
    public static TheoryData<string, int, int, string> RecordErrors => new()
    {
        { "V=STSv1; id=abc", 1, 1, "sts-text-record" },          // D-01: %s"v=STSv1" is case-sensitive
        { "v=stsv1; id=abc", 1, 3, "sts-version" },
        { "v=STSv1", 1, 8, "sts-text-record" },                  // 1*(sts-field-delim sts-field)
        { "v=STSv1;", 1, 9, "sts-text-record" },                 // a delimiter needs a field after it
        { "v=STSv1; id=", 1, 13, "sts-id" },                     // 1*32(ALPHA / DIGIT)
        { "v=STSv1; id=2016-08-31", 1, 17, "sts-id" },           // D-02: never re-read as an extension
        { "v=STSv1; id=abc ", 1, 17, "sts-field-delim" },        // D-09: trailing WSP without ';'
        { "v=STSv1; id=abc;;", 1, 17, "sts-text-record" },       // D-09: empty field
        { "v=STSv1; id=abc; foo=a=b", 1, 23, "sts-ext-value" },
        { "v=STSv1; id=abc; v=STSv2", 1, 24, "sts-version" },    // D-02
    };

    public static TheoryData<string, int, int, string> PolicyErrors => new()
    {
        { "version: STSv1\nmode: Enforce\n", 2, 7, "sts-policy-mode" },                          // D-01
        { "version: STSv1\nmode: enforcing\n", 2, 13, "sts-policy-mode-value" },
        { "version: STSv1\r\nmode : enforce\r\n", 2, 5, "sts-policy-extension" },                 // D-05: WSP before ':'
        { "version: STSv1\r\n  mode: enforce\r\n", 2, 1, "sts-policy-record" },                   // D-05: leading WSP
        { "version: STSv1\r\n\r\nmode: enforce\r\n", 2, 1, "sts-policy-record" },                 // D-05: blank line
        { "version: STSv1\rmode: enforce\r", 2, 1, "CRLF" },                                       // D-05: bare CR
        { "version: STSv1\nmax_age: 86400s\n", 2, 15, "sts-policy-max-age-value" },              // D-04
        { "version: STSv1\nmax_age: 12345678901\n", 2, 20, "sts-policy-max-age-value" },         // 1*10(DIGIT)
        { "version: STSv1\nmx: mail.example.com.\n", 2, 22, "Domain" },                          // D-06: a trailing dot wants a label after it
        { "version: STSv1\nmx: mail_1.example.com\n", 2, 9, "sts-policy-mx-value" },             // D-06
        { "version: STSv1\nmx: *.*.example.com\n", 2, 7, "sts-policy-mx-value" },                // D-06
        { "version: STSv1\nmx: mail-.example.com\n", 2, 9, "Ldh-str" },                          // RFC 5321 Ldh-str
        { "version: STSv1\nmx: 192.0.2.25\n", 2, 13, "sts-policy-mx-value" },                    // D-06: an all-digit right-most label
        { "version: STSv1\nmx: bücher.example\n", 2, 6, "sts-policy-mx-value" },                  // A-labels only
        { "version: STSv1\nfoo: a\u0000b\n", 2, 7, "sts-policy-ext-value" },
        // Found by MutationLaws: a 64-octet label in a name that is also over 253 octets is reported at the label, the earlier break.
        { "version: STSv1\nmx: *." + new string('a', 64) + "." + string.Concat(Enumerable.Repeat(new string('b', 63) + ".", 3)) + "c\n", 2, 70, "sts-policy-mx-value" },                     // no CTLs
        { "\uFEFFversion: STSv1\n", 1, 1, "sts-policy-record" },                                 // D-13
    };

    [Theory]
    [MemberData(nameof(RecordErrors))]
    public void RecordParse_WrongCharacter_ReportsLineColumnAndRule(string input, int line, int column, string rule)
    {
        var error = Assert.IsType<MtaStsError.Syntax>(Assert.Single(StsRecord.Parse(input).LeftToSeq()));

        Assert.Equal((line, column, rule), (error.Line, error.Column, error.Rule));
    }

    [Theory]
    [MemberData(nameof(PolicyErrors))]
    public void PolicyParse_WrongCharacter_ReportsLineColumnAndRule(string input, int line, int column, string rule)
    {
        var error = Assert.IsType<MtaStsError.Syntax>(Assert.Single(Policy.Parse(input).LeftToSeq()));

        Assert.Equal((line, column, rule), (error.Line, error.Column, error.Rule));
    }

    [Fact]
    public void LenientParse_ErrorAfterARepair_PointsIntoTheOriginalText()
    {
        // The BOM, the leading WSP and the blank line are removed before parsing; the error in the
        // mode value must still be reported where the caller sees it.
        var input = "\uFEFF  version: STSv1\n\nmode: Enforce\n";

        var error = Assert.IsType<MtaStsError.Syntax>(Assert.Single(Policy.Parse(input, ParseMode.Lenient).LeftToSeq()));

        Assert.Equal((3, 7, "sts-policy-mode"), (error.Line, error.Column, error.Rule));
        Assert.Equal("mode: Enforce", error.SourceLine);
    }

    [Fact]
    public void Render_SyntaxError_ShowsPositionRuleFoundTextAndACaret()
    {
        var error = Assert.Single(Policy.Parse("version: STSv1\nmode: Enforce\n").LeftToSeq());

        Assert.Equal(
            "2:7: error[sts-policy-mode]: expected sts-policy-mode-value, found 'Enforce'\n  mode: Enforce\n        ^",
            error.Render());
    }

    [Fact]
    public void Syntax_ExpectedLiteral_IsQuoted()
    {
        var error = Assert.IsType<MtaStsError.Syntax>(Assert.Single(Policy.Parse("version: STSv2\n").LeftToSeq()));

        Assert.Equal(["'STSv1'"], error.Expected.ToList());
        Assert.Equal("'2'", error.Found);
    }
}
