using LanguageExt;

namespace MtaSts.Functional.Tests.Errors;

/// <summary>What people read: every error, warning and decision renders to a fixed, informative text.</summary>
public class RenderingTests
{
    // Keyed rows: xunit (and so Stryker) sees each row as its own test only when the row's data serialise.
    private static readonly Dictionary<string, MtaStsError> ErrorCases = new()
    {
        ["missing-field"] = new MtaStsError.MissingField("max_age"),
        ["mx-required"] = new MtaStsError.MxRequired(PolicyMode.Testing),
        ["too-large"] = new MtaStsError.TooLarge(70000, 65536),
        ["invalid-value"] = new MtaStsError.InvalidValue("id", "a-b", "why"),
        ["address-literal"] = new MtaStsError.AddressLiteral("[192.0.2.1]"),
        ["no-record"] = new MtaStsError.NoUsableRecord(UnusableRecordReason.None, 0, Option<MtaStsError>.None),
        ["several-records"] = new MtaStsError.NoUsableRecord(UnusableRecordReason.Several, 2, Option<MtaStsError>.None),
        ["invalid-record"] = new MtaStsError.NoUsableRecord(UnusableRecordReason.Invalid, 1, new MtaStsError.MissingField("id")),
        ["invalid-record-no-cause"] = new MtaStsError.NoUsableRecord(UnusableRecordReason.Invalid, 1, Option<MtaStsError>.None),
        ["no-tlsrpt-record"] = new MtaStsError.NoTlsRptRecord(UnusableRecordReason.None, 0, Option<MtaStsError>.None),
        ["several-tlsrpt-records"] = new MtaStsError.NoTlsRptRecord(UnusableRecordReason.Several, 2, Option<MtaStsError>.None),
        ["invalid-tlsrpt-record"] = new MtaStsError.NoTlsRptRecord(UnusableRecordReason.Invalid, 1, new MtaStsError.MissingField("rua")),
        ["invalid-tlsrpt-record-no-cause"] = new MtaStsError.NoTlsRptRecord(UnusableRecordReason.Invalid, 1, Option<MtaStsError>.None),
        ["several-errors"] = new MtaStsError.Several(Prelude.Seq<MtaStsError>(new MtaStsError.MissingField("mode"), new MtaStsError.MissingField("version"))),
        ["syntax-nothing-expected"] = new MtaStsError.Syntax(1, 3, "r", Seq<string>.Empty, "'x'", null, "abx"),
        ["syntax-three-expected"] = new MtaStsError.Syntax(1, 2, "r", Prelude.Seq("'a'", "'b'", "c"), "'x'", null, "\tx\u0001"),
        ["syntax-message"] = new MtaStsError.Syntax(2, 1, "r", Prelude.Seq1("'a'"), "'x'", "a message", "x"),
        ["syntax-column-past-line"] = new MtaStsError.Syntax(1, 6, "r", Prelude.Seq1("'a'"), "end of input", null, "ab"),
    };

    public static TheoryData<string, string> Errors => new()
    {
        { "missing-field", "error[missing-field]: the required field 'max_age' is missing" },
        { "mx-required", "error[mx-required]: a policy in mode 'testing' needs at least one 'mx' field" },
        { "too-large", "error[too-large]: the policy is 70000 bytes; the limit is 65536 bytes (D-12)" },
        { "invalid-value", "error[invalid-value]: id 'a-b': why" },
        { "address-literal", "error[address-literal]: '[192.0.2.1]' is an address, not a domain: MTA-STS does not apply to address literals (RFC 8461 §3.4)" },
        { "no-record", "error[no-usable-record]: no MTA-STS TXT record" },
        { "several-records", "error[no-usable-record]: 2 TXT records begin with 'v=STSv1;'; exactly one is required" },
        { "invalid-record", "error[no-usable-record]: the MTA-STS TXT record is invalid:\nerror[missing-field]: the required field 'id' is missing" },
        { "invalid-record-no-cause", "error[no-usable-record]: the MTA-STS TXT record is invalid:\n(no detail)" },
        { "no-tlsrpt-record", "error[no-tlsrpt-record]: no TLSRPT TXT record" },
        { "several-tlsrpt-records", "error[no-tlsrpt-record]: 2 TXT records begin with 'v=TLSRPTv1;'; exactly one is required" },
        { "invalid-tlsrpt-record", "error[no-tlsrpt-record]: the TLSRPT TXT record is invalid:\nerror[missing-field]: the required field 'rua' is missing" },
        { "invalid-tlsrpt-record-no-cause", "error[no-tlsrpt-record]: the TLSRPT TXT record is invalid:\n(no detail)" },
        { "several-errors", "error[missing-field]: the required field 'mode' is missing\nerror[missing-field]: the required field 'version' is missing" },
        { "syntax-nothing-expected", "1:3: error[r]: expected something else, found 'x'\n  abx\n    ^" },
        { "syntax-three-expected", "1:2: error[r]: expected 'a', 'b' or c, found 'x'\n  \tx\uFFFD\n  \t^" },
        { "syntax-message", "2:1: error[r]: a message\n  x\n  ^" },
        { "syntax-column-past-line", "1:6: error[r]: expected 'a', found end of input\n  ab\n    ^" },
    };

    [Theory]
    [MemberData(nameof(Errors))]
    public void Render_EachError_IsItsFixedText(string key, string text)
    {
        var error = ErrorCases[key];

        Assert.Equal(text, error.Render());
        Assert.Equal(text, error.ToString());
    }

    [Fact]
    public void All_FlattensSeveralAndKeepsOthersAlone()
    {
        MtaStsError a = new MtaStsError.MissingField("a"), b = new MtaStsError.MissingField("b"), c = new MtaStsError.MissingField("c");

        Assert.Equal([a, b, c], new MtaStsError.Several(Prelude.Seq(a, new MtaStsError.Several(Prelude.Seq(b, c)))).All.ToList());
        Assert.Equal([a], a.All.ToList());
    }

    public static TheoryData<string, string> Decisions => new()
    {
        { "enforce|mail.example.com|Valid", "deliver: matches mx pattern 'mail.example.com' (enforce); require STARTTLS with a certificate valid for the MX host (§4.1, §5)" },
        { "testing|evil.test|NotNegotiated", "deliver and report MxMismatch, result type validation-failure (testing; §4.1, §5)" },
        { "enforce|mail.example.com|CertificateExpired", "refuse this MX and try the next one (transient): CertificateExpired, result type certificate-expired (§4.2, §5)" },
        { "none|mail.example.com|Valid", "MTA-STS not applied: ModeNone (§5)" },
    };

    [Theory]
    [MemberData(nameof(Decisions))]
    public void Decision_ToString_SaysWhatToDoAndWhy(string row, string text)
    {
        var parts = row.Split('|');
        var policy = Assert.Single(Policy.Parse($"version: STSv1\nmode: {parts[0]}\nmx: mail.example.com\nmax_age: 1\n").RightToSeq());

        var tls = parts[2] switch { "Valid" => TlsOutcome.Valid, "NotNegotiated" => TlsOutcome.NotNegotiated, var failure => TlsOutcome.Failed(Enum.Parse<FailureKind>(failure)) };
        Assert.Equal(text, Enforcement.Enforce(policy, parts[1], tls).ToString());
    }

    [Theory]
    [InlineData(NotAppliedReason.NoPolicy, "MTA-STS not applied: NoPolicy (§3.3, §5)")]
    [InlineData(NotAppliedReason.Dane, "MTA-STS not applied: Dane (§2)")]
    public void NotApplied_ToString_CitesItsSection(NotAppliedReason reason, string text)
    {
        Assert.Equal(text, new Decision.NotApplied(reason).ToString());
    }

    public static TheoryData<string, ParseMode, string> Warnings => new()
    {
        { "version: STSv1\nmode: none\nmax_age: 99999999\n", ParseMode.Strict, "3:10: warning[MaxAgeClamped]: max_age 99999999 is above 31557600; clamped to 31557600 (D-04)" },
        { "\uFEFFversion: STSv1\nmode: none\nmax_age: 1\n", ParseMode.Lenient, "1:1: warning[ByteOrderMark]: byte-order mark skipped (L-01)" },
        { "version: STSv1\rmode: none\nmax_age: 1\n", ParseMode.Lenient, "1:15: warning[BareCarriageReturn]: bare CR read as a line end (L-01)" },
        { "version: STSv1\n\nmode: none\nmax_age: 1\n", ParseMode.Lenient, "2:1: warning[BlankLine]: blank line skipped (L-01)" },
        { " version: STSv1\nmode: none\nmax_age: 1\n", ParseMode.Lenient, "1:1: warning[LeadingWhitespace]: whitespace at the start of a line skipped (L-01)" },
        { "version : STSv1\nmode: none\nmax_age: 1\n", ParseMode.Lenient, "1:8: warning[WhitespaceBeforeColon]: whitespace before ':' skipped (L-01)" },
        { "version: STSv1\nmode: none\nmx: a.example.\nmax_age: 1\n", ParseMode.Lenient, "3:14: warning[MxTrailingDot]: trailing dot of an mx value stripped (L-01)" },
    };

    [Theory]
    [MemberData(nameof(Warnings))]
    public void PolicyWarning_IsItsFixedText(string input, ParseMode mode, string text)
    {
        var warning = Assert.Single(Assert.Single(Policy.ParseWithWarnings(input, mode).RightToSeq()).Warnings);

        Assert.Equal(text, warning.ToString());
    }

    [Theory]
    [InlineData(" v=STSv1; id=a", "1:1: warning[RecordLeadingWhitespace]: whitespace before 'v=STSv1' skipped (L-01)")]
    [InlineData("v=STSv1; id=a ", "1:14: warning[RecordTrailingWhitespace]: whitespace at the end of the record skipped (L-01)")]
    [InlineData("v=STSv1;; id=a", "1:8: warning[EmptyField]: empty field skipped (L-01)")]
    public void RecordWarning_IsItsFixedText(string input, string text)
    {
        var warning = Assert.Single(Assert.Single(StsRecord.ParseWithWarnings(input, ParseMode.Lenient).RightToSeq()).Warnings);

        Assert.Equal(text, warning.ToString());
    }

    [Theory]
    [InlineData("mail.example.com", "mail.example.com")]
    [InlineData("*.example.com", "*.example.com")]
    public void MxPattern_ToString_IsItsCanonicalText(string pattern, string text)
    {
        var parsed = Assert.Single(MxPattern.Parse(pattern).RightToSeq());

        Assert.Equal(text, parsed.ToString());
        Assert.Equal(text[(text.StartsWith('*') ? 2 : 0)..], parsed.Domain.ToString());
    }

    [Fact]
    public void ValueTypes_ToString_AreTheirValues()
    {
        Assert.Equal("abc", Assert.Single(PolicyId.Create("abc").RightToSeq()).ToString());
        Assert.Equal("86400", Assert.Single(MaxAge.Create(86400).RightToSeq()).ToString());
        Assert.Equal(TimeSpan.FromDays(1), Assert.Single(MaxAge.Create(86400).RightToSeq()).Duration);
    }
}
