// Test helper for SqliteStoreTests: records sessions of "writer-<tag>.test" (one failed for every
// successful one) into the SQLite store file given as the first argument, printing "committed N" after
// each RecordAsync returns; stops after the optional count (third argument) or when killed.
using System.Globalization;
using System.Net;
using LanguageExt;
using MtaSts.Functional;
using MtaSts.MailKit;
using MtaSts.TlsRpt;

var store = new SqliteTlsRptStore(args[0]);
var tag = args[1];
var count = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : int.MaxValue;
var domain = PolicyDomain.Parse($"writer-{tag}.test").IfLeft(static e => throw new InvalidOperationException(e.Render()));
var policy = new TlsReportPolicy(TlsReportPolicy.Sts, domain, Prelude.Seq("version: STSv1", "mode: enforce", "mx: mx.example", "max_age: 86400"), Prelude.Seq1("mx.example"));
var at = new DateTimeOffset(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);
for (var n = 0; n < count; n++)
{
    var failures = n % 2 == 0 ? Seq<TlsFailureDetail>.Empty : Prelude.Seq1(new TlsFailureDetail("certificate-expired", null));
    await store.RecordAsync(new TlsSession(policy, "mx.example", IPAddress.Loopback, IPAddress.Loopback, failures, at));
    if (store.Problem is not null)
    {
        Console.Error.WriteLine(store.Problem);
        return 1;
    }

    Console.WriteLine($"committed {n}");
}

return 0;
