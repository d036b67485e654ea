using LanguageExt;
using MtaSts.Functional.Tooling;

namespace MtaSts.Functional.Tests.Tooling;

/// <summary><see cref="Lint"/> reports every problem, each where it is; <see cref="Explain"/> names the rule of each field.</summary>
public class LintTests
{
    private static string Errors(LintReport report) =>
        string.Join(" | ", report.Errors.Map(static e => e switch
        {
            MtaStsError.Syntax s => $"{s.Line}:{s.Column} {s.Rule}",
            MtaStsError.MissingField f => "missing " + f.Field,
            MtaStsError.MxRequired => "mx required",
            _ => e.GetType().Name,
        }));

    /// <summary>Key → policy text and the problems expected, in order.</summary>
    private static readonly Dictionary<string, (string Text, string Expected)> Policies = new()
    {
        ["valid"] = ("version: STSv1\nmode: enforce\nmx: a.example\nmax_age: 1\n", ""),
        ["three-bad-lines"] = ("version: STSv1\nmode: Enforce\nmx: a..example\nmax_age: 1\nmx: -b.example\n", "2:7 sts-policy-mode | 3:7 Domain | 5:5 sts-policy-mx"),
        ["bad-and-missing"] = ("version: STSv1\nmode: enforce\nmx: bad_host\n", "3:8 sts-policy-mx-value | missing max_age"),
        ["broken-field-not-also-missing"] = ("version: STSv1\nmode: sometimes\nmx: a.example\nmax_age: x\n", "2:7 sts-policy-mode | 4:10 sts-policy-max-age"),
        ["missing-only"] = ("version: STSv1\nmx: a.example\n", "missing mode | missing max_age"),
        ["crlf"] = ("version: STSv1\r\nmode: enforce\r\nmx: a.example\r\nmax_age: 1x\r\nfoo bar\r\n", "4:11 sts-policy-max-age-value | 5:4 sts-policy-extension"),
    };

    public static TheoryData<string> PolicyKeys => [.. Policies.Keys];

    [Theory]
    [MemberData(nameof(PolicyKeys))]
    public void Policy_ReportsEveryProblemAtItsPlace(string key)
    {
        var (text, expected) = Policies[key];

        var report = Lint.Policy(text);

        Assert.Equal(expected, Errors(report));
        Assert.Equal(expected.Length == 0, report.IsValid);
    }

    [Fact]
    public void Policy_SyntaxErrors_KeepTheirSourceLine()
    {
        var report = Lint.Policy("version: STSv1\nmode: Enforce\nmx: a.example\nmax_age: 1\n");

        var error = Assert.IsType<MtaStsError.Syntax>(Assert.Single(report.Errors));
        Assert.Equal("mode: Enforce", error.SourceLine);
    }

    [Fact]
    public void Policy_Lenient_GivesWarningsOnTheOriginalLines()
    {
        var report = Lint.Policy("version: STSv1\n\nmode: enforce\nmx: a.example.\nmax_age: 1\n", ParseMode.Lenient);

        Assert.True(report.IsValid);
        Assert.Equal([(2, WarningKind.BlankLine), (4, WarningKind.MxTrailingDot)], report.Warnings.Map(static w => (w.Line, w.Kind)).ToArray());
    }

    [Fact]
    public void Policy_WarningsAfterASetAsideLine_StayOnTheirOriginalLine()
    {
        var report = Lint.Policy("version: STSv1\nmode: bad\nmx: a.example.\nmax_age: 1\n", ParseMode.Lenient);

        Assert.Equal("2:7 sts-policy-mode", Errors(report));
    }

    [Fact]
    public void Policy_ManyBadLines_StopsAtMaxErrors()
    {
        var text = "version: STSv1\nmode: enforce\nmax_age: 1\n" + string.Concat(Enumerable.Repeat("mx: bad_host\n", Lint.MaxErrors + 20));

        Assert.Equal(Lint.MaxErrors + 1, Lint.Policy(text).Errors.Count);
    }

    [Theory]
    [InlineData("v=STSv1; id=abc;", "")]
    [InlineData("v=STSv1; id=a_b;", "1:14 sts-id")]
    [InlineData("v=STSv1;", "1:9 sts-text-record")]
    public void Record_ReportsTheProblem(string text, string expected) =>
        Assert.Equal(expected, Errors(Lint.Record(text)));

    [Fact]
    public void Explain_Policy_NamesTheRuleAndMeaningOfEachField()
    {
        var fields = Explain.Policy("version: STSv1\r\nmode: enforce\r\nmx: *.example.net\r\nmx: *.EXAMPLE.net\r\nmode: none\r\nmax_age: 604800\r\nfoo: bar\r\n")
            .Map(static e => e.Fields)
            .IfLeft(static e => throw new InvalidOperationException(e.Render()));

        Assert.Equal(
            [
                (1, "sts-policy-version", "version: STSv1"),
                (2, "sts-policy-mode", "mode: enforce"),
                (3, "sts-policy-mx", "mx: *.example.net"),
                (4, "sts-policy-mx", "mx: *.EXAMPLE.net"),
                (5, "sts-policy-mode", "mode: none"),
                (6, "sts-policy-max-age", "max_age: 604800"),
                (7, "sts-policy-extension", "foo: bar"),
            ],
            fields.Map(static f => (f.Line, f.Rule, f.Text)).ToArray());
        Assert.Contains("same pattern as line 3", fields[3].Meaning, StringComparison.Ordinal);
        Assert.StartsWith("ignored", fields[4].Meaning, StringComparison.Ordinal);
        Assert.Contains("7d 00h00m", fields[5].Meaning, StringComparison.Ordinal);
    }

    [Fact]
    public void Explain_Record_NamesTheRuleOfEachField()
    {
        var fields = Explain.Record("v=STSv1; id=20160831085700Z; ext=1")
            .Map(static e => e.Fields)
            .IfLeft(static e => throw new InvalidOperationException(e.Render()));

        Assert.Equal(
            [(1, "sts-version", "v=STSv1"), (10, "sts-id", "id=20160831085700Z"), (30, "sts-extension", "ext=1")],
            fields.Map(static f => (f.Column, f.Rule, f.Text)).ToArray());
    }

    [Fact]
    public void Explain_InvalidInput_IsTheParseError() =>
        Assert.True(Explain.Policy("version: STSv1\n").IsLeft);
}

/// <summary>Lint at the edges of its line bookkeeping.</summary>
public class LintEdgeTests
{
    [Fact]
    public void Policy_EmptyInput_IsOneErrorOnLine1()
    {
        var error = Assert.IsType<MtaStsError.Syntax>(Assert.Single(Lint.Policy(string.Empty).Errors));
        Assert.Equal((1, 1), (error.Line, error.Column));
        Assert.Equal("end of input", Assert.IsType<MtaStsError.Syntax>(Assert.Single(Lint.Policy(null).Errors)).Found);
    }

    [Fact]
    public void Policy_WarningBeforeASetAsideLine_KeepsItsLine()
    {
        var report = Lint.Policy("version: STSv1\n\nmode: enforce\nmx: a.example\nmax_age: 1\nbad line\n", ParseMode.Lenient);

        Assert.Equal(6, Assert.IsType<MtaStsError.Syntax>(Assert.Single(report.Errors)).Line);
        Assert.Equal((2, WarningKind.BlankLine), Assert.Single(report.Warnings) is var w ? (w.Line, w.Kind) : default);
    }

    [Fact]
    public void Policy_WarningOnTheLineJustBeforeASetAsideLastLine_KeepsItsLine()
    {
        var report = Lint.Policy("version: STSv1\nmode: enforce\nmx: a.example\n max_age: 1\nbad line\n", ParseMode.Lenient);

        Assert.Equal(5, Assert.IsType<MtaStsError.Syntax>(Assert.Single(report.Errors)).Line);
        Assert.Equal((4, WarningKind.LeadingWhitespace), Assert.Single(report.Warnings) is var w ? (w.Line, w.Kind) : default);
    }

    [Fact]
    public void Policy_LastLineWithoutTerminator_IsLinted()
    {
        var report = Lint.Policy("version: STSv1\nmode: enforce\nmx: a.example\nmax_age: x");

        Assert.Equal((4, 10), Assert.IsType<MtaStsError.Syntax>(Assert.Single(report.Errors)) is var s ? (s.Line, s.Column) : default);
    }

    [Fact]
    public void Policy_BrokenLineWithoutColon_DoesNotHideAMissingField()
    {
        var report = Lint.Policy("version: STSv1\nmode enforce\nmx: a.example\nmax_age: 1\n");

        Assert.Equal(["Syntax 2", "MissingField mode"], report.Errors.Map(static e => e switch
        {
            MtaStsError.Syntax s => $"Syntax {s.Line}",
            MtaStsError.MissingField f => $"MissingField {f.Field}",
            _ => e.GetType().Name,
        }).ToArray());
    }

    [Theory]
    [InlineData("a\r\nb\rc\nd", new[] { "a\r\n", "b\r", "c\n", "d" })]
    [InlineData("a\r", new[] { "a\r" })]
    [InlineData("\n\n", new[] { "\n", "\n" })]
    [InlineData("", new string[0])]
    public void Lines_SplitAtLfCrlfAndBareCr_KeepingTerminators(string text, string[] lines) =>
        Assert.Equal(lines, Lint.Lines(text));
}

/// <summary>Lint's hints are structured: each knows its rule and position (the CLI prints them; it no longer guesses from text).</summary>
public class LintHintTests
{
    [Fact]
    public void Hint_ForAWrongCaseMode_PointsAtTheValue_InItsRule()
    {
        var report = Lint.Policy("version: STSv1\nmode: Enforce\nmx: a.example\nmax_age: 1\n");

        var hint = Assert.Single(report.Hints);
        Assert.Equal((2, 7, MtaSts.Functional.Syntax.RuleNames.PolicyMode), (hint.Line, hint.Column, hint.Rule));
        Assert.Contains("'enforce'", hint.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Hint_ForARepeatedLine_SaysWhichLineCounts_D03()
    {
        var report = Lint.Policy("version: STSv1\nmode: enforce\nmx: a.example\nmode: none\nmx: A.example\nmax_age: 1\n");

        Assert.True(report.IsValid);
        Assert.Equal(
            [(4, 1, MtaSts.Functional.Syntax.RuleNames.PolicyMode, 2), (5, 1, MtaSts.Functional.Syntax.RuleNames.PolicyMx, 3)],
            report.Hints.Map(static h => (h.Line, h.Column, h.Rule, int.Parse(h.Text.Split(' ')[4], System.Globalization.CultureInfo.InvariantCulture))).ToList());
    }

    [Fact]
    public void Hint_ForAMissingField_IsAboutTheWholeInput()
    {
        var hint = Lint.Hint(new MtaStsError.MissingField("max_age"));

        Assert.Equal(new LintHint(0, 0, MtaSts.Functional.Syntax.RuleNames.PolicyMaxAge, "add a line 'max_age: …'"), hint);
    }

    private const string Head = "version: STSv1\nmode: enforce\n";

    /// <summary>Key → policy text and its hints ("line:column rule text", in order), each checked by hand (punycode per RFC 3492).</summary>
    private static readonly Dictionary<string, (string Text, string Expected)> HintCases = new()
    {
        ["u-label-alone-in-sts-policy-mx"] = (Head + "mx: ü\nmax_age: 1\n", "3:5 sts-policy-mx mx values must be A-labels: did you mean xn--tda?"),
        ["u-label-in-sts-policy-mx-value"] = (Head + "mx: bücher.example\nmax_age: 1\n", "3:6 sts-policy-mx-value mx values must be A-labels: did you mean xn--bcher-kva.example?"),
        ["u-label-in-Domain"] = (Head + "mx: a.üb\nmax_age: 1\n", "3:7 Domain mx values must be A-labels: did you mean a.xn--b-dha?"),
        ["u-label-in-Ldh-str"] = (Head + "mx: a-ü\nmax_age: 1\n", "3:6 Ldh-str mx values must be A-labels: did you mean xn--a--yka?"),
        ["u-label-wildcard-keeps-its-star"] = (Head + "mx: *.bücher.example\nmax_age: 1\n", "3:8 sts-policy-mx-value mx values must be A-labels: did you mean *.xn--bcher-kva.example?"),
        ["trailing-dot"] = (Head + "mx: a.example.\nmax_age: 1\n", "3:15 Domain remove the trailing dot: a.example (lenient mode accepts it with a warning)"),
        ["trailing-dot-wildcard"] = (Head + "mx: *.a.example.\nmax_age: 1\n", "3:17 Domain remove the trailing dot: *.a.example (lenient mode accepts it with a warning)"),
        ["two-trailing-dots-lenient-refuses-too"] = (Head + "mx: a.example..\nmax_age: 1\n", ""),
        ["empty-label-before-a-trailing-dot"] = (Head + "mx: a..example.\nmax_age: 1\n", ""),
        ["mode-Testing"] = ("version: STSv1\nmode: Testing\nmx: a.example\nmax_age: 1\n", "2:7 sts-policy-mode mode values are case-sensitive: did you mean 'testing'?"),
        ["mode-NONE"] = ("version: STSv1\nmode: NONE\nmax_age: 1\n", "2:7 sts-policy-mode mode values are case-sensitive: did you mean 'none'?"),
        ["max-age-not-digits"] = (Head + "mx: a.example\nmax_age: 1x\n", "4:11 sts-policy-max-age-value max_age is 1 to 10 ASCII digits: the number of seconds, at most 31557600 (RFC 8461 §3.2)"),
        ["version-STSv2"] = ("version: STSv2\nmode: enforce\nmx: a.example\nmax_age: 1\n", "1:14 sts-policy-version-value the first line must be exactly 'version: STSv1'"),
        ["version-missing"] = ("mode: enforce\nmx: a.example\nmax_age: 1\n", "0:0 sts-policy-version add a line 'version: …'"),
        ["mx-required"] = (Head + "max_age: 1\n", "0:0 sts-policy-mx add one 'mx: <host>' line per MX host, or use 'mode: none'"),
        ["version-repeated"] = (Head + "mx: a.example\nmax_age: 1\nversion: STSv1\n", "5:1 sts-policy-version this line repeats line 1 and is ignored: the first one counts (RFC 8461 §3.2 [D-03]); remove it"),
    };

    public static TheoryData<string> HintKeys => [.. HintCases.Keys];

    [Theory]
    [MemberData(nameof(HintKeys))]
    public void Hint_OfEachObviousFix_IsItsRulePositionAndText(string key)
    {
        var (text, expected) = HintCases[key];

        Assert.Equal(expected, string.Join(" | ", Lint.Policy(text).Hints.Map(static h => $"{h.Line}:{h.Column} {h.Rule} {h.Text}")));
    }

    /// <summary>
    /// Errors a policy survey does not produce but <see cref="Lint.Hint"/> (public) takes: a missing <c>id</c> (a record's D-07 field),
    /// and a U-label error named by the inner RFC 5321 rules <c>sub-domain</c> and <c>Let-dig</c> (as parsing those rules alone names them).
    /// </summary>
    public static TheoryData<string, string> DirectHints => new()
    {
        { "missing-id", "0:0 sts-id add 'id=<1 to 32 letters or digits>;' after 'v=STSv1;' (RFC 8461 §3.1)" },
        { "u-label-in-sub-domain", "3:7 sub-domain mx values must be A-labels: did you mean a.xn--tda?" },
        { "u-label-in-Let-dig", "3:7 Let-dig mx values must be A-labels: did you mean a.xn--tda?" },
    };

    [Theory]
    [MemberData(nameof(DirectHints))]
    public void Hint_OfAnErrorMadeByHand_IsItsRulePositionAndText(string key, string expected)
    {
        MtaStsError error = key switch
        {
            "missing-id" => new MtaStsError.MissingField("id"),
            "u-label-in-sub-domain" => new MtaStsError.Syntax(3, 7, MtaSts.Functional.Syntax.RuleNames.SubDomain, Prelude.Seq1("Let-dig"), "'ü'", null, "mx: a.ü"),
            _ => new MtaStsError.Syntax(3, 7, MtaSts.Functional.Syntax.RuleNames.LetDig, Prelude.Seq1("Let-dig"), "'ü'", null, "mx: a.ü"),
        };

        Assert.Equal(expected, Lint.Hint(error) is { } h ? $"{h.Line}:{h.Column} {h.Rule} {h.Text}" : "none");
    }

    [Fact]
    public void Hint_ForAnErrorWithNoObviousFix_IsNull() =>
        Assert.Null(Lint.Hint(new MtaStsError.TooLarge(2, 1)));
}
