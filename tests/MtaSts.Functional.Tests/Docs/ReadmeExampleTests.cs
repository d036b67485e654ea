using LanguageExt;

namespace MtaSts.Functional.Tests.Docs;

/// <summary>The README's 30-second example, verbatim, so that it keeps compiling and says what it shows.</summary>
public class ReadmeExampleTests
{
    [Fact]
    public void ReadmeExample_RunsAndShowsWhatItsCommentsSay()
    {

        // RFC 8461 §3.1: the _mta-sts TXT record set (each RR is a list of character-strings)
        Either<MtaStsError, StsRecord> txt = StsRecord.FromTxtRecords([["v=STSv1; id=20160831085700Z;"]]);

        // RFC 8461 §3.2: the policy body fetched from https://mta-sts.<domain>/.well-known/mta-sts.txt
        Either<MtaStsError, Policy> parsed = Policy.Parse(
            "version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmx: *.example.net\r\nmax_age: 604800\r\n");

        parsed.Match(
            Right: policy =>
            {
                // RFC 8461 §4, §5: what to do with each MX, before connecting and after STARTTLS
                Decision before = Enforcement.Enforce(policy, "mx1.example.net");   // Deliver(*.example.net, Enforce): require TLS
                Decision after = Enforcement.Enforce(policy, "mx1.example.net", TlsOutcome.Failed(FailureKind.CertificateExpired));
                // → Refuse(CertificateExpired): skip this MX (transient); after is Decision.Refuse r: r.Failure.ResultType() == "certificate-expired"
                Seq<MxCandidate> order = Enforcement.Candidates([new MxRecord(10, "mail.example.com"), new MxRecord(5, "evil.test")], policy);
                Console.WriteLine(policy.Render());                                  // canonical text; Policy.Parse(policy.Render()) == policy
            },
            Left: error => Console.WriteLine(error.Render()));                       // e.g. "2:7: error[sts-policy-mode]: expected sts-policy-mode-value, found 'Enforce'"

        Either<MtaStsError, Uri> url = Enforcement.PolicyUrl("Bücher.example.");   // https://mta-sts.xn--bcher-kva.example/.well-known/mta-sts.txt

        // Real-world files: lenient mode repairs what DECISIONS.md L-01 allows, with a positioned warning each
        Either<MtaStsError, Parsed<Policy>> lenient = Policy.ParseWithWarnings(
            "version: STSv1\n mode : enforce\nmx: mail.example.com.\nmax_age: 86400\n", ParseMode.Lenient);
        // Warnings: 2:1 LeadingWhitespace, 2:6 WhitespaceBeforeColon, 3:21 MxTrailingDot

        Assert.Equal("20160831085700Z", Assert.Single(txt.RightToSeq()).Id.Value);
        var policy = Assert.Single(parsed.RightToSeq());
        Assert.Equal((policy.Mx[1], PolicyMode.Enforce), Assert.IsType<Decision.Deliver>(Enforcement.Enforce(policy, "mx1.example.net")) is var d ? (d.Pattern, d.Mode) : default);
        Assert.Equal("certificate-expired", Assert.IsType<Decision.Refuse>(Enforcement.Enforce(policy, "mx1.example.net", TlsOutcome.Failed(FailureKind.CertificateExpired))).Failure.ResultType());
        Assert.Equal("https://mta-sts.xn--bcher-kva.example/.well-known/mta-sts.txt", Assert.Single(url.RightToSeq()).AbsoluteUri);
        Assert.Equal(
            [(2, 1, WarningKind.LeadingWhitespace), (2, 6, WarningKind.WhitespaceBeforeColon), (3, 21, WarningKind.MxTrailingDot)],
            Assert.Single(lenient.RightToSeq()).Warnings.Map(static w => (w.Line, w.Column, w.Kind)).ToList());
    }

    [Fact]
    public void ReadmeExample_IsTheCodeInTheReadme()
    {
        var here = Path.Combine(Repo.Root, "tests", "MtaSts.Functional.Tests", "Docs", "ReadmeExampleTests.cs");
        var readme = File.ReadAllText(Path.Combine(Repo.Root, "README.md"));
        var start = readme.IndexOf("```csharp\n", StringComparison.Ordinal) + "```csharp\n".Length;
        var block = readme[start..readme.IndexOf("```", start, StringComparison.Ordinal)];
        var test = File.ReadAllLines(here).Select(static l => l.Trim()).ToList();

        var missing = block.Split('\n').Select(static l => l.Trim()).Where(static l => l.Length > 0 && !l.StartsWith("using ", StringComparison.Ordinal)).Where(l => !test.Contains(l)).ToList();

        Assert.Empty(missing);
    }
}
