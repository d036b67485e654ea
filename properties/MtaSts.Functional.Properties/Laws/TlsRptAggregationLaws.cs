using System.Net;
using FsCheck;
using FsCheck.Fluent;
using LanguageExt;
using MtaSts.Conformance.Generators;
using MtaSts.MailKit;
using MtaSts.TlsRpt;

namespace MtaSts.Functional.Properties.Laws;

/// <summary>RFC 8460 §4.1, §4.2: a day's report depends on which sessions happened, never on their order or on how they were merged.</summary>
public class TlsRptAggregationLaws
{
    private static readonly PolicyDomain Domain = Generators.Right(PolicyDomain.Parse("company-y.example"));
    private static readonly DateTimeOffset Day = new(2016, 4, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly TlsRptSender Sender = new("X", "tlsrpt@x.example", "x.example");

    private static readonly Gen<TlsReportPolicy> Policies = Gen.Elements(
        new TlsReportPolicy(TlsReportPolicy.Sts, Domain, Prelude.Seq("version: STSv1", "mode: enforce", "mx: mx.company-y.example", "max_age: 86400"), Prelude.Seq1("mx.company-y.example")),
        new TlsReportPolicy(TlsReportPolicy.Sts, Domain, Prelude.Seq("version: STSv1", "mode: testing", "mx: *.company-y.example", "max_age: 86400"), Prelude.Seq1("*.company-y.example")),
        new TlsReportPolicy(TlsReportPolicy.NoPolicyFound, Domain, Seq<string>.Empty, Seq<string>.Empty));

    private static readonly Gen<TlsFailureDetail> Details = Gen.Elements(
        new TlsFailureDetail("certificate-expired", null),
        new TlsFailureDetail("certificate-not-trusted", "UntrustedRoot"),
        new TlsFailureDetail("starttls-not-supported", "smtp-starttls-reply-code-454"),
        new TlsFailureDetail("sts-policy-fetch-error", null));

    private static readonly Gen<TlsSession> Session =
        from policy in Policies
        from mx in Gen.Elements("mx1.company-y.example", "mx2.company-y.example")
        from ip in Gen.Elements(IPAddress.Parse("192.0.2.1"), IPAddress.Parse("2001:db8::1"), null)
        from n in Gen.Frequency((2, Gen.Constant(0)), (2, Gen.Choose(1, 3)))
        from failures in Gen.ArrayOf(Details, n)
        from second in Gen.Choose(0, 86399)
        select new TlsSession(policy, mx, ip, IPAddress.Loopback, failures.ToSeq(), Day.AddSeconds(second));

    private static readonly Gen<(TlsSession[] Sessions, TlsSession[] Shuffled, int Split)> Cases =
        from sessions in Gen.ListOf(Session).Select(static l => l.ToArray())
        from shuffled in Gen.Shuffle(sessions)
        from split in Gen.Choose(0, sessions.Length)
        select (sessions, shuffled.ToArray(), split);

    /// <summary>Adding the sessions in any order, or into two halves that are merged, gives the same results and the same report bytes.</summary>
    [Law]
    public Property MergingIsOrderIndependent() =>
        Prop.ForAll(Arb.From(Cases), static c =>
        {
            var empty = DailyResults.Empty(Domain.Value, DateOnly.FromDateTime(Day.UtcDateTime));
            var inOrder = c.Sessions.Aggregate(empty, static (r, s) => r.Add(s));
            var shuffled = c.Shuffled.Aggregate(empty, static (r, s) => r.Add(s));
            var halves = c.Shuffled[c.Split..].Aggregate(empty, static (r, s) => r.Add(s))
                .Merge(c.Shuffled[..c.Split].Aggregate(empty, static (r, s) => r.Add(s)));
            var json = TlsRptReport.Build(Sender, inOrder).Json;
            return (inOrder == shuffled && shuffled == halves && json == TlsRptReport.Build(Sender, halves).Json)
                .Label(json)
                .Classify(c.Sessions.Length == 0, "no sessions")
                .Classify(c.Sessions.Any(static s => s.Failures.Count > 1), "a session with several details");
        });
}
