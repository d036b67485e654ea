using System.Net;
using LanguageExt;
using MtaSts.Functional;
using MtaSts.MailKit;

namespace MtaSts.TlsRpt.Tests;

/// <summary>A fixed set of sessions of 2016-04-01 for company-y.example (the RFC 8460 §4.5 example's domain).</summary>
public static class Sessions
{
    public static readonly PolicyDomain Domain = Parse("company-y.example");

    public static readonly TlsReportPolicy Sts = new(
        TlsReportPolicy.Sts,
        Domain,
        Prelude.Seq("version: STSv1", "mode: testing", "mx: *.mail.company-y.example", "max_age: 86400"),
        Prelude.Seq1("*.mail.company-y.example"));

    public static readonly TlsReportPolicy None = new(TlsReportPolicy.NoPolicyFound, Domain, Seq<string>.Empty, Seq<string>.Empty);

    public static readonly DateTimeOffset Noon = new(2016, 4, 1, 12, 0, 0, TimeSpan.Zero);

    public static PolicyDomain Parse(string domain) => PolicyDomain.Parse(domain).Match(static d => d, static e => throw new InvalidOperationException(e.Render()));

    public static TlsSession Ok(TlsReportPolicy policy, int minute = 0) =>
        new(policy, "mx1.mail.company-y.example", IPAddress.Parse("203.0.113.56"), IPAddress.Parse("2001:db8:abcd:0012::1"), Seq<TlsFailureDetail>.Empty, Noon.AddMinutes(minute));

    public static TlsSession Failed(TlsReportPolicy policy, int minute, params TlsFailureDetail[] details) =>
        new(policy, "mx2.mail.company-y.example", IPAddress.Parse("203.0.113.57"), IPAddress.Parse("2001:db8:abcd:0012::1"), details.ToSeq(), Noon.AddMinutes(minute));

    /// <summary>The fixed set: 3 successes and 2 failed sessions under the policy (one with two details), 1 success without a policy.</summary>
    public static IReadOnlyList<TlsSession> Fixed =>
    [
        Ok(Sts, 1),
        Failed(Sts, 2, new TlsFailureDetail("certificate-expired", null)),
        Ok(Sts, 3),
        Failed(Sts, 4, new TlsFailureDetail("certificate-expired", null), new TlsFailureDetail("certificate-not-trusted", "UntrustedRoot")),
        Ok(Sts, 5),
        Ok(None, 6),
    ];
}
