namespace MtaSts.Functional.Tests.Errors;

/// <summary>Inputs whose syntax errors exercise every error path of the rule combinators and the source map.</summary>
public static class ErrorDetailCases
{
    private const string V = "version: STSv1\n";
    private static readonly string LongDomain = string.Join(".", Enumerable.Repeat(new string('a', 50), 5)) + ".example";

    public static readonly Dictionary<string, (string Kind, string Text)> Inputs = new()
    {
        ["cr-at-end"] = ("policy", "version: STSv1\r"),
        ["cr-then-letter"] = ("policy", "version: STSv1\rmode: enforce\n"),
        ["cr-cr-lf"] = ("policy", V + "mode: enforce\r\r\n"),
        ["mode-prefix"] = ("policy", V + "mode: enf\n"),
        ["mode-prefix-eof"] = ("policy", V + "mode: enf"),
        ["mode-empty"] = ("policy", V + "mode: \n"),
        ["mode-control"] = ("policy", V + "mode: enforce\u0001\n"),
        ["mode-surrogate"] = ("policy", V + "mode: enforce\ud800\n"),
        ["max-age-empty"] = ("policy", V + "max_age: \n"),
        ["ext-name-start"] = ("policy", V + "-foo: bar\n"),
        ["mx-hyphen-end"] = ("policy", V + "mx: a-.example\n"),
        ["mx-label-64"] = ("policy", V + "mx: " + new string('a', 64) + ".example\n"),
        ["mx-numeric"] = ("policy", V + "mx: 1.2.3.4\n"),
        ["mx-too-long"] = ("policy", V + "mx: " + LongDomain + "\n"),
        ["found-truncated"] = ("policy", V + "mode: enforce abcdefghijklmnopqrstuvwxyz0123456789\n"),
        ["found-control"] = ("policy", V + "\u0001x\n"),
        ["found-tab-cr"] = ("policy", V + "mode: enforce \t\rx\n"),
        ["found-tab"] = ("policy", V + "\tmode: enforce\n"),
        ["bom"] = ("policy", "\uFEFFversion: STSv1\n"),
        ["empty"] = ("policy", ""),
        ["field-at-end"] = ("policy", V + "mx"),
        ["lenient-end"] = ("lenient-policy", " version: STSv1\nmode"),
        ["id-at-end"] = ("record", "v=STSv1; id="),
        ["id-empty"] = ("record", "v=STSv1; id=;"),
        ["ext-name-bad"] = ("record", "v=STSv1; -x=1;"),
        ["id-33"] = ("record", "v=STSv1; id=" + new string('a', 33) + ";"),
        ["record-control"] = ("record", "v=STSv1;\tid=abc;\u0007"),
        ["version-prefix"] = ("record", "v=STSv2; id=a;"),
        ["version-prefix-eof"] = ("record", "v=STSv"),
        ["ext-value-empty"] = ("record", "v=STSv1; id=a; ext=;"),
        ["ext-value-eof"] = ("record", "v=STSv1; id=a; ext="),
        ["lenient-record-end"] = ("lenient-record", " v=STSv1; id="),
    };

    public static string Describe(this MtaStsError.Syntax s) =>
        $"{s.Line}:{s.Column} [{s.Rule}] expected <{string.Join(" | ", s.Expected)}> found <{s.Found}> message <{s.Message}>";

    /// <summary>The error, or null when the input parses (LanguageExt's Match refuses a null result, hence Case).</summary>
    public static MtaStsError? Parse(string kind, string text) => kind switch
    {
        "policy" => Policy.Parse(text, ParseMode.Strict).Case as MtaStsError,
        "lenient-policy" => Policy.Parse(text, ParseMode.Lenient).Case as MtaStsError,
        "record" => StsRecord.Parse(text, ParseMode.Strict).Case as MtaStsError,
        "lenient-record" => StsRecord.Parse(text, ParseMode.Lenient).Case as MtaStsError,
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };
}
