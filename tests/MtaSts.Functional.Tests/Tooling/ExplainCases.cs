using MtaSts.Functional.Tooling;

namespace MtaSts.Functional.Tests.Tooling;

/// <summary>Inputs for <see cref="Explain"/> that reach every kind of field and every meaning.</summary>
public static class ExplainCases
{
    public static readonly Dictionary<string, (bool Record, ParseMode Mode, string Text)> Inputs = new()
    {
        ["testing-duplicates-clamp"] = (false, ParseMode.Strict, "version: STSv1\nmode: testing\nmx: mail.example.com\nmx: *.example.net\nmx: MAIL.example.com\nmode: enforce\nmax_age: 9999999999\nversion: STSv1\nmax_age: 5\nfoo: bar\n"),
        ["enforce-short-max-age"] = (false, ParseMode.Strict, "version: STSv1\nmode: enforce\nmx: a.example\nmax_age: 3600\n"),
        ["none-one-day"] = (false, ParseMode.Strict, "version: STSv1\nmode: none\nmax_age: 86400\n"),
        ["max-age-exactly-the-maximum"] = (false, ParseMode.Strict, "version: STSv1\nmode: none\nmax_age: 31557600\n"),
        ["none-just-under-a-day"] = (false, ParseMode.Strict, "version: STSv1\nmode: none\nmax_age: 86399\n"),
        ["lenient-policy"] = (false, ParseMode.Lenient, "version: STSv1\n\n  mode : none\nmax_age: 1\n"),
        ["record-duplicate-id"] = (true, ParseMode.Strict, "v=STSv1; id=abc; id=def; ext=1"),
        ["lenient-record"] = (true, ParseMode.Lenient, "  v=STSv1; id=abc"),
        ["record-duplicate-v"] = (true, ParseMode.Strict, "v=STSv1; id=abc; v=STSv1"),
    };

    public static string Describe(bool record, ParseMode mode, string text) =>
        (record ? Explain.Record(text, mode) : Explain.Policy(text, mode)).Match(
            Right: static explanation => string.Join("\n", explanation.Fields.Map(static f => $"{f.Line}:{f.Column} {f.Rule} [{f.Text}] {f.Meaning}")),
            Left: static e => "ERROR " + e.Render());
}

/// <summary>Every meaning <see cref="Explain"/> gives, pinned (read and checked by hand: positions in the original text, D-03/D-04/D-08 notes).</summary>
public class ExplainTests
{
    public static TheoryData<string, string> Expected => new()
    {
        { "testing-duplicates-clamp", "1:1 sts-policy-version [version: STSv1] version STSv1, the only version (RFC 8461 §3.2)\n2:1 sts-policy-mode [mode: testing] mode testing: report failures (TLSRPT) but deliver anyway (§5)\n3:1 sts-policy-mx [mx: mail.example.com] mx mail.example.com: an MX host named exactly mail.example.com may receive mail (§4.1)\n4:1 sts-policy-mx [mx: *.example.net] mx *.example.net: an MX host one label below example.net (e.g. mail.example.net) may receive mail; not example.net itself, not two labels below (RFC 8461 §4.1 [M-02])\n5:1 sts-policy-mx [mx: MAIL.example.com] ignored: the same pattern as line 3 (RFC 8461 §3.2, patterns compared lower-cased [D-03, F-04])\n6:1 sts-policy-mode [mode: enforce] ignored: 'mode' appeared before, and the first one counts (RFC 8461 §3.2 [D-03])\n7:1 sts-policy-max-age [max_age: 9999999999] max_age 9999999999: clamped to 31557600 seconds (365d 06h00m), the maximum (RFC 8461 §3.2 [D-04])\n8:1 sts-policy-version [version: STSv1] ignored: 'version' appeared before, and the first one counts (RFC 8461 §3.2 [D-03])\n9:1 sts-policy-max-age [max_age: 5] ignored: 'max_age' appeared before, and the first one counts (RFC 8461 §3.2 [D-03])\n10:1 sts-policy-extension [foo: bar] extension 'foo' = 'bar': kept, no effect on delivery (RFC 8461 §3.2: unknown fields are ignored [D-08])" },
        { "enforce-short-max-age", "1:1 sts-policy-version [version: STSv1] version STSv1, the only version (RFC 8461 §3.2)\n2:1 sts-policy-mode [mode: enforce] mode enforce: deliver only to MX hosts that match a pattern, over STARTTLS with a valid certificate (§5)\n3:1 sts-policy-mx [mx: a.example] mx a.example: an MX host named exactly a.example may receive mail (§4.1)\n4:1 sts-policy-max-age [max_age: 3600] max_age 3600 seconds (01h00m00s): cache the policy this long after fetching it (§3.2)" },
        { "none-one-day", "1:1 sts-policy-version [version: STSv1] version STSv1, the only version (RFC 8461 §3.2)\n2:1 sts-policy-mode [mode: none] mode none: no active policy; senders do not apply MTA-STS (§5, §8.3)\n3:1 sts-policy-max-age [max_age: 86400] max_age 86400 seconds (1d 00h00m): cache the policy this long after fetching it (§3.2)" },
        { "max-age-exactly-the-maximum", "1:1 sts-policy-version [version: STSv1] version STSv1, the only version (RFC 8461 §3.2)\n2:1 sts-policy-mode [mode: none] mode none: no active policy; senders do not apply MTA-STS (§5, §8.3)\n3:1 sts-policy-max-age [max_age: 31557600] max_age 31557600 seconds (365d 06h00m): cache the policy this long after fetching it (§3.2)" },
        { "none-just-under-a-day", "1:1 sts-policy-version [version: STSv1] version STSv1, the only version (RFC 8461 §3.2)\n2:1 sts-policy-mode [mode: none] mode none: no active policy; senders do not apply MTA-STS (§5, §8.3)\n3:1 sts-policy-max-age [max_age: 86399] max_age 86399 seconds (23h59m59s): cache the policy this long after fetching it (§3.2)" },
        { "lenient-policy", "1:1 sts-policy-version [version: STSv1] version STSv1, the only version (RFC 8461 §3.2)\n3:3 sts-policy-mode [mode : none] mode none: no active policy; senders do not apply MTA-STS (§5, §8.3)\n4:1 sts-policy-max-age [max_age: 1] max_age 1 seconds (00h00m01s): cache the policy this long after fetching it (§3.2)" },
        { "record-duplicate-id", "1:1 sts-version [v=STSv1] v=STSv1: an MTA-STS record, version 1 (RFC 8461 §3.1)\n1:10 sts-id [id=abc] id abc: the policy instance; a sender fetches the policy when it differs from the cached id (RFC 8461 §3.1: compared for equality only [C-03])\n1:18 sts-id [id=def] ignored: 'id' appeared before, and the first one counts (RFC 8461 §3.2 [D-03])\n1:26 sts-extension [ext=1] extension 'ext' = '1': kept, no effect (RFC 8461 §3.1: unknown fields are ignored [D-08])" },
        { "record-duplicate-v", "1:1 sts-version [v=STSv1] v=STSv1: an MTA-STS record, version 1 (RFC 8461 §3.1)\n1:10 sts-id [id=abc] id abc: the policy instance; a sender fetches the policy when it differs from the cached id (RFC 8461 §3.1: compared for equality only [C-03])\n1:18 sts-version [v=STSv1] ignored: 'v' appeared before, and the first one counts (RFC 8461 §3.2 [D-03])" },
        { "lenient-record", "1:3 sts-version [v=STSv1] v=STSv1: an MTA-STS record, version 1 (RFC 8461 §3.1)\n1:12 sts-id [id=abc] id abc: the policy instance; a sender fetches the policy when it differs from the cached id (RFC 8461 §3.1: compared for equality only [C-03])" },
    };

    [Theory]
    [MemberData(nameof(Expected))]
    public void Explain_EachField_HasItsRuleTextAndMeaning(string key, string expected)
    {
        var (record, mode, text) = ExplainCases.Inputs[key];

        Assert.Equal(expected, ExplainCases.Describe(record, mode, text));
    }

    [Fact]
    public void EveryCase_IsPinned() =>
        Assert.Equal(ExplainCases.Inputs.Keys.Order(StringComparer.Ordinal), Expected.Select(static row => (string)row[0]).Order(StringComparer.Ordinal));

    [Fact]
    public void Explain_NullInput_IsAnError()
    {
        Assert.Equal("end of input", Assert.IsType<MtaStsError.Syntax>(Explain.Policy(null).Case).Found);
        Assert.Equal("end of input", Assert.IsType<MtaStsError.Syntax>(Explain.Record(null).Case).Found);
    }
}
