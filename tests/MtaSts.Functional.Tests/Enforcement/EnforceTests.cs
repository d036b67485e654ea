using LanguageExt;

namespace MtaSts.Functional.Tests.EnforcementTests;

/// <summary>RFC 8461 §5 (M-03, M-04): every mode × MX match × TLS outcome, and what surrounds it.</summary>
public class EnforceTests
{
    private const string Matching = "mx1.example.com";
    private const string NotMatching = "mx1.attacker.test";

    /// <summary>Every TLS outcome by its name (theory rows stay serialisable): not-negotiated, valid, each TLS failure.</summary>
    private static readonly Dictionary<string, TlsOutcome> TlsOutcomes = new[] { TlsOutcome.NotNegotiated, TlsOutcome.Valid }
        .Concat(Enum.GetValues<FailureKind>().Where(static k => k != FailureKind.MxMismatch).Select(TlsOutcome.Failed))
        .ToDictionary(static t => t.ToString() + (t.IsFailed(out var k) ? "/" + k : string.Empty));

    public static TheoryData<PolicyMode, bool, string, string> Table
    {
        get
        {
            var rows = new TheoryData<PolicyMode, bool, string, string>();
            foreach (var (name, tls) in TlsOutcomes)
            {
                var failure = Failure(tls);

                // enforce (§5: MUST NOT deliver to hosts that fail MX matching or certificate validation or lack STARTTLS)
                rows.Add(PolicyMode.Enforce, true, name, failure is null ? "Deliver" : $"Refuse:{failure}");
                rows.Add(PolicyMode.Enforce, false, name, "Refuse:MxMismatch");

                // testing (§5: deliver as though there were no failure, and report)
                rows.Add(PolicyMode.Testing, true, name, failure is null ? "Deliver" : $"DeliverAndReport:{failure}");
                rows.Add(PolicyMode.Testing, false, name, "DeliverAndReport:MxMismatch");

                // none (§5: treat the domain as having no active policy)
                rows.Add(PolicyMode.None, true, name, "NotApplied:ModeNone");
                rows.Add(PolicyMode.None, false, name, "NotApplied:ModeNone");
            }

            return rows;
        }
    }

    [Theory]
    [MemberData(nameof(Table))]
    public void Enforce_ModeMatchAndTls_GivesTheSection5Decision(PolicyMode mode, bool matches, string tls, string expected)
    {
        var decision = Enforcement.Enforce(PolicyWith(mode), matches ? Matching : NotMatching, TlsOutcomes[tls]);

        Assert.Equal(expected, Describe(decision));
    }

    [Fact]
    public void Enforce_Match_NamesThePatternThatMatched()
    {
        var decision = Enforcement.Enforce(PolicyWith(PolicyMode.Enforce), "MX1.Example.COM.");

        var deliver = Assert.IsType<Decision.Deliver>(decision);
        Assert.Equal("*.example.com", deliver.Pattern.Render());
        Assert.Equal(PolicyMode.Enforce, deliver.Mode);
    }

    [Fact]
    public void Refuse_StaysACandidate_SoTheMtaTriesTheNextMx()
    {
        // §5 N-50, §5.1 N-53, §8.4: an enforce failure is transient: the refused MX stays in the list, in
        // its place, so the MTA treats it as unreachable and goes on to the next one (never a bounce).
        var candidates = Enforcement.Candidates([new MxRecord(5, NotMatching), new MxRecord(10, Matching)], PolicyWith(PolicyMode.Enforce));

        Assert.Equal([NotMatching, Matching], candidates.Map(static c => c.Mx.Host).ToArray());
        Assert.IsType<Decision.Refuse>(candidates[0].Decision);
        Assert.IsType<Decision.Deliver>(candidates[1].Decision);
        Assert.Contains("try the next one (transient)", candidates[0].Decision.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(FailureKind.StartTlsNotSupported, "starttls-not-supported")]
    [InlineData(FailureKind.CertificateHostMismatch, "certificate-host-mismatch")]
    [InlineData(FailureKind.CertificateExpired, "certificate-expired")]
    [InlineData(FailureKind.CertificateNotTrusted, "certificate-not-trusted")]
    [InlineData(FailureKind.ValidationFailure, "validation-failure")]
    public void TlsFailure_CarriesItsRfc8460ResultType(FailureKind failure, string resultType)
    {
        var tls = TlsOutcome.Failed(failure);
        Assert.Equal(resultType, tls.ToString());
        var refuse = Assert.IsType<Decision.Refuse>(Enforcement.Enforce(PolicyWith(PolicyMode.Enforce), Matching, tls));

        Assert.Equal(resultType, refuse.Failure.ResultType()); // M-04, RFC 8460 §4.3
    }

    [Fact]
    public void Enforce_NoPolicy_IsNotApplied()
    {
        Assert.Equal(Decision.NotApplied.Of(NotAppliedReason.NoPolicy), Enforcement.Enforce(Option<Policy>.None, Matching));
    }

    [Theory]
    [InlineData(PolicyMode.Enforce)]
    [InlineData(PolicyMode.Testing)]
    public void Enforce_DaneApplies_MtaStsIsNotApplied(PolicyMode mode)
    {
        // §2, M-06: MTA-STS never overrides DANE, not even with a failing MX.
        var decision = Enforcement.Enforce(Option<Policy>.Some(PolicyWith(mode)), NotMatching, TlsOutcome.Failed(FailureKind.CertificateNotTrusted), daneApplies: true);

        Assert.Equal(Decision.NotApplied.Of(NotAppliedReason.Dane), decision);
        Assert.Equal("§2", decision.Section);
    }

    [Fact]
    public void Candidates_AreInPreferenceOrderWithEachDecision_AndNothingIsDropped()
    {
        // §5.1 step 2 and §8.4: walk the MX list once; refused candidates stay, as if unreachable.
        MxRecord[] records = [new(20, "backup.attacker.test"), new(10, "mx2.example.com"), new(10, "mx1.example.com"), new(5, "evil.test")];

        var candidates = Enforcement.Candidates(records, PolicyWith(PolicyMode.Enforce));

        Assert.Equal(
            [(5, "evil.test", "Refuse:MxMismatch"), (10, "mx2.example.com", "Deliver"), (10, "mx1.example.com", "Deliver"), (20, "backup.attacker.test", "Refuse:MxMismatch")],
            candidates.Map(static c => (c.Mx.Preference, c.Mx.Host, Describe(c.Decision))).ToList());
    }

    [Fact]
    public void Candidates_WithoutPolicy_AreAllNotApplied()
    {
        var candidates = Enforcement.Candidates([new MxRecord(10, "a.example"), new MxRecord(0, "b.example")], Option<Policy>.None);

        Assert.All(candidates, static c => Assert.Equal(Decision.NotApplied.Of(NotAppliedReason.NoPolicy), c.Decision));
        Assert.Equal(["b.example", "a.example"], candidates.Map(static c => c.Mx.Host).ToList());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("[192.0.2.1]")]
    [InlineData("mx1.example.com..")]
    public void Enforce_InvalidHost_NeverDelivers(string? host)
    {
        Assert.Equal("Refuse:MxMismatch", Describe(Enforcement.Enforce(PolicyWith(PolicyMode.Enforce), host)));
    }

    [Fact]
    public void Decision_Section_CitesTheRfc()
    {
        Assert.Equal("§4.1, §5", Enforcement.Enforce(PolicyWith(PolicyMode.Testing), NotMatching).Section);
        Assert.Equal("§4.2, §5", Enforcement.Enforce(PolicyWith(PolicyMode.Enforce), Matching, TlsOutcome.Failed(FailureKind.CertificateExpired)).Section);
    }

    [Theory]
    [InlineData("example.com", "https://mta-sts.example.com/.well-known/mta-sts.txt")]
    [InlineData("[IPv6:2001:db8::1]", null)]
    [InlineData("2001:db8::1", null)]
    public void PolicyUrl_Examples(string domain, string? url)
    {
        var result = Enforcement.PolicyUrl(domain);

        if (url is null)
        {
            Assert.IsType<MtaStsError.AddressLiteral>(Assert.Single(result.LeftToSeq()));
        }
        else
        {
            Assert.Equal(url, Assert.Single(result.RightToSeq()).AbsoluteUri);
        }
    }

    [Fact]
    public void PolicyUrl_DomainTooLongForTheMtaStsPrefix_IsATypedError()
    {
        // 4 labels of 61 + 3 dots = 247 octets: a valid domain, but "mta-sts." + it is 255 > 253.
        var domain = string.Join('.', Enumerable.Repeat(new string('a', 61), 4));

        Assert.IsType<MtaStsError.InvalidValue>(Assert.Single(Enforcement.PolicyUrl(domain).LeftToSeq()));
    }

    [Fact]
    public void PolicyUrl_TxtNameOfExactly253Octets_IsValid_AndOneMoreIsNot()
    {
        // Both names must fit in 253 octets (PolicyDomain): "_mta-sts." (9) + a 244-octet domain = 253
        // binds first; "mta-sts." (8) + 245 = 253 would still fit the policy host but not the TXT name.
        var domain244 = string.Join('.', Enumerable.Repeat(new string('a', 60), 4)) + "b"; // 4 × 60 + 3 dots + 1

        Assert.Equal(244, domain244.Length);
        Assert.True(Enforcement.PolicyUrl(domain244).IsRight);
        var error = Assert.IsType<MtaStsError.InvalidValue>(Assert.Single(Enforcement.PolicyUrl(domain244 + "c").LeftToSeq()));
        Assert.Equal("the TXT name '_mta-sts.<domain>' would be longer than 253 octets", error.Reason);
        Assert.Equal("policy domain", error.What);
        var host = Assert.IsType<MtaStsError.InvalidValue>(Assert.Single(Enforcement.PolicyUrl(domain244 + "cd").LeftToSeq()));
        Assert.Equal("the policy host 'mta-sts.<domain>' would be longer than 253 octets", host.Reason);
    }

    [Fact]
    public void Enforce_NullPolicy_Throws() =>
        Assert.Throws<ArgumentNullException>(() => Enforcement.Enforce((Policy)null!, "mx.example"));

    [Theory]
    [InlineData(null)]
    [InlineData("example.com-")]
    [InlineData("exa_mple.com")]
    public void PolicyUrl_InvalidDomain_SaysWhy(string? domain)
    {
        var error = Assert.IsType<MtaStsError.InvalidValue>(Assert.Single(Enforcement.PolicyUrl(domain).LeftToSeq()));

        Assert.Equal(("policy domain", domain ?? string.Empty, "not a valid domain name (M-07, D-06)"), (error.What, error.Value, error.Reason));
    }

    [Fact]
    public void TlsOutcome_FailedWithMxMismatch_IsRefused_AndTheDefaultIsNotNegotiated()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => TlsOutcome.Failed(FailureKind.MxMismatch));
        Assert.True(default(TlsOutcome).IsNotNegotiated);
        Assert.Equal(TlsOutcome.NotNegotiated, default);
        Assert.NotEqual(TlsOutcome.Valid, TlsOutcome.NotNegotiated);
        Assert.Equal(FailureKind.CertificateExpired, TlsOutcome.Failed(FailureKind.CertificateExpired).Failure);
        Assert.True(TlsOutcome.Valid.Failure.IsNone);
    }

    [Fact]
    public void Candidates_NullRecords_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => Enforcement.Candidates(null, PolicyWith(PolicyMode.Enforce)));
    }

    [Fact]
    public void CertificateNames_NoDnsIds_NeverMatch()
    {
        Assert.False(CertificateNames.Matches(null, "mail.example.com"));
        Assert.False(CertificateNames.Matches([null, "*.*"], "mail.example.com"));
    }

    internal static Policy PolicyWith(PolicyMode mode) =>
        Assert.Single(Policy.Parse($"version: STSv1\nmode: {mode.ToKeyword()}\nmx: mail.example.com\nmx: *.example.com\nmax_age: 86400\n").RightToSeq());

    private static string? Failure(TlsOutcome tls) => tls.IsFailed(out var kind) ? kind.ToString() : null;

    private static string Describe(Decision decision) => decision switch
    {
        Decision.Deliver => "Deliver",
        Decision.DeliverAndReport r => $"DeliverAndReport:{r.Failure}",
        Decision.Refuse r => $"Refuse:{r.Failure}",
        Decision.NotApplied n => $"NotApplied:{n.Reason}",
        _ => throw new InvalidOperationException(),
    };
}
