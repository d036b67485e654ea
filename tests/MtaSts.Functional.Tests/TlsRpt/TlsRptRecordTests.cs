namespace MtaSts.Functional.Tests.TlsRpt;

/// <summary>RFC 8460 §3: the RFC's own examples first, then the model, the errors with their positions, and the record-set rule (T-01..T-08).</summary>
public class TlsRptRecordTests
{
    [Theory]
    [InlineData("v=TLSRPTv1;rua=mailto:reports@example.com", "mailto:reports@example.com", ReportingScheme.Mailto)]
    [InlineData("v=TLSRPTv1; rua=https://reporting.example.com/v1/tlsrpt", "https://reporting.example.com/v1/tlsrpt", ReportingScheme.Https)]
    public void Parse_Rfc8460Section3Example_ReadsTheDestination(string text, string uri, ReportingScheme scheme)
    {
        var record = Assert.Single(TlsRptRecord.Parse(text).RightToSeq());

        Assert.Equal(new ReportingUri(uri, scheme), Assert.Single(record.Destinations));
        Assert.Equal([uri], record.Rua.ToList());
        Assert.Equal([uri], record.Usable.ToList());
        Assert.True(record.Unsupported.IsEmpty);
        Assert.Equal($"v=TLSRPTv1; rua={uri};", record.Render());
        Assert.Equal(record.Render(), record.ToString());
    }

    [Fact]
    public void Render_WithSeveralUrisAndExtensions_PutsUrisInOneRuaThenExtensionsInOrder()
    {
        var record = Assert.Single(TlsRptRecord.Parse("v=TLSRPTv1; b=2 ; rua=mailto:a@example.com , https://r.example/x; a=1; rua=ftp://f.example/").RightToSeq());

        Assert.Equal("v=TLSRPTv1; rua=mailto:a@example.com,https://r.example/x,ftp://f.example/; b=2; a=1;", record.Render());
        Assert.Equal(["ftp://f.example/"], record.Unsupported.ToList());
        Assert.Equal(record, Assert.Single(TlsRptRecord.Parse(record.Render()).RightToSeq()));
    }

    [Fact]
    public void Parse_Null_IsATypedErrorNotAnException()
    {
        var error = Assert.IsType<MtaStsError.Syntax>(Assert.Single(TlsRptRecord.Parse(null).LeftToSeq()));

        Assert.Equal((1, 1, "tlsrpt-record", "end of input"), (error.Line, error.Column, error.Rule, error.Found)); // read as the empty text
    }

    [Fact]
    public void Parse_NoRua_IsMissingFieldRua()
    {
        Assert.Equal(new MtaStsError.MissingField("rua"), Assert.Single(TlsRptRecord.Parse("v=TLSRPTv1; ext=1").LeftToSeq()));
    }

    /// <summary>Rows: input, 1-based column of the error, the rule blamed, why.</summary>
    public static TheoryData<string, int, string, string> ErrorPositions => new()
    {
        { "v=TLSRPTv2; rua=mailto:a@example.com", 10, "tlsrpt-version", "T-01: only TLSRPTv1" },
        { "V=TLSRPTv1; rua=mailto:a@example.com", 1, "tlsrpt-record", "T-01: %s\"v=TLSRPTv1\" is case-sensitive" },
        { " v=TLSRPTv1; rua=mailto:a@example.com", 1, "tlsrpt-record", "T-01: no WSP before the version" },
        { "v=TLSRPTv1", 11, "tlsrpt-record", "1*(field-delim tlsrpt-field)" },
        { "v=TLSRPTv1;; rua=mailto:a@example.com", 12, "tlsrpt-record", "T-01: an empty field" },
        { "v=TLSRPTv1; rua=", 17, "tlsrpt-rua", "a rua needs a URI" },
        { "v=TLSRPTv1; rua=mailto:a!b@example.com", 25, "tlsrpt-uri", "T-02: a raw '!' must be %21" },
        { "v=TLSRPTv1; rua=noscheme", 25, "tlsrpt-uri", "T-02: a URI needs scheme \":\"" },
        { "v=TLSRPTv1; rua=http://bad/%", 29, "tlsrpt-uri", "pct-encoded needs two HEXDIG" },
        { "v=TLSRPTv1; rua=https://a.example/\"x\"", 35, "tlsrpt-uri", "'\"' is not a URI character" },
        { "v=TLSRPTv1; rua=mailto:x@x.example other", 36, "field-delim", "T-01: text after the last field" },
        { "v=TLSRPTv1; rua=mailto:x@x.example; more=", 42, "tlsrpt-extension", "T-05: 1*tlsrpt-ext-value" },
        { "v=TLSRPTv1; rua=mailto:x@x.example; a12345678901234567890123456789012=1", 69, "tlsrpt-extension", "T-05: a name of at most 32" },
        { "v=TLSRPTv1; rua=mailto:a@example.com; rua=not_a_valid_uri", 46, "tlsrpt-uri", "T-05: a later rua is still a rua" },
    };

    [Theory]
    [MemberData(nameof(ErrorPositions))]
    public void Parse_Invalid_FailsAtTheBreakNamingTheRule(string text, int column, string rule, string why)
    {
        var error = Assert.IsType<MtaStsError.Syntax>(Assert.Single(TlsRptRecord.Parse(text).LeftToSeq()));

        Assert.True((1, column, rule) == (error.Line, error.Column, error.Rule), $"{why}: got {error.Render()}");
    }

    /// <summary>
    /// Rows: input, 1-based column, the message, why. T-02: a tlsrpt-uri that is no RFC 3986 <c>URI</c> says which
    /// rule failed and why; inside an <c>IPv6address</c> (§3.2.2) the column is that of the piece or "::" at fault.
    /// </summary>
    public static TheoryData<string, int, string, string> UriErrors => new()
    {
        { "v=TLSRPTv1; rua=!a:b", 17, "'!' must be percent-encoded as %21 inside a tlsrpt-uri (RFC 8460 §3, T-02)", "T-02: a raw '!' as the first character" },
        { "v=TLSRPTv1; rua=http://[]/", 25, "not an RFC 3986 URI (T-02): expected IPvFuture or IPv6address, found ']/' (IP-literal)", "IP-literal = \"[\" ( IPv6address / IPvFuture ) \"]\": neither starts with ']'" },
        { "v=TLSRPTv1; rua=http://[1::2::3]/", 29, "not an RFC 3986 URI (T-02): an IPv6address has at most one \"::\" (IPv6address)", "the second \"::\" is blamed" },
        { "v=TLSRPTv1; rua=http://[::1::2]/", 28, "not an RFC 3986 URI (T-02): an IPv6address has at most one \"::\" (IPv6address)", "a second \"::\" after a leading one" },
        { "v=TLSRPTv1; rua=http://[1::12345]/", 28, "not an RFC 3986 URI (T-02): not an h16 (1*4HEXDIG) (IPv6address)", "h16 is 1*4HEXDIG, after the \"::\"" },
        { "v=TLSRPTv1; rua=http://[1:12345::]/", 27, "not an RFC 3986 URI (T-02): not an h16 (1*4HEXDIG) (IPv6address)", "h16 is 1*4HEXDIG, the second piece" },
        { "v=TLSRPTv1; rua=http://[::1.2.3.256]/", 27, "not an RFC 3986 URI (T-02): not an IPv4address (ls32) (IPv6address)", "dec-octet is at most 255" },
        { "v=TLSRPTv1; rua=http://[::1:2:3:4:5:6:7:8]/", 25, "not an RFC 3986 URI (T-02): an IPv6address has 8 pieces of 16 bits, or at most 7 around \"::\"; this one has 8 (IPv6address)", "eight pieces after a leading \"::\"" },
    };

    [Theory]
    [MemberData(nameof(UriErrors))]
    public void Parse_InvalidUri_SaysWhichUriRuleFailedAndWhy(string text, int column, string message, string why)
    {
        var error = Assert.IsType<MtaStsError.Syntax>(Assert.Single(TlsRptRecord.Parse(text).LeftToSeq()));

        Assert.True((1, column, "tlsrpt-uri", message) == (error.Line, error.Column, error.Rule, error.Message), $"{why}: got {error.Render()}");
    }

    [Fact]
    public void Parse_RawBangInsideUri_SaysItMustBePercentEncoded()
    {
        var error = Assert.IsType<MtaStsError.Syntax>(Assert.Single(TlsRptRecord.Parse("v=TLSRPTv1; rua=https://r.example/a!b").LeftToSeq()));

        Assert.Contains("%21", error.Message, StringComparison.Ordinal);
    }

    /// <summary>Rows: input, the one repair's kind, its 1-based column, its message (T-07: L-01's repairs, citing T-07 and the TLSRPT version).</summary>
    public static TheoryData<string, WarningKind, int, string> LenientRepairs => new()
    {
        { "v=TLSRPTv1;; rua=mailto:a@example.com", WarningKind.EmptyField, 11, "empty field skipped (T-07)" },
        { " v=TLSRPTv1; rua=mailto:a@example.com", WarningKind.RecordLeadingWhitespace, 1, "whitespace before 'v=TLSRPTv1' skipped (T-07)" },
        { "v=TLSRPTv1; rua=mailto:a@example.com ", WarningKind.RecordTrailingWhitespace, 37, "whitespace at the end of the record skipped (T-07)" },
    };

    [Theory]
    [MemberData(nameof(LenientRepairs))]
    public void Parse_Lenient_WarnsAtTheRepairedSpotCitingT07(string text, WarningKind kind, int column, string message)
    {
        var parsed = Assert.Single(TlsRptRecord.ParseWithWarnings(text, ParseMode.Lenient).RightToSeq());

        var warning = Assert.Single(parsed.Warnings);
        Assert.Equal((kind, 1, column, message), (warning.Kind, warning.Line, warning.Column, warning.Message));
        Assert.Equal(["mailto:a@example.com"], parsed.Value.Rua.ToList());
    }

    [Fact]
    public void Parse_LenientError_PointsIntoTheCallersText()
    {
        var error = Assert.IsType<MtaStsError.Syntax>(Assert.Single(TlsRptRecord.Parse("  v=TLSRPTv1; rua=/x", ParseMode.Lenient).LeftToSeq()));

        Assert.Equal((1, 19, "tlsrpt-uri"), (error.Line, error.Column, error.Rule));
    }

    /// <summary>T-04, T-08: which valid URIs are destinations.</summary>
    public static TheoryData<string, ReportingScheme> Schemes => new()
    {
        { "mailto:tlsrpt@example.com", ReportingScheme.Mailto },
        { "MailTo:tlsrpt@example.com", ReportingScheme.Mailto },
        { "mailto:first.last+tag@example.com?subject=x", ReportingScheme.Mailto },
        { "mailto:a%40b@example.com", ReportingScheme.Unsupported }, // decodes to two '@': not one addr-spec
        { "mailto:tlsrpt%40example.com", ReportingScheme.Mailto }, // RFC 6068 §2: decoded once
        { "mailto:reports", ReportingScheme.Unsupported },
        { "mailto:@example.com", ReportingScheme.Unsupported }, // dot-atom: an empty local part
        { "mailto:a@example.com.", ReportingScheme.Unsupported }, // D-06: no trailing dot
        { "mailto:a@192.0.2.1", ReportingScheme.Unsupported }, // D-06: right-most label all digits
        { "mailto:a..b@example.com", ReportingScheme.Unsupported }, // dot-atom: no empty atom
        { "mailto:?to=a@example.com", ReportingScheme.Unsupported }, // T-08: the part before '?' is empty; header fields are ignored
        { "mailto:a%C3%A9@example.com", ReportingScheme.Unsupported }, // a non-ASCII octet is no atext
        { "https://r.example/", ReportingScheme.Https },
        { "https://[2001:db8::1]/", ReportingScheme.Https },
        { "https:///path", ReportingScheme.Unsupported }, // empty host
        { "https:r.example/path", ReportingScheme.Unsupported }, // no authority
        { "http://r.example/", ReportingScheme.Unsupported },
        { "urn:example:tlsrpt", ReportingScheme.Unsupported },
    };

    [Theory]
    [MemberData(nameof(Schemes))]
    public void Destinations_ValidUri_IsClassifiedByT04AndT08(string uri, ReportingScheme scheme)
    {
        var record = Assert.Single(TlsRptRecord.Parse("v=TLSRPTv1; rua=" + uri).RightToSeq());

        Assert.Equal(new ReportingUri(uri, scheme), Assert.Single(record.Destinations));
    }

    /// <summary>Rows: the URIs and extensions handed to <see cref="TlsRptRecord.Create"/>, every problem in order (rendered), why.</summary>
    public static TheoryData<string[]?, Extension[]?, string, string> CreateErrors => new()
    {
        { [], null, "error[missing-field]: the required field 'rua' is missing", "RFC 8460 §3: a record needs a rua" },
        { null, null, "error[missing-field]: the required field 'rua' is missing", "null URIs are no URIs, never an exception" },
        { ["noscheme"], null, "error[invalid-value]: tlsrpt-uri 'noscheme': not an RFC 3986 URI (T-02): expected ':', found end of input (URI)", "T-02: a URI needs scheme \":\"" },
        {
            [], [new Extension("rua", "mailto:a@example.com")],
            "error[missing-field]: the required field 'rua' is missing\nerror[invalid-value]: extension name 'rua': a registered field is not an extension (D-02)",
            "T-05: an extension named rua is not a rua; both problems, in order"
        },
    };

    [Theory]
    [MemberData(nameof(CreateErrors))]
    public void Create_BadParts_SaysEveryProblem(string[]? rua, Extension[]? extensions, string expected, string why)
    {
        var error = Assert.Single(TlsRptRecord.Create(rua!, extensions).LeftToSeq());

        Assert.True(expected == error.Render(), $"{why}: got {error.Render()}");
    }

    [Fact]
    public void Create_GoodParts_KeepsEachUriOnceAndTheExtensionsInOrder()
    {
        var record = Assert.Single(TlsRptRecord.Create(["mailto:a@example.com", "urn:x", "mailto:a@example.com"], [new Extension("b", "2"), new Extension("a", "1")]).RightToSeq());

        Assert.Equal([new ReportingUri("mailto:a@example.com", ReportingScheme.Mailto), new ReportingUri("urn:x", ReportingScheme.Unsupported)], record.Destinations.ToList());
        Assert.Equal("v=TLSRPTv1; rua=mailto:a@example.com,urn:x; b=2; a=1;", record.Render());
    }

    public static TheoryData<string> RecordDifferences => ["destinations", "extensions"];

    [Theory]
    [MemberData(nameof(RecordDifferences))]
    public void Equality_OneComponentDiffers_NotEqual(string component)
    {
        const string Base = "v=TLSRPTv1; rua=mailto:a@example.com; x=1";
        var changed = component switch
        {
            "destinations" => Base.Replace("a@", "b@", StringComparison.Ordinal),
            "extensions" => Base.Replace("x=1", "x=2", StringComparison.Ordinal),
            _ => throw new ArgumentOutOfRangeException(nameof(component)),
        };

        var a = Assert.Single(TlsRptRecord.Parse(Base).RightToSeq());
        var b = Assert.Single(TlsRptRecord.Parse(changed).RightToSeq());

        Assert.False(a.Equals(b));
        Assert.False(a.Equals(null));
        Assert.True(a.Equals(Assert.Single(TlsRptRecord.Parse(Base).RightToSeq())));
    }

    [Fact]
    public void FromTxtRecords_ANullRecord_HasNoStringsAndIsDiscarded()
    {
        var set = new List<IReadOnlyList<string>> { null!, new[] { "v=TLSRPTv1; rua=mailto:a@example.com" } };

        Assert.Equal(["mailto:a@example.com"], Assert.Single(TlsRptRecord.FromTxtRecords(set).RightToSeq()).Rua.ToList());
    }

    [Fact]
    public void FromTxtRecords_Null_IsNone()
    {
        var error = Assert.IsType<MtaStsError.NoTlsRptRecord>(Assert.Single(TlsRptRecord.FromTxtRecords(null).LeftToSeq()));

        Assert.Equal((UnusableRecordReason.None, 0), (error.Reason, error.Candidates));
        Assert.Contains("no TLSRPT", error.Render(), StringComparison.Ordinal);
    }

    [Fact]
    public void FromTxtRecords_Several_CountsThem()
    {
        var set = new List<IReadOnlyList<string>> { new[] { "v=TLSRPTv1; rua=mailto:a@example.com" }, new[] { "v=TLSRPTv1;rua=mailto:b@example.com" }, new[] { "v=spf1 -all" } };

        var error = Assert.IsType<MtaStsError.NoTlsRptRecord>(Assert.Single(TlsRptRecord.FromTxtRecords(set).LeftToSeq()));

        Assert.Equal((UnusableRecordReason.Several, 2), (error.Reason, error.Candidates));
    }

    [Fact]
    public void FromTxtRecords_OneInvalid_CarriesTheCause()
    {
        var error = Assert.IsType<MtaStsError.NoTlsRptRecord>(Assert.Single(TlsRptRecord.FromTxtRecords(new List<IReadOnlyList<string>> { new[] { "v=TLSRPTv1; rua=x" } }).LeftToSeq()));

        Assert.Equal(UnusableRecordReason.Invalid, error.Reason);
        Assert.IsType<MtaStsError.Syntax>(error.Cause.Case);
        Assert.Contains("tlsrpt-uri", error.Render(), StringComparison.Ordinal);
    }

    [Fact]
    public void ReadmeExample_ShowsWhatItsCommentsSay()
    {
        var r = Assert.Single(TlsRptRecord.Parse("v=TLSRPTv1; rua=mailto:tlsrpt@example.com,https://r.example.com/v1").RightToSeq());
        var bang = Assert.IsType<MtaStsError.Syntax>(Assert.Single(TlsRptRecord.Parse("v=TLSRPTv1; rua=mailto:a!b@example.com").LeftToSeq()));
        var lenient = Assert.Single(TlsRptRecord.ParseWithWarnings(" v=TLSRPTv1;; rua=mailto:a@example.com", ParseMode.Lenient).RightToSeq());
        var set = Assert.Single(TlsRptRecord.FromTxtRecords(new List<IReadOnlyList<string>> { new[] { "v=spf1 -all" }, new[] { "v=TLSRPTv1; rua=mailto:a@", "example.com" } }).RightToSeq());

        Assert.Equal(["mailto:tlsrpt@example.com", "https://r.example.com/v1"], r.Rua.ToList());
        Assert.Equal(r.Rua, r.Usable);
        Assert.StartsWith("1:25: error[tlsrpt-uri]: '!' must be percent-encoded as %21", bang.Render(), StringComparison.Ordinal);
        Assert.Equal(2, lenient.Warnings.Count);
        Assert.Equal(["mailto:a@example.com"], set.Rua.ToList());
    }
}
