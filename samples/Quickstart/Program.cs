// Quickstart: the library's main job on the RFC 8461 examples and on a broken policy.
// Run it with: dotnet run --project samples/Quickstart
using LanguageExt;
using MtaSts.Functional;

static void Show<T>(string title, Either<MtaStsError, T> result)
{
    Console.WriteLine($"== {title}");
    Console.WriteLine(result.Match(Right: static v => $"OK, canonical form:\n{v}", Left: static e => $"INVALID:\n{e}"));
    Console.WriteLine();
}

// RFC 8461 §3.1: the TXT record at _mta-sts.example.com
Show("TXT record (RFC 8461 §3.1)", StsRecord.Parse("v=STSv1; id=20160831085700Z;"));

// RFC 8461 §3.2: the example policy, CRLF line ends
Show("policy (RFC 8461 §3.2)", Policy.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "rfc8461-example.txt"))));

// A policy with a wrong-case mode value: a typed error with line, column and ABNF rule
Show("broken policy", Policy.Parse("version: STSv1\nmode: Enforce\nmx: mail.example.com\nmax_age: 604800\n"));

// The same kind of file as real servers send it, read leniently: warnings instead of errors (L-01)
var lenient = Policy.ParseWithWarnings("version: STSv1\r\n  mode : enforce\r\nmx: mail.example.com.\r\nmax_age: 604800\r\n\r\n", ParseMode.Lenient);
Console.WriteLine("== lenient policy (DECISIONS.md L-01)");
lenient.Match(
    Right: p =>
    {
        p.Warnings.Iter(w => Console.WriteLine(w));
        Console.WriteLine(p.Value);
    },
    Left: e => Console.WriteLine(e));

// RFC 8461 §4-§5: what a sender does with each MX of example.com under the §3.2 policy
Console.WriteLine();
Console.WriteLine("== enforcement (RFC 8461 §4, §5)");
Policy.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "rfc8461-example.txt"))).IfRight(policy =>
{
    MxRecord[] mx = [new(20, "backupmx.example.com"), new(10, "mail.example.com"), new(30, "mx.attacker.test")];
    foreach (var candidate in Enforcement.Candidates(mx, policy))
    {
        Console.WriteLine($"MX {candidate.Mx.Preference,2} {candidate.Mx.Host,-22} {candidate.Decision}");
    }

    var afterTls = Enforcement.Enforce(policy, "mail.example.com", TlsOutcome.Failed(FailureKind.CertificateExpired));
    Console.WriteLine($"mail.example.com with an expired certificate: {afterTls}");
    Console.WriteLine($"policy URL for Bücher.example: {Enforcement.PolicyUrl("Bücher.example").Match(static u => u.AbsoluteUri, static e => e.Render())}");
});
