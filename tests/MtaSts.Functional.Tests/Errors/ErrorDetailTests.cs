namespace MtaSts.Functional.Tests.Errors;

/// <summary>
/// Every error path of the rule combinators and the source map, pinned in full: line, column, the
/// innermost rule, the expectations, what was found (quoted, escaped, cut at 24 characters or at
/// whitespace) and the message of a limit the ABNF alone does not state. Each row was read and
/// checked by hand against the input (ErrorDetailCases says what each one exercises).
/// </summary>
public class ErrorDetailTests
{
    public static TheoryData<string, string> Expected => new()
    {
        { "cr-at-end", "2:1 [CRLF] expected <LF> found <end of input> message <>" },
        { "cr-then-letter", "2:1 [CRLF] expected <LF> found <'mode:'> message <>" },
        { "cr-cr-lf", "3:1 [CRLF] expected <LF> found <'\\r'> message <>" },
        { "mode-prefix", "2:10 [sts-policy-mode-value] expected <'enforce'> found <'\\n'> message <>" },
        { "mode-prefix-eof", "2:10 [sts-policy-mode-value] expected <'enforce'> found <end of input> message <>" },
        { "mode-empty", "2:7 [sts-policy-mode] expected <sts-policy-mode-value> found <'\\n'> message <>" },
        { "mode-control", "2:14 [sts-policy-mode-value] expected <> found <'\\u0001'> message <U+0001 cannot appear here: the value ends before it>" },
        { "mode-surrogate", "2:14 [sts-policy-mode-value] expected <> found <'\\uD800'> message <U+D800 cannot appear here: the value ends before it>" },
        { "max-age-empty", "2:10 [sts-policy-max-age] expected <sts-policy-max-age-value> found <'\\n'> message <>" },
        { "ext-name-start", "2:1 [sts-policy-record] expected <sts-policy-field | end of input> found <'-foo:'> message <>" },
        { "mx-hyphen-end", "2:6 [Ldh-str] expected <> found <'-.example'> message <Ldh-str must end with a letter or digit, not '-'>" },
        { "mx-label-64", "2:68 [sts-policy-mx-value] expected <> found <'a.example'> message <a label is at most 63 octets (D-06)>" },
        { "mx-numeric", "2:11 [sts-policy-mx-value] expected <> found <'4'> message <the right-most label is all digits: an address is not a host name (D-06)>" },
        { "mx-too-long", "2:258 [sts-policy-mx-value] expected <> found <'a.example'> message <a domain name is at most 253 octets; this one has 262 (D-06)>" },
        { "found-truncated", "2:15 [sts-policy-record] expected <sts-policy-term | end of input> found <'abcdefghijklmnopqrstuvwx'> message <>" },
        { "found-control", "2:1 [sts-policy-record] expected <sts-policy-field | end of input> found <'\\u0001x'> message <>" },
        { "found-tab-cr", "3:1 [CRLF] expected <LF> found <'x'> message <>" },
        { "found-tab", "2:1 [sts-policy-record] expected <sts-policy-field | end of input> found <'\\tmode:'> message <>" },
        { "bom", "1:1 [sts-policy-record] expected <sts-policy-record> found <'\\uFEFFversion:'> message <>" },
        { "empty", "1:1 [sts-policy-record] expected <sts-policy-record> found <end of input> message <>" },
        { "field-at-end", "2:3 [sts-policy-extension] expected <sts-policy-field-delim> found <end of input> message <>" },
        { "lenient-end", "2:5 [sts-policy-extension] expected <sts-policy-field-delim> found <end of input> message <>" },
        { "id-at-end", "1:13 [sts-id] expected <ALPHA / DIGIT> found <end of input> message <>" },
        { "id-empty", "1:13 [sts-id] expected <ALPHA / DIGIT> found <';'> message <>" },
        { "ext-name-bad", "1:10 [sts-text-record] expected <sts-field> found <'-x=1;'> message <>" },
        { "id-33", "1:45 [sts-id] expected <> found <'a;'> message <'a' cannot appear here: the value ends before it>" },
        { "record-control", "1:17 [sts-text-record] expected <sts-field | end of input> found <'\\u0007'> message <>" },
        { "version-prefix", "1:7 [sts-version] expected <'v=STSv1'> found <'2;'> message <>" },
        { "version-prefix-eof", "1:7 [sts-version] expected <'v=STSv1'> found <end of input> message <>" },
        { "ext-value-empty", "1:20 [sts-extension] expected <sts-ext-value> found <';'> message <>" },
        { "ext-value-eof", "1:20 [sts-extension] expected <sts-ext-value> found <end of input> message <>" },
        { "lenient-record-end", "1:14 [sts-id] expected <ALPHA / DIGIT> found <end of input> message <>" },
    };

    [Theory]
    [MemberData(nameof(Expected))]
    public void SyntaxError_EveryDetail_IsAsPinned(string key, string expected)
    {
        var (kind, text) = ErrorDetailCases.Inputs[key];

        var error = ErrorDetailCases.Parse(kind, text);

        Assert.Equal(expected, Assert.IsType<MtaStsError.Syntax>(error).Describe());
    }

    [Fact]
    public void EveryCase_IsPinned() =>
        Assert.Equal(ErrorDetailCases.Inputs.Keys.Order(StringComparer.Ordinal), Expected.Select(static row => (string)row[0]).Order(StringComparer.Ordinal));
}
