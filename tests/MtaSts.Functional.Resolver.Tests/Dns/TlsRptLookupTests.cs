using System.Net;
using MtaSts.Testing;

namespace MtaSts.Functional.Resolver.Tests.Dns;

/// <summary>RFC 8460 §3 discovery of the <c>_smtp._tls</c> record (T-06, C-05) against a real DNS server on loopback.</summary>
[Collection(LoopbackCollection.Name)]
public class TlsRptLookupTests(Loopback world)
{
    private const string Rua = "rua=mailto:reports@example.com";

    /// <summary>Case key → how the zone is set up under <c>_smtp._tls.&lt;domain&gt;</c>, and the outcome: the rua, "none", "several", "invalid" or "temporary".</summary>
    private static readonly Dictionary<string, (Action<LoopbackDns, string> Setup, string Expected, string Why)> Cases = new()
    {
        ["one"] = ((dns, n) => dns.Txt(n, "v=TLSRPTv1; " + Rua), "mailto:reports@example.com", "§3 one record"),
        ["https"] = ((dns, n) => dns.Txt(n, "v=TLSRPTv1;rua=https://reporting.example.com/v1/tlsrpt"), "https://reporting.example.com/v1/tlsrpt", "§3 the second RFC example"),
        ["multi-string"] = ((dns, n) => dns.Txt(n, "v=TLSRPTv1; rua=mailto:rep", "orts@example.com"), "mailto:reports@example.com", "T-06 strings concatenated without separators"),
        ["other-txt"] = ((dns, n) => dns.Txt(n, "v=spf1 -all").Txt(n, "v=TLSRPTv1; " + Rua).Txt(n, "v=STSv1; id=1;"), "mailto:reports@example.com", "T-06 records not beginning v=TLSRPTv1; are discarded"),
        ["space-before-delim-alone"] = ((dns, n) => dns.Txt(n, "v=TLSRPTv1 ; " + Rua), "mailto:reports@example.com", "T-06 a lone record is parsed by the ABNF, which allows WSP before ';'"),
        ["space-before-delim-with-other"] = ((dns, n) => dns.Txt(n, "v=TLSRPTv1 ; " + Rua).Txt(n, "v=spf1 -all"), "none", "T-06 with two records the exact 11-character prefix is required: both are discarded"),
        ["several"] = ((dns, n) => dns.Txt(n, "v=TLSRPTv1; rua=mailto:a@example.com").Txt(n, "v=TLSRPTv1; rua=mailto:b@example.com"), "several", "§3 two TLSRPT records: none is used"),
        ["invalid"] = ((dns, n) => dns.Txt(n, "v=TLSRPTv1; rua=mailto:a@example.com!"), "invalid", "T-02 a raw '!' in a URI"),
        ["no-rua"] = ((dns, n) => dns.Txt(n, "v=TLSRPTv1; x=y"), "invalid", "T-03 rua is required"),
        ["lone-other"] = ((dns, n) => dns.Txt(n, "v=spf1 -all"), "invalid", "T-06 a lone non-TLSRPT record is parsed, so invalid (vectors convention 1)"),
        ["only-others"] = ((dns, n) => dns.Txt(n, "v=spf1 -all").Txt(n, "hello"), "none", "T-06 several records, none TLSRPT"),
        ["nxdomain"] = ((_, _) => { }, "none", "C-05 NXDOMAIN is no record"),
        ["nodata"] = ((dns, n) => dns.A(n, IPAddress.Loopback), "none", "C-05 NODATA is no record"),
        ["cname"] = ((dns, n) => dns.Cname(n, "tlsrpt.provider.cname.test").Txt("tlsrpt.provider.cname.test", "v=TLSRPTv1; rua=mailto:via@cname.test"), "mailto:via@cname.test", "CNAME followed (server chases)"),
        ["cname-unchased"] = ((dns, n) => dns.Cname(n, "tlsrpt2.provider.cname.test", chase: false).Txt("tlsrpt2.provider.cname.test", "v=TLSRPTv1; rua=mailto:second@cname.test"), "mailto:second@cname.test", "CNAME followed by a second query"),
        ["cname-dangling"] = ((dns, n) => dns.Cname(n, "nowhere.tlsrpt.cname.test", chase: false), "none", "a CNAME to a missing name"),
        ["cname-loop"] = ((dns, n) => dns.Cname(n, "loop-" + n, chase: false).Cname("loop-" + n, n, chase: false), "temporary", "a CNAME loop is bounded"),
        ["servfail"] = ((dns, n) => dns.Fail(n, 2), "temporary", "C-05 SERVFAIL"),
        ["refused"] = ((dns, n) => dns.Fail(n, 5), "temporary", "C-05 REFUSED"),
        ["silent"] = ((dns, n) => dns.Silent(n), "temporary", "C-05 no answer: timeout"),
    };

    public static TheoryData<string> Keys => [.. Cases.Keys];

    [Theory]
    [MemberData(nameof(Keys))]
    public async Task LookupTlsRptAsync_Zone_GivesTheOutcome(string key)
    {
        var (setup, expected, why) = Cases[key];
        var domain = key + ".tlsrpt.test";
        setup(world.Dns, "_smtp._tls." + domain);

        var outcome = await TlsRptLookup.Create(world.Options()).LookupTlsRptAsync(domain.D());

        Assert.True(expected == Describe(outcome), $"{why}: expected {expected}, got {outcome}");
    }

    [Fact]
    public async Task LookupTlsRptAsync_IdnDomain_QueriesTheALabels()
    {
        // RFC 8460 §4.4: domains in A-labels; PolicyDomain normalises the U-labels (F-07).
        world.Dns.Txt("_smtp._tls.xn--bcher-kva.tlsrpt.test", "v=TLSRPTv1; rua=mailto:tls@xn--bcher-kva.tlsrpt.test");

        var outcome = await TlsRptLookup.Create(world.Options()).LookupTlsRptAsync("Bücher.tlsrpt.test".D());

        Assert.Equal("mailto:tls@xn--bcher-kva.tlsrpt.test", Describe(outcome));
        Assert.True(world.Dns.WasQueried("_smtp._tls.xn--bcher-kva.tlsrpt.test"));
    }

    [Fact]
    public async Task LookupTlsRptAsync_KeepsTheRawStrings_AndSaysWhy()
    {
        world.Dns.Txt("_smtp._tls.raw.tlsrpt.test", "v=TLSRPTv1; rua=mailto:a@example.com").Txt("_smtp._tls.raw.tlsrpt.test", "v=TLSRPTv1; ", "rua=mailto:b@example.com");

        var outcome = await TlsRptLookup.Create(world.Options()).LookupTlsRptAsync("raw.tlsrpt.test".D());

        var unusable = Assert.IsType<TlsRptOutcome.Unusable>(outcome);
        Assert.Equal(
            [["v=TLSRPTv1; rua=mailto:a@example.com"], ["v=TLSRPTv1; ", "rua=mailto:b@example.com"]],
            unusable.Records.Select(static r => r.ToArray()).OrderBy(static r => r.Length).ToArray());
        Assert.Equal(new MtaStsError.NoTlsRptRecord(UnusableRecordReason.Several, 2, LanguageExt.Option<MtaStsError>.None), unusable.Error);
    }

    [Fact]
    public async Task LookupTlsRptAsync_ServFail_IsNotNoRecord()
    {
        // C-05: a temporary failure says nothing about whether the domain implements TLSRPT.
        world.Dns.Fail("_smtp._tls.broken.tlsrpt.test", 2);

        var outcome = await TlsRptLookup.Create(world.Options()).LookupTlsRptAsync("broken.tlsrpt.test".D());

        var failure = Assert.IsType<TlsRptOutcome.TemporaryFailure>(outcome);
        Assert.Contains("_smtp._tls.broken.tlsrpt.test", failure.Detail, StringComparison.Ordinal);
        Assert.True(failure.Records.IsEmpty);
    }

    [Fact]
    public void From_IsTheRecordSetRule_WithoutDns()
    {
        Assert.IsType<TlsRptOutcome.NoRecord>(TlsRptOutcome.From(null));
        Assert.IsType<TlsRptOutcome.NoRecord>(TlsRptOutcome.From([]));
        Assert.Equal("mailto:x@example.com", Describe(TlsRptOutcome.From([["v=TLSRPTv1;", "rua=mailto:x@example.com"]])));
        Assert.Equal(TlsRptOutcome.From([["v=TLSRPTv1;rua=mailto:x@example.com"]]), TlsRptOutcome.From([["v=TLSRPTv1;rua=mailto:x@example.com"]]));
        Assert.NotEqual(TlsRptOutcome.From([["v=TLSRPTv1;rua=mailto:x@example.com"]]), TlsRptOutcome.From([["v=TLSRPTv1;", "rua=mailto:x@example.com"]]));
    }

    private static string Describe(TlsRptOutcome outcome) => outcome switch
    {
        TlsRptOutcome.Found f => string.Join(",", f.Record.Rua),
        TlsRptOutcome.NoRecord => "none",
        TlsRptOutcome.Unusable { Error: MtaStsError.NoTlsRptRecord { Reason: UnusableRecordReason.Several } } => "several",
        TlsRptOutcome.Unusable { Error: MtaStsError.NoTlsRptRecord { Reason: UnusableRecordReason.Invalid } } => "invalid",
        TlsRptOutcome.Unusable u => "unusable: " + u.Error,
        TlsRptOutcome.TemporaryFailure => "temporary",
        _ => throw new InvalidOperationException(),
    };
}
