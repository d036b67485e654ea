using LanguageExt;

namespace MtaSts.Functional.Tests.ModelTests;

/// <summary>
/// What each constructor says about a bad value, in full (checked by hand: the right value, column,
/// production and reason), plus the edges the grammar tables do not reach: null inputs, the D-06
/// limit arithmetic near 253 octets, the UTF8-2/UTF8-3 boundaries and structural inequality.
/// </summary>
public class ConstructorErrorTests
{
    public static TheoryData<string, string> Messages => new()
    {
        { "domain-empty-label", "error[invalid-value]: domain name 'a..example': at column 3: expected sub-domain, found '.example' (Domain)" },
        { "domain-null", "error[invalid-value]: domain name '': at column 1: expected Domain, found end of input (Domain)" },
        { "id-hyphen", "error[invalid-value]: id 'a-b': at column 2: expected end of input, found '-b' (sts-id)" },
        { "id-null", "error[invalid-value]: id '': at column 1: expected ALPHA / DIGIT, found end of input (ALPHA / DIGIT)" },
        { "mx-double-wildcard", "error[invalid-value]: mx pattern '*.*.example': at column 3: expected Domain, found '*.example' (sts-policy-mx-value)" },
        { "max-age-negative", "error[invalid-value]: max_age '-1': max_age is 0 to 31557600 seconds (RFC 8461 §3.2)" },
        { "max-age-over", "error[invalid-value]: max_age '31557601': max_age is 0 to 31557600 seconds (RFC 8461 §3.2)" },
        { "policy-registered-ext", "error[invalid-value]: extension name 'mx': a registered field is not an extension (D-02)" },
        { "policy-version-ext", "error[invalid-value]: extension name 'version': a registered field is not an extension (D-02)" },
        { "policy-bad-ext-name", "error[invalid-value]: extension name '-x': at column 1: expected sts-policy-ext-name, found '-x' (sts-policy-ext-name)" },
        { "policy-bad-ext-value", "error[invalid-value]: extension value 'a\uFFFD': U+0001 cannot appear here: the value ends before it" },
        { "record-registered-ext", "error[invalid-value]: extension name 'v': a registered field is not an extension (D-02)" },
        { "record-bad-ext-name", "error[invalid-value]: extension name '_x': at column 1: expected sts-ext-name, found '_x' (sts-ext-name)" },
        { "record-bad-ext-value", "error[invalid-value]: extension value 'a;b': at column 2: expected end of input, found ';b' (sts-ext-value)" },
        { "domain-trailing-junk", "error[invalid-value]: domain name 'a.example!': at column 10: expected end of input, found '!' (Domain)" },
        { "mx-trailing-junk", "error[invalid-value]: mx pattern 'a.example!': '!' cannot appear here: the value ends before it" },
        { "mx-star-only", "error[invalid-value]: mx pattern '*': at column 2: expected '*.', found end of input (sts-policy-mx-value)" },
        { "policy-ext-name-junk", "error[invalid-value]: extension name 'x!': at column 2: expected end of input, found '!' (sts-policy-ext-name)" },
        { "policy-ext-value-tab", "error[invalid-value]: extension value 'a\tb': at column 2: expected end of input, found '\\tb' (sts-policy-ext-value)" },
        // Found by mutation testing: "a " passed the value grammar (which trims a line's trailing WSP) and rendered as a different value.
        { "policy-ext-value-trailing-space", "error[invalid-value]: extension value 'a ': a value cannot end with a space (RFC 8461 §3.2 sts-policy-ext-value)" },
        { "record-ext-name-junk", "error[invalid-value]: extension name 'x!': at column 2: expected end of input, found '!' (sts-ext-name)" },
    };

    [Theory]
    [MemberData(nameof(Messages))]
    public void Constructor_BadValue_SaysExactlyWhat(string key, string message) =>
        Assert.Equal(message, ConstructorCases.Cases[key]()?.Render());

    [Fact]
    public void EveryCase_IsPinned() =>
        Assert.Equal(ConstructorCases.Cases.Keys.Order(StringComparer.Ordinal), Messages.Select(static row => (string)row[0]).Order(StringComparer.Ordinal));

    [Fact]
    public void NullInputs_AreValuesOrTypedErrors_NeverExceptions()
    {
        var id = PolicyId.Create("a").IfLeft(static e => throw new InvalidOperationException(e.Render()));
        var day = MaxAge.Create(86400).IfLeft(static e => throw new InvalidOperationException(e.Render()));

        Assert.True(Policy.Create(PolicyMode.None, null, day, null).IsRight);
        Assert.True(StsRecord.Create(id, null).IsRight);
        Assert.Equal(UnusableRecordReason.None, Assert.IsType<MtaStsError.NoUsableRecord>(StsRecord.FromTxtRecords(null).Match(static _ => null!, static e => e)).Reason);
        foreach (var error in new[] { StsRecord.Parse(null).Case, StsRecord.Parse(null, ParseMode.Lenient).Case, Policy.Parse(null, ParseMode.Lenient).Case, Policy.Parse(null).Case })
        {
            var syntax = Assert.IsType<MtaStsError.Syntax>(error);
            Assert.Equal((1, 1, "end of input", string.Empty), (syntax.Line, syntax.Column, syntax.Found, syntax.SourceLine));
        }
    }

    [Fact]
    public void StsRecordParse_StrictMode_DoesNotRepair()
    {
        Assert.True(StsRecord.Parse("  v=STSv1; id=a;", ParseMode.Strict).IsLeft);
        Assert.True(StsRecord.Parse("  v=STSv1; id=a;", ParseMode.Lenient).IsRight);
    }

    public static TheoryData<string, string> Limits => new()
    {
        // A label that starts at offset 190 and is too long: its 64th octet is at 253, still inside the name limit.
        { "label-at-190", "a label is at most 63 octets (D-06) @253" },
        // A too-long label that starts at 200: its 64th octet would be past 253, so the name limit breaks first.
        { "label-at-200", "a domain name is at most 253 octets; this one has 303 (D-06) @253" },
        // A too-long second label in a name over 253 octets: the label, which comes first in reading order.
        { "second-label-too-long", "a label is at most 63 octets (D-06) @65" },
        // "a-" is a Let-dig and an Ldh-str of just "-": the Ldh-str must not end with '-'.
        { "one-letter-then-hyphen", "Ldh-str must end with a letter or digit, not '-' @1" },
    };

    private static string LimitInput(string key) => key switch
    {
        "label-at-190" => new string('a', 63) + "." + new string('a', 62) + "." + new string('a', 62) + "." + new string('b', 64) + ".example",
        "label-at-200" => new string('a', 62) + "." + new string('a', 62) + "." + new string('a', 62) + "." + new string('a', 10) + "." + new string('b', 100) + ".ex",
        "second-label-too-long" => "a." + new string('b', 64) + "." + string.Join(".", Enumerable.Repeat(new string('c', 60), 4)),
        "one-letter-then-hyphen" => "a-.example",
        _ => throw new ArgumentOutOfRangeException(nameof(key)),
    };

    [Theory]
    [MemberData(nameof(Limits))]
    public void HostName_D06Limits_AreReportedWhereTheyBreakFirst(string key, string expected)
    {
        var input = LimitInput(key);

        var error = Assert.IsType<MtaStsError.Syntax>(Policy.Parse("version: STSv1\nmode: enforce\nmx: " + input + "\nmax_age: 1\n").Match(static _ => null!, static e => e));

        Assert.Equal(expected, $"{error.Message} @{error.Column - "mx: ".Length - 1}");
    }

    [Theory]
    [InlineData("\u007F", false)]
    [InlineData("\u0080", true)]
    [InlineData("\u07FF", true)]
    [InlineData("\u0800", true)]
    [InlineData("\uFFFD", true)]
    public void PolicyExtensionValue_Utf8Boundaries(string character, bool valid) =>
        Assert.Equal(valid, Policy.Parse($"version: STSv1\nmode: none\nmax_age: 1\nx: a{character}b\n").IsRight);

    public static TheoryData<string> Differences => ["mode", "mx", "max_age", "extensions"];

    [Theory]
    [MemberData(nameof(Differences))]
    public void PolicyEquality_OneComponentDiffers_NotEqual(string component)
    {
        const string Base = "version: STSv1\nmode: enforce\nmx: a.example\nmax_age: 1\nx: 1\n";
        var changed = component switch
        {
            "mode" => Base.Replace("enforce", "testing", StringComparison.Ordinal),
            "mx" => Base.Replace("a.example", "b.example", StringComparison.Ordinal),
            "max_age" => Base.Replace("max_age: 1", "max_age: 2", StringComparison.Ordinal),
            "extensions" => Base.Replace("x: 1", "x: 2", StringComparison.Ordinal),
            _ => throw new ArgumentOutOfRangeException(nameof(component)),
        };

        var a = Policy.Parse(Base).IfLeft(static e => throw new InvalidOperationException(e.Render()));
        var b = Policy.Parse(changed).IfLeft(static e => throw new InvalidOperationException(e.Render()));

        Assert.NotEqual(a, b);
        Assert.False(a.Equals(b));
        Assert.True(a.Equals(Policy.Parse(Base).IfLeft(static e => throw new InvalidOperationException(e.Render()))));
    }
}
