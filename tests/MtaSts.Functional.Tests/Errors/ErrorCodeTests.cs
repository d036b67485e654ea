using LanguageExt;

namespace MtaSts.Functional.Tests.Errors;

/// <summary>Every error case has a stable machine code, and its rendering shows it (tools key on the code, never on the text).</summary>
public class ErrorCodeTests
{
    public static TheoryData<string, string> Cases => new()
    {
        { "syntax", "version: STSv1\nmode: Enforce\n" },
        { "missing-field", "version: STSv1\nmode: none\n" },
        { "mx-required", "version: STSv1\nmode: enforce\nmax_age: 1\n" },
        { "too-large", new string('x', Policy.MaxBytes + 1) },
        { "several", "mode: enforce\n" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Code_OfAParsedPolicyError_IsItsCase(string code, string text)
    {
        var error = Assert.IsAssignableFrom<MtaStsError>(Policy.Parse(text).Case);

        Assert.Equal(code, error.Code);
    }

    [Fact]
    public void Code_OfEveryCase_IsStable_AndRenderedInBracketsOutsideSyntax()
    {
        MtaStsError[] errors =
        [
            new MtaStsError.MissingField("id"),
            new MtaStsError.MxRequired(PolicyMode.Enforce),
            new MtaStsError.TooLarge(2, 1),
            new MtaStsError.InvalidValue("id", "x-y", "bad"),
            new MtaStsError.AddressLiteral("[192.0.2.1]"),
            new MtaStsError.NoUsableRecord(UnusableRecordReason.None, 0, Option<MtaStsError>.None),
        ];

        Assert.Equal(["missing-field", "mx-required", "too-large", "invalid-value", "address-literal", "no-usable-record"], errors.Select(static e => e.Code));
        Assert.All(errors, static e => Assert.StartsWith($"error[{e.Code}]: ", e.Render(), StringComparison.Ordinal));
    }
}
