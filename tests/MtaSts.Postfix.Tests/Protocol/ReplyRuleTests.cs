using LanguageExt;
using MtaSts.Functional.Lifecycle;
using MtaSts.Postfix.Dane;
using MtaSts.Postfix.Protocol;

namespace MtaSts.Postfix.Tests.Protocol;

/// <summary>Keys, replies and the DANE rule as pure tables.</summary>
public class ReplyRuleTests
{
    /// <summary>RFC 8461 §3.2's example policy, as fetched.</summary>
    internal const string Rfc8461Example = "version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmx: *.example.net\r\nmx: backupmx.example.com\r\nmax_age: 604800\r\n";

    private static readonly ReplyOptions Default = new(StrictTesting: false, ServerName: true);

    internal static CachedPolicy Cached(string text)
    {
        var policy = Policy.Parse(text).Match(Right: static p => p, Left: static e => throw new InvalidOperationException(e.Render()));
        var now = new DateTimeOffset(2026, 6, 1, 0, 0, 0, TimeSpan.Zero);
        return new CachedPolicy(PolicyId.Create("v1").Match(Right: static i => i, Left: static e => throw new InvalidOperationException(e.Render())), policy, text, now, now.AddDays(1));
    }

    public static TheoryData<string, bool, string?, string> Keys => new()
    {
        { "example.com", false, "example.com", "a recipient domain" },
        { "  Example.COM.  ", false, "example.com", "trimmed, lower-cased, one trailing dot dropped" },
        { "bücher.example", false, "xn--bcher-kva.example", "UTF-8 IDN key → A-label" },
        { ".example.com", false, null, "Postfix's parent-domain retry" },
        { "192.0.2.1", false, null, "an IPv4 literal" },
        { "2001:db8::1", false, null, "an IPv6 literal" },
        { "[192.0.2.1]", true, null, "a bracketed IP literal, even with the bracket option" },
        { "[mail.example.com]", false, null, "a bracketed next hop from the transport table" },
        { "[mail.example.com]:587", false, null, "a bracketed next hop with a port" },
        { "[mail.example.com]", true, "mail.example.com", "the bracket option applies the inner domain's policy" },
        { "[mail.example.com]:587", true, "mail.example.com", "…also with a port" },
        { "[mail.example.com]x", true, null, "text after the bracket that is not :port" },
        { "example.com:25", false, null, "host:port from the transport table" },
        { "example.com:25", true, null, "host:port is not bracketed: the option does not apply" },
        { "", false, null, "empty key" },
        { "exa mple.com", false, null, "not a domain" },
        { "example..com", false, null, "empty label" },
    };

    [Theory]
    [MemberData(nameof(Keys))]
    public void Classify_Key_DomainOrNotApplicable(string key, bool applyBracketed, string? domain, string reason)
    {
        var classified = NextHopKey.Classify(key, applyBracketed);
        Assert.True(domain is null ? classified is NextHopKey.NotApplicable : classified is NextHopKey.Domain d && d.Name.Value == domain, $"{reason}: got {classified}");
    }

    [Fact]
    public void ForPolicy_Rfc8461ExamplePlainMap_WildcardWrittenAsDotSuffix() =>
        Assert.Equal(
            "OK secure match=mail.example.com:.example.net:backupmx.example.com servername=hostname",
            PolicyReplies.ForPolicy("example.com", Prelude.Some(Cached(Rfc8461Example)), MapKind.Plain, Default).Render());

    [Fact]
    public void ForPolicy_Rfc8461ExampleTlsrptMap_PatternsKeptAndPolicyLinesInFileOrder() =>
        Assert.Equal(
            "OK secure match=mail.example.com:.example.net:backupmx.example.com servername=hostname"
            + " policy_type=sts policy_domain=example.com"
            + " mx_host_pattern=mail.example.com mx_host_pattern=*.example.net mx_host_pattern=backupmx.example.com"
            + " { policy_string = version: STSv1 } { policy_string = mode: enforce } { policy_string = mx: mail.example.com }"
            + " { policy_string = mx: *.example.net } { policy_string = mx: backupmx.example.com } { policy_string = max_age: 604800 }",
            PolicyReplies.ForPolicy("example.com", Prelude.Some(Cached(Rfc8461Example)), MapKind.Tlsrpt, Default).Render());

    [Fact]
    public void ForPolicy_ServerNameOff_NoServernameAttribute() =>
        Assert.Equal(
            "OK secure match=mail.example.com:.example.net:backupmx.example.com",
            PolicyReplies.ForPolicy("example.com", Prelude.Some(Cached(Rfc8461Example)), MapKind.Plain, Default with { ServerName = false }).Render());

    [Theory]
    [InlineData("testing", false, false, false)]
    [InlineData("testing", false, true, false)]
    [InlineData("testing", true, false, true)]
    [InlineData("testing", true, true, true)]
    [InlineData("enforce", false, true, true)]
    public void ForPolicy_Mode_SecureOnlyForEnforceOrStrictTesting(string mode, bool strict, bool tlsrpt, bool secure)
    {
        var kind = tlsrpt ? MapKind.Tlsrpt : MapKind.Plain;
        var reply = PolicyReplies.ForPolicy("example.com", Prelude.Some(Cached(Rfc8461Example.Replace("enforce", mode, StringComparison.Ordinal))), kind, Default with { StrictTesting = strict }).Render();
        Assert.Equal(secure, reply.StartsWith("OK secure match=", StringComparison.Ordinal));
        Assert.Equal(secure ? reply : "NOTFOUND ", reply);
        Assert.Equal(secure && kind == MapKind.Tlsrpt, reply.Contains("policy_type=sts", StringComparison.Ordinal));
    }

    [Fact]
    public void ForPolicy_NoneModeOrNoPolicy_NotFoundWithoutTlsrptAttributes()
    {
        var none = Cached("version: STSv1\r\nmode: none\r\nmax_age: 86400\r\n");
        Assert.Equal("NOTFOUND ", PolicyReplies.ForPolicy("example.com", Prelude.Some(none), MapKind.Tlsrpt, Default with { StrictTesting = true }).Render());
        Assert.Equal("NOTFOUND ", PolicyReplies.ForPolicy("example.com", Option<CachedPolicy>.None, MapKind.Tlsrpt, Default).Render());
    }

    [Fact]
    public void ForPolicy_NeverPolicyTtl() =>
        Assert.DoesNotContain("policy_ttl", PolicyReplies.ForPolicy("example.com", Prelude.Some(Cached(Rfc8461Example)), MapKind.Tlsrpt, Default).Render(), StringComparison.Ordinal);

    [Fact]
    public void ToBytes_ReplyOverPostfixLimit_TempReplyTooLarge()
    {
        Assert.Equal("TEMP reply too large", System.Text.Encoding.UTF8.GetString(new SocketmapReply.Ok(new string('a', Netstring.MaxReplyBytes - 2)).ToBytes()));
        Assert.Equal(Netstring.MaxReplyBytes, new SocketmapReply.Ok(new string('a', Netstring.MaxReplyBytes - 3)).ToBytes().Length);
    }

    private static DaneAnswer Mx(bool ad, params string[] hosts) => new DaneAnswer.Answer(ad, hosts.ToSeq());

    private static DaneAnswer Tlsa(bool ad, int records) => new DaneAnswer.Answer(ad, Enumerable.Repeat("3 1 1 ab", records).ToSeq());

    public static TheoryData<string, string> DaneCases => new()
    {
        { "validated MX, every host validated TLSA", nameof(DaneStatus.EveryHost) },
        { "validated MX, one of two hosts", nameof(DaneStatus.SomeHosts) },
        { "MX without the AD bit", nameof(DaneStatus.NotApplicable) },
        { "TLSA without the AD bit", nameof(DaneStatus.NotApplicable) },
        { "validated MX, no TLSA", nameof(DaneStatus.NotApplicable) },
        { "MX SERVFAIL", nameof(DaneStatus.TemporaryFailure) },
        { "TLSA SERVFAIL", nameof(DaneStatus.TemporaryFailure) },
        { "MX NXDOMAIN", nameof(DaneStatus.NotApplicable) },
    };

    [Theory]
    [MemberData(nameof(DaneCases))]
    public void Combine_DaneAnswers_Status(string @case, string expected)
    {
        (DaneAnswer Mx, (string, DaneAnswer)[] Tlsa) input = @case switch
        {
            "validated MX, every host validated TLSA" => (Mx(true, "a", "b"), [("a", Tlsa(true, 1)), ("b", Tlsa(true, 2))]),
            "validated MX, one of two hosts" => (Mx(true, "a", "b"), [("a", Tlsa(true, 1)), ("b", new DaneAnswer.NoName(true))]),
            "MX without the AD bit" => (Mx(false, "a"), [("a", Tlsa(true, 1))]),
            "TLSA without the AD bit" => (Mx(true, "a"), [("a", Tlsa(false, 1))]),
            "validated MX, no TLSA" => (Mx(true, "a"), [("a", Tlsa(true, 0))]),
            "MX SERVFAIL" => (new DaneAnswer.Failed("ServerFailure"), []),
            "TLSA SERVFAIL" => (Mx(true, "a", "b"), [("a", Tlsa(true, 1)), ("b", new DaneAnswer.Failed("ServerFailure"))]),
            "MX NXDOMAIN" => (new DaneAnswer.NoName(true), []),
            _ => throw new ArgumentOutOfRangeException(nameof(@case)),
        };
        Assert.Equal(expected, DaneRules.Combine(input.Mx, input.Tlsa).Status.ToString());
    }

    [Fact]
    public void Hosts_ValidatedNoData_TheDomainItself() =>
        Assert.Equal(Prelude.Seq1("example.com"), DaneRules.Hosts("example.com", Mx(true)));

    [Fact]
    public void ForDane_Status_Reply()
    {
        Assert.Equal("OK dane-only", PolicyReplies.ForDane(DaneStatus.EveryHost, "").Map(static r => r.Render()));
        Assert.Equal("OK dane", PolicyReplies.ForDane(DaneStatus.SomeHosts, "").Map(static r => r.Render()));
        Assert.StartsWith("TEMP ", PolicyReplies.ForDane(DaneStatus.TemporaryFailure, "x").Map(static r => r.Render()).IfNone(""), StringComparison.Ordinal);
        Assert.True(PolicyReplies.ForDane(DaneStatus.NotApplicable, "").IsNone);
    }
}
