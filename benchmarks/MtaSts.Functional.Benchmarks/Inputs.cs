namespace MtaSts.Functional.Benchmarks;

/// <summary>The benchmark inputs: the reference implementation's published ones, so results compare, plus ours.</summary>
public static class Inputs
{
    public const string Record = "v=STSv1; id=20200101T000000Z";

    public const string Policy = "version: STSv1\nmode: enforce\nmx: mail.example.com\nmx: backup.example.com\nmx: *.mx.example.net\nmax_age: 604800\n";

    /// <summary>RFC 8461 §3.2 example, CRLF.</summary>
    public const string Rfc8461Policy = "version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmx: *.example.net\r\nmx: backupmx.example.com\r\nmax_age: 604800\r\n";

    /// <summary>A policy with 50 mx lines.</summary>
    public static readonly string Policy50Mx =
        "version: STSv1\nmode: enforce\n" + string.Concat(Enumerable.Range(1, 50).Select(static i => $"mx: mx{i}.example.com\n")) + "max_age: 604800\n";

    /// <summary>Three TXT records at _mta-sts: an unrelated one, a multi-string STS record, another unrelated one.</summary>
    public static readonly IReadOnlyList<string>[] TxtRecords =
        [["v=spf1 -all"], ["v=STSv1; id=2020", "0101T000000Z"], ["google-site-verification=abc"]];
}
