namespace MtaSts.Functional.Tests.Conformance;

/// <summary>match.json (§4.1, M-01, M-02, D-06), policy-url.json (§3.2, M-07), cert-name.json (§3.3, §4.2, M-05).</summary>
public class EnforcementConformanceTests
{
    public static TheoryData<string> MatchIds => Corpus.Ids("match.json");

    public static TheoryData<string> UrlIds => Corpus.Ids("policy-url.json");

    public static TheoryData<string> CertIds => Corpus.Ids("cert-name.json");

    [Theory]
    [MemberData(nameof(MatchIds))]
    public void MxMatches_Vector_GivesExpectedResult(string id)
    {
        var v = Corpus.Vector("match.json", id);
        var host = v.GetProperty("host").GetString();
        var expect = v.GetProperty("expect");
        var patterns = v.TryGetProperty("patterns", out var many)
            ? many.EnumerateArray().Select(static p => p.GetString()!).ToList()
            : [v.GetProperty("pattern").GetString()!];

        if (expect.TryGetProperty("pattern_valid", out var valid))
        {
            Assert.False(valid.GetBoolean());
            var pattern = Assert.Single(patterns);
            Assert.True(MxPattern.Parse(pattern).IsLeft, $"{pattern} must not parse");
            Assert.False(Enforcement.MxMatches(pattern, host));
            return;
        }

        var expected = expect.GetProperty("matches").GetBoolean();
        Assert.Equal(expected, patterns.Exists(p => Enforcement.MxMatches(p, host)));

        // The same answer through a policy: Enforce in enforce mode delivers iff some pattern matches.
        var policy = Assert.Single(Policy.Create(PolicyMode.Enforce, patterns.Select(static p => Assert.Single(MxPattern.Parse(p).RightToSeq())), Assert.Single(MaxAge.Create(60).RightToSeq())).RightToSeq());
        Assert.Equal(expected, Enforcement.Enforce(policy, host) is Decision.Deliver);
        Assert.Equal(expected, Enforcement.MatchingPattern(policy, host).IsSome);
    }

    [Theory]
    [MemberData(nameof(UrlIds))]
    public void PolicyUrl_Vector_GivesExpectedUrlOrTypedError(string id)
    {
        var v = Corpus.Vector("policy-url.json", id);
        var result = Enforcement.PolicyUrl(v.GetProperty("domain").GetString());
        var expect = v.GetProperty("expect");

        if (expect.TryGetProperty("url", out var url))
        {
            Assert.Equal(url.GetString(), Assert.Single(result.RightToSeq()).AbsoluteUri);
        }
        else
        {
            Assert.False(expect.GetProperty("valid").GetBoolean());
            var error = Assert.Single(result.LeftToSeq());
            Assert.True(error is MtaStsError.AddressLiteral or MtaStsError.InvalidValue, error.ToString());
        }
    }

    [Theory]
    [MemberData(nameof(CertIds))]
    public void CertificateNamesMatches_Vector_GivesExpectedResult(string id)
    {
        var v = Corpus.Vector("cert-name.json", id);
        var dnsIds = v.GetProperty("dns_ids").EnumerateArray().Select(static d => d.GetString()).ToList();

        // The optional "cn" is informational: M-05 never falls back to the subject CN.
        Assert.Equal(
            v.GetProperty("expect").GetProperty("matches").GetBoolean(),
            CertificateNames.Matches(dnsIds, v.GetProperty("host").GetString()));
    }
}
