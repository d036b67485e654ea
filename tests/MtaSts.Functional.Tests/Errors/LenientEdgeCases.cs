namespace MtaSts.Functional.Tests.Errors;

/// <summary>Lenient repairs at their edges: where a dot, WSP or colon sits right next to another.</summary>
public static class LenientEdgeCases
{
    private const string Head = "version: STSv1\nmode: enforce\n";
    private const string Tail = "max_age: 1\n";

    public static readonly Dictionary<string, (bool Record, string Text)> Inputs = new()
    {
        ["mx-dot-then-space"] = (false, Head + "mx: a.example. \n" + Tail),
        ["mx-dot-then-tabs"] = (false, Head + "mx: a.example.\t\t\n" + Tail),
        ["mx-no-space-one-letter-dot"] = (false, Head + "mx:a.\n" + Tail),
        ["mx-only-dot"] = (false, Head + "mx:.\n" + Tail),
        ["mx-space-dot"] = (false, Head + "mx: .\n" + Tail),
        ["mx-dot-after-space-value"] = (false, Head + "mx: a.example .\n" + Tail),
        ["ext-dot-not-stripped"] = (false, Head + "mx: a.example\nx: y.\n" + Tail),
        ["space-tab-before-colon"] = (false, Head + "mx \t: a.example\n" + Tail),
        ["leading-and-before-colon"] = (false, "version: STSv1\n  mode  :  enforce\nmx: a.example\n" + Tail),
        ["blank-line-bare-cr"] = (false, "version: STSv1\n \rmode: enforce\nmx: a.example\n" + Tail),
        ["line-without-colon"] = (false, Head + "mx: a.example\n" + Tail + "garbage\n"),
        ["colon-first-after-leading-space"] = (false, Head + "mx: a.example\n" + Tail + "  : x\n"),
        ["record-only-space"] = (true, "   "),
        ["record-trailing-space-after-semicolon"] = (true, "v=STSv1; id=a; "),
        ["record-trailing-space-no-semicolon"] = (true, "v=STSv1; id=a  "),
        ["record-leading-and-trailing"] = (true, " \tv=STSv1; id=a\t"),
    };

    public static string Outcome(bool record, string text)
    {
        var warnings = record
            ? StsRecord.ParseWithWarnings(text, ParseMode.Lenient).Map(static p => p.Warnings)
            : Policy.ParseWithWarnings(text, ParseMode.Lenient).Map(static p => p.Warnings);
        return warnings.Match(
            Right: static w => "valid: " + string.Join(", ", w.Map(static x => $"{x.Kind}@{x.Line}:{x.Column}")),
            Left: static e => e is MtaStsError.Syntax s ? $"invalid: {s.Line}:{s.Column} {s.Rule}" : "invalid: " + e.Render());
    }
}

/// <summary>L-01 repairs at their edges (each row checked by hand: what is repaired, what stays an error, where).</summary>
public class LenientEdgeTests
{
    public static TheoryData<string, string> Expected => new()
    {
        { "mx-dot-then-space", "valid: MxTrailingDot@3:14" },
        { "mx-dot-then-tabs", "valid: MxTrailingDot@3:14" },
        { "mx-no-space-one-letter-dot", "valid: MxTrailingDot@3:5" },
        { "mx-only-dot", "invalid: 3:4 sts-policy-mx" },
        { "mx-space-dot", "invalid: 3:5 sts-policy-mx" },
        { "mx-dot-after-space-value", "invalid: 3:15 sts-policy-record" },
        { "ext-dot-not-stripped", "valid: " },
        { "space-tab-before-colon", "valid: WhitespaceBeforeColon@3:3" },
        { "leading-and-before-colon", "valid: LeadingWhitespace@2:1, WhitespaceBeforeColon@2:7" },
        { "blank-line-bare-cr", "valid: BlankLine@2:1, BareCarriageReturn@2:2" },
        { "line-without-colon", "invalid: 5:8 sts-policy-extension" },
        { "colon-first-after-leading-space", "invalid: 5:3 sts-policy-record" },
        { "record-only-space", "invalid: 1:4 sts-text-record" },
        { "record-trailing-space-after-semicolon", "valid: " },
        { "record-trailing-space-no-semicolon", "valid: RecordTrailingWhitespace@1:14" },
        { "record-leading-and-trailing", "valid: RecordLeadingWhitespace@1:1, RecordTrailingWhitespace@1:16" },
    };

    [Theory]
    [MemberData(nameof(Expected))]
    public void Lenient_EdgeCase_IsRepairedOrRejectedAsPinned(string key, string expected)
    {
        var (record, text) = LenientEdgeCases.Inputs[key];

        Assert.Equal(expected, LenientEdgeCases.Outcome(record, text));
    }

    [Fact]
    public void BareCarriageReturn_AfterABlankLine_SaysWhatItDid()
    {
        var warnings = Policy.ParseWithWarnings("version: STSv1\n \rmode: none\nmax_age: 1\n", ParseMode.Lenient).Map(static p => p.Warnings).IfLeft(static e => throw new InvalidOperationException(e.Render()));

        Assert.Equal("2:2: warning[BareCarriageReturn]: bare CR read as a line end (L-01)", warnings[1].ToString());
    }

    [Fact]
    public void EveryCase_IsPinned() =>
        Assert.Equal(LenientEdgeCases.Inputs.Keys.Order(StringComparer.Ordinal), Expected.Select(static row => (string)row[0]).Order(StringComparer.Ordinal));
}
