using MtaSts.Functional.Syntax;

namespace MtaSts.Functional.Tests.TlsRpt;

/// <summary>RFC 3986 Appendix A <c>URI</c> (what RFC 8460 §3 imports as <c>tlsrpt-uri</c>) on the RFC's own examples and on broken ones.</summary>
public class UriGrammarTests
{
    /// <summary>RFC 3986 §1.1.2, the example URIs.</summary>
    public static TheoryData<string> Section112 => new()
    {
        "ftp://ftp.is.co.za/rfc/rfc1808.txt",
        "http://www.ietf.org/rfc/rfc2396.txt",
        "ldap://[2001:db8::7]/c=GB?objectClass?one",
        "mailto:John.Doe@example.com",
        "news:comp.infosystems.www.servers.unix",
        "tel:+1-816-555-1212",
        "telnet://192.0.2.16:80/",
        "urn:oasis:names:specification:docbook:dtd:xml:4.1.2",
        "foo://example.com:8042/over/there?name=ferret#nose", // §3
        "urn:example:animal:ferret:nose", // §3
    };

    /// <summary>RFC 3986 §5.4.1 and §5.4.2: the base URI and every resolved target (all of them URIs).</summary>
    public static TheoryData<string> Section54 => new()
    {
        "http://a/b/c/d;p?q",
        "g:h", "http://a/b/c/g", "http://a/b/c/g/", "http://a/g", "http://g", "http://a/b/c/d;p?y", "http://a/b/c/g?y",
        "http://a/b/c/d;p?q#s", "http://a/b/c/g#s", "http://a/b/c/g?y#s", "http://a/b/c/;x", "http://a/b/c/g;x", "http://a/b/c/g;x?y#s",
        "http://a/b/c/", "http://a/b/", "http://a/b/g", "http://a/",
        "http://a/b/c/g.", "http://a/b/c/.g", "http://a/b/c/g..", "http://a/b/c/..g", "http://a/b/c/g/h", "http://a/b/c/h",
        "http://a/b/c/g;x=1/y", "http://a/b/c/y", "http://a/b/c/g?y/./x", "http://a/b/c/g?y/../x", "http://a/b/c/g#s/./x",
        "http://a/b/c/g#s/../x", "http:g",
    };

    /// <summary>Host forms of §3.2.2.</summary>
    public static TheoryData<string> Hosts => new()
    {
        "http://[::]/", "http://[::1]/", "http://[1:2:3:4:5:6:7:8]/", "http://[1:2:3:4:5:6:7::]/", "http://[::2:3:4:5:6:7:8]/",
        "http://[1::8]/", "http://[::ffff:192.0.2.1]/", "http://[1:2:3:4:5:6:1.2.3.4]/", "http://[v7.fe80::a+en1]/",
        "http://1.2.3.4/", "http://1.2.3.256/", "http://user:pw@host:8080/p", "http://%41b.example/", "http://host:/", "s:",
    };

    [Theory]
    [MemberData(nameof(Section112))]
    [MemberData(nameof(Section54))]
    [MemberData(nameof(Hosts))]
    public void Uri_RfcExample_IsAUri(string uri)
    {
        Assert.True(UriGrammar.IsUri(uri), uri);
    }

    /// <summary>Rows: text, why it is not a URI.</summary>
    public static TheoryData<string, string> Broken => new()
    {
        { "", "no scheme" },
        { "g", "a relative reference (§5.4.1 input), not a URI" },
        { "./g", "relative" },
        { "/g", "relative" },
        { "//g", "network-path reference" },
        { "?y", "relative" },
        { "#s", "relative" },
        { ":x", "scheme is 1*" },
        { "1http://x", "scheme starts with ALPHA" },
        { "ht tp://x", "SP is no URI character" },
        { "http://a/%zz", "pct-encoded needs HEXDIG" },
        { "http://a/%4", "pct-encoded needs two HEXDIG" },
        { "http://a/<b>", "'<' is no URI character" },
        { "http://[::1/", "IP-literal needs ']'" },
        { "http://[1::2::3]/", "at most one '::'" },
        { "http://[1:2:3:4:5:6:7:8:9]/", "nine pieces" },
        { "http://[1:2:3:4:5:6:7]/", "seven pieces without '::'" },
        { "http://[1:2:3:4:5:6:7:8::]/", "eight pieces and '::'" },
        { "http://[::1:2:3:4:5:6:7:8]/", "eight pieces after a leading '::'" },
        { "http://[12345::]/", "h16 is 1*4HEXDIG" },
        { "http://[::1.2.3.256]/", "dec-octet is at most 255" },
        { "http://[1.2.3.4::]/", "ls32 only last" },
        { "http://[v1]/", "IPvFuture needs '.'" },
        { "http://[]/", "an empty IP-literal" },
        { "http://a:8x/", "port is *DIGIT" },
        { "http://a#b#c", "'#' once" },
    };

    [Theory]
    [MemberData(nameof(Broken))]
    public void Uri_Broken_IsNotAUri(string text, string why)
    {
        Assert.False(UriGrammar.IsUri(text), why);
    }

    [Theory]
    [InlineData("https://user@host.example:443/p?q#f", "https", "host.example")]
    [InlineData("https://[2001:db8::1]/", "https", "[2001:db8::1]")]
    [InlineData("mailto:a@example.com", "mailto", null)]
    [InlineData("file:///etc/hosts", "file", "")]
    public void Uri_Parts_AreTheSchemeAndTheAuthoritysHost(string text, string scheme, string? host)
    {
        var parts = Pidgin.ParserExtensions.ParseOrThrow(UriGrammar.WholeUri, text);

        Assert.Equal(new UriParts(scheme, host), parts);
    }
}
