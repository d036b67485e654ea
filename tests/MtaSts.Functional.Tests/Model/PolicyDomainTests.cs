namespace MtaSts.Functional.Tests.Model;

/// <summary><see cref="PolicyDomain"/>: the policy domain normalised once, from the first boundary inward (STYLE rule 12).</summary>
public class PolicyDomainTests
{
    public static TheoryData<string?, string?, string> Rows => new()
    {
        // input, normalised value (null: refused), why
        { "example.com", "example.com", "already normalised" },
        { "Example.COM", "example.com", "M-07: lower-cased" },
        { "example.com.", "example.com", "M-07: one trailing dot removed" },
        { "example.com..", null, "only one trailing dot" },
        { "Bücher.example", "xn--bcher-kva.example", "F-07: IDNA to the A-label" },
        { "XN--BCHER-KVA.EXAMPLE", "xn--bcher-kva.example", "an A-label in upper case" },
        { "[192.0.2.1]", null, "§3.4: an address literal" },
        { "192.0.2.1", null, "an IPv4 address" },
        { "2001:db8::1", null, "an IPv6 address" },
        { "", null, "empty" },
        { null, null, "null is invalid input, never an exception" },
        { "exa_mple.com", null, "not LDH" },
        { "-example.com", null, "a label starting with '-'" },
    };

    [Theory]
    [MemberData(nameof(Rows))]
    public void Parse_Normalises_OrRefuses(string? input, string? expected, string why)
    {
        var parsed = PolicyDomain.Parse(input);

        Assert.True(expected is null ? parsed.IsLeft : parsed.Map(static d => d.Value) == expected, why);
    }

    [Fact]
    public void Parse_AddressLiteral_IsTheAddressLiteralError() =>
        Assert.IsType<MtaStsError.AddressLiteral>(Assert.Single(PolicyDomain.Parse("[IPv6:2001:db8::1]").LeftToSeq()));

    [Fact]
    public void Names_AreDerivedFromTheNormalisedValue()
    {
        var domain = Assert.Single(PolicyDomain.Parse("Bücher.Example.").RightToSeq());

        Assert.Equal(("mta-sts.xn--bcher-kva.example", "_mta-sts.xn--bcher-kva.example"), (domain.PolicyHost, domain.TxtName));
        Assert.Equal("https://mta-sts.xn--bcher-kva.example/.well-known/mta-sts.txt", domain.PolicyUrl.AbsoluteUri);
        Assert.Equal(domain, Assert.Single(PolicyDomain.Parse("xn--bcher-kva.example").RightToSeq()));
    }

    [Fact]
    public void Parse_BothLimits_TheTxtNameBindsFirst()
    {
        var name244 = string.Join('.', Enumerable.Repeat(new string('a', 60), 4)) + "b";

        Assert.Equal(253, Assert.Single(PolicyDomain.Parse(name244).RightToSeq()).TxtName.Length);
        Assert.Equal(new MtaStsError.InvalidValue("policy domain", name244 + "c", "the TXT name '_mta-sts.<domain>' would be longer than 253 octets"), Error(name244 + "c"));
        Assert.Equal(new MtaStsError.InvalidValue("policy domain", name244 + "cd", "the policy host 'mta-sts.<domain>' would be longer than 253 octets"), Error(name244 + "cd"));
    }

    [Fact]
    public void Parse_ANormalisedName_KeepsTheGivenString()
    {
        var text = "mail.example.com";

        Assert.Same(text, Assert.Single(PolicyDomain.Parse(text).RightToSeq()).Value);
    }

    private static MtaStsError Error(string text) => Assert.Single(PolicyDomain.Parse(text).LeftToSeq());
}
