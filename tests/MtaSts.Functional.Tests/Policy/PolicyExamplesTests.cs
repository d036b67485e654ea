namespace MtaSts.Functional.Tests.PolicyTests;

/// <summary>RFC 8461 §3.2 and Appendix A: the RFC's own example policies, then canonical printing.</summary>
public class PolicyExamplesTests
{
    private const string Section32Crlf =
        "version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmx: *.example.net\r\nmx: backupmx.example.com\r\nmax_age: 604800\r\n";

    [Theory]
    [InlineData(Section32Crlf)]
    [InlineData("version: STSv1\nmode: enforce\nmx: mail.example.com\nmx: *.example.net\nmx: backupmx.example.com\nmax_age: 604800\n")]
    public void Parse_Rfc8461Section32Example_InCrlfAndLf_GivesTheSamePolicy(string text)
    {
        var policy = Assert.Single(Policy.Parse(text).RightToSeq());

        Assert.Equal("STSv1", policy.Version);
        Assert.Equal(PolicyMode.Enforce, policy.Mode);
        Assert.Equal(
            [new MxPattern.Exact(Host("mail.example.com")), new MxPattern.Wildcard(Host("example.net")), new MxPattern.Exact(Host("backupmx.example.com"))],
            policy.Mx.ToList());
        Assert.Equal(604800, policy.MaxAge.Seconds);
        Assert.True(policy.Extensions.IsEmpty);
    }

    [Fact]
    public void Render_Rfc8461Section32Example_IsTheRfcTextInCrlf()
    {
        var policy = Assert.Single(Policy.Parse(Section32Crlf.Replace("\r\n", "\n")).RightToSeq());

        Assert.Equal(Section32Crlf, policy.Render());
        Assert.Equal(Section32Crlf, policy.ToString());
    }

    [Fact]
    public void Parse_Rfc8461AppendixAExample_IsTesting()
    {
        var policy = Assert.Single(Policy.Parse(
            "version: STSv1\r\nmode: testing\r\nmx: mx1.example.com\r\nmx: mx2.example.com\r\nmx: mx.backup-example.com\r\nmax_age: 1296000\r\n").RightToSeq());

        Assert.Equal(PolicyMode.Testing, policy.Mode);
        Assert.Equal(["mx1.example.com", "mx2.example.com", "mx.backup-example.com"], policy.Mx.Map(static m => m.Render()).ToList());
        Assert.Equal(1296000, policy.MaxAge.Seconds);
    }

    [Fact]
    public void Render_PutsFieldsInCanonicalOrderWithExtensionsLast()
    {
        var policy = Assert.Single(Policy.Parse("foo: bar  baz\nmax_age:86400\nmx:MX.Example.ORG \nmode:testing\nversion:STSv1").RightToSeq());

        Assert.Equal("version: STSv1\r\nmode: testing\r\nmx: mx.example.org\r\nmax_age: 86400\r\nfoo: bar  baz\r\n", policy.Render());
    }

    [Fact]
    public void Parse_MissingSeveralFields_ReportsEveryViolation()
    {
        // D-07: version, mode and max_age are required; the semantic pass gathers all of them.
        var error = Assert.Single(Policy.Parse("mx: mail.example.com\n").LeftToSeq());

        Assert.Equal(
            [new MtaStsError.MissingField("version"), new MtaStsError.MissingField("mode"), new MtaStsError.MissingField("max_age")],
            error.All.ToList());
    }

    [Fact]
    public void Parse_StrictOverClampedMaxAge_KeepsTheClampAndTheWarningInTheModeOverload()
    {
        // D-04, F-03: clamped in both modes, with a warning at the digits.
        var text = "version: STSv1\nmode: enforce\nmx: a.example\nmax_age: 99999999\n";

        var parsed = Assert.Single(Policy.ParseWithWarnings(text, ParseMode.Strict).RightToSeq());

        Assert.Equal(MaxAge.MaximumSeconds, parsed.Value.MaxAge.Seconds);
        var warning = Assert.Single(parsed.Warnings);
        Assert.Equal((WarningKind.MaxAgeClamped, 4, 10), (warning.Kind, warning.Line, warning.Column));
    }

    private static DomainName Host(string name) => Assert.Single(DomainName.Parse(name).RightToSeq());
}
