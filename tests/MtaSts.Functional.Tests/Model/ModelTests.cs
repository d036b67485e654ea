namespace MtaSts.Functional.Tests.Model;

/// <summary>Constrained values: every constructor checks against the same grammar the parser uses.</summary>
public class ModelTests
{
    [Theory]
    [InlineData("20160831085700Z", true)]
    [InlineData("a", true)]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", true)]   // 32: the upper bound
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", false)] // 33
    [InlineData("", false)]
    [InlineData("abc-1", false)]
    [InlineData(null, false)]
    public void PolicyIdCreate_FollowsStsIdValue(string? id, bool valid)
    {
        var result = PolicyId.Create(id);

        Assert.Equal(valid, result.IsRight);
        result.IfLeft(e => Assert.IsType<MtaStsError.InvalidValue>(e));
    }

    [Theory]
    [InlineData("Mail.Example.COM", "mail.example.com")] // F-04: stored lower-case
    [InlineData("localhost", "localhost")]
    [InlineData("xn--bcher-kva.example", "xn--bcher-kva.example")]
    public void DomainNameParse_Valid_IsLowerCased(string text, string expected)
    {
        Assert.Equal(expected, Assert.Single(DomainName.Parse(text).RightToSeq()).Value);
    }

    [Theory]
    [InlineData("mail.example.com.")] // D-06: no trailing dot
    [InlineData("bücher.example")]    // D-06: A-labels only
    [InlineData("192.0.2.1")]         // D-06: right-most label all digits
    [InlineData("-a.example")]
    [InlineData("")]
    [InlineData(null)]
    public void DomainNameParse_Invalid_IsATypedError(string? text)
    {
        var error = Assert.Single(DomainName.Parse(text).LeftToSeq());

        Assert.IsType<MtaStsError.InvalidValue>(error);
    }

    [Fact]
    public void MxPatternParse_Wildcard_KeepsTheParentLowerCased()
    {
        var pattern = Assert.Single(MxPattern.Parse("*.EXAMPLE.net").RightToSeq());

        var wildcard = Assert.IsType<MxPattern.Wildcard>(pattern);
        Assert.Equal("example.net", wildcard.Parent.Value);
        Assert.Equal("*.example.net", pattern.Render());
    }

    [Theory]
    [InlineData("*")]
    [InlineData("*.*.example.com")]
    [InlineData("mail.*.example.com")]
    [InlineData("*example.com")]
    public void MxPatternParse_BadWildcard_IsRejected(string text)
    {
        Assert.True(MxPattern.Parse(text).IsLeft); // D-06
    }

    [Theory]
    [InlineData(0, true)]
    [InlineData(31_557_600, true)]
    [InlineData(31_557_601, false)]
    [InlineData(-1, false)]
    public void MaxAgeCreate_AcceptsZeroToTheRfcMaximum(long seconds, bool valid)
    {
        Assert.Equal(valid, MaxAge.Create(seconds).IsRight);
    }

    [Fact]
    public void StsRecordCreate_RegisteredOrMalformedExtensions_AreAllReported()
    {
        var id = Assert.Single(PolicyId.Create("abc").RightToSeq());

        var error = Assert.Single(StsRecord.Create(id, [new Extension("id", "x"), new Extension("ok", "a b"), new Extension("_x", "y")]).LeftToSeq());

        Assert.Equal(3, error.All.Count);
        Assert.All(error.All, static e => Assert.IsType<MtaStsError.InvalidValue>(e));
    }

    [Fact]
    public void PolicyCreate_EnforceWithoutMx_IsMxRequired()
    {
        var error = Assert.Single(Policy.Create(PolicyMode.Enforce, [], Age(86400)).LeftToSeq());

        Assert.Equal(new MtaStsError.MxRequired(PolicyMode.Enforce), error); // D-07
    }

    [Fact]
    public void PolicyCreate_NoneWithoutMx_IsValid()
    {
        Assert.True(Policy.Create(PolicyMode.None, null, Age(0)).IsRight); // D-07
    }

    [Fact]
    public void PolicyCreate_DuplicatePatterns_AreKeptOnce()
    {
        var mx = Assert.Single(MxPattern.Parse("MAIL.example.com").RightToSeq());
        var same = Assert.Single(MxPattern.Parse("mail.example.com").RightToSeq());

        var policy = Assert.Single(Policy.Create(PolicyMode.Enforce, [mx, same], Age(60)).RightToSeq());

        Assert.Equal([mx], policy.Mx.ToList()); // D-03, F-04
    }

    [Theory]
    [InlineData("mode", "x")]       // D-02: a registered field is not an extension
    [InlineData("max_age", "1")]
    [InlineData("foo", " bar")]     // leading space
    [InlineData("foo", "a\tb")]     // HTAB is not allowed inside
    [InlineData("foo", "")]
    public void PolicyCreate_BadExtension_IsRejected(string name, string value)
    {
        var mx = Assert.Single(MxPattern.Parse("mail.example.com").RightToSeq());

        Assert.True(Policy.Create(PolicyMode.Enforce, [mx], Age(60), [new Extension(name, value)]).IsLeft);
    }

    [Fact]
    public void Equality_IsStructural()
    {
        var a = Policy.Parse("version: STSv1\nmode: none\nmax_age: 5\nx: 1\n");
        var b = Policy.Parse("x: 1\r\nmax_age:5\r\nmode:none\r\nversion:STSv1");

        Assert.Equal(a, b);
    }

    private static MaxAge Age(long seconds) => Assert.Single(MaxAge.Create(seconds).RightToSeq());
}
