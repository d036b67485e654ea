using FsCheck;
using FsCheck.Fluent;

namespace MtaSts.Conformance.Generators;

/// <summary>Valid TLSRPT records (RFC 8460 §3) built from their parts, and layouts of their text.</summary>
internal static class TlsRptGenerators
{
    private const string Alpha = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    private const string AlphaNum = Alpha + "0123456789";

    /// <summary>Path characters of a tlsrpt-uri (pchar without ',', '!', ';') and the escapes T-02 requires for them.</summary>
    private static readonly string[] PathPieces = [.. (AlphaNum + "-._~$&'()*+=:@").Select(static c => c.ToString()), "%2C", "%21", "%3B", "%20"];

    /// <summary>A reporting URI: a mailto, an https (name or IPv6 literal host), or another scheme (unsupported, T-04).</summary>
    public static Gen<string> Uri =>
        Gen.OneOf(
            from local in Generators.StringOf(Generators.Chars(AlphaNum + "+-_"), 1, 12)
            from domain in Generators.Domain
            select $"mailto:{local}@{domain}",
            from host in Gen.OneOf(Generators.Domain, Gen.Elements("[2001:db8::1]", "[::1]", "192.0.2.7"))
            from segments in Gen.Choose(0, 3)
            from path in Gen.ArrayOf(Segment, segments)
            select $"https://{host}/{string.Join("/", path)}",
            Gen.Elements("http://reports.example/tlsrpt", "urn:example:tlsrpt", "ftp://f.example/%21", "MAILTO:a@example.com"));

    /// <summary>A path segment: 0–6 pchar pieces.</summary>
    private static Gen<string> Segment =>
        from n in Gen.Choose(0, 6)
        from pieces in Gen.ArrayOf(Gen.Elements(PathPieces), n)
        select string.Concat(pieces);

    public static Gen<Extension> Extension =>
        from first in Generators.Chars(AlphaNum)
        from rest in Generators.StringOf(Generators.Chars(AlphaNum + "_-."), 0, 31)
        from value in Generators.StringOf(Gen.Elements([.. Enumerable.Range(0x21, 0x5E).Select(static i => (char)i).Where(static c => c is not '=' and not ';')]), 1, 12)
        let name = first + rest
        select new Extension(name == "rua" ? "ruax" : name, value);

    public static Gen<TlsRptRecord> Record =>
        from count in Gen.Choose(1, 4)
        from uris in Gen.ArrayOf(Uri, count)
        from n in Gen.Frequency((3, Gen.Constant(0)), (2, Gen.Choose(1, 3)))
        from exts in Gen.ArrayOf(Extension, n)
        select Generators.Right(TlsRptRecord.Create(uris, exts));

    /// <summary>The record's text with a raw '!' put into its first URI (or just after it), and the column where it is (T-02: it MUST be %21).</summary>
    public static Gen<(string Text, int Column)> RawBang(TlsRptRecord record)
    {
        var text = record.Render();
        var uriStart = text.IndexOf("rua=", StringComparison.Ordinal) + 4;
        var uriEnd = text.IndexOfAny([',', ';'], uriStart);
        return Gen.Choose(uriStart, uriEnd).Select(at => (text.Insert(at, "!"), at + 1));
    }

    /// <summary>
    /// A layout of a record's text with the same meaning (T-01, T-03): *WSP around ';' and ',', URIs split over
    /// several rua fields, extensions between them, an optional trailing delimiter.
    /// </summary>
    public static Gen<string> Layout(TlsRptRecord record) =>
        from wsp in Gen.ArrayOf(Gen.Elements("", "", " ", "\t", "  "), 4 * (record.Rua.Count + record.Extensions.Count) + 4)
        from splits in Gen.ArrayOf(Gen.Elements(false, false, true), record.Rua.Count)
        from trailing in Gen.Elements(false, true)
        select Render(record, wsp, splits, trailing);

    private static string Render(TlsRptRecord record, string[] wsp, bool[] splits, bool trailing)
    {
        var w = 0;
        string Ws() => wsp[w++];
        var sb = new System.Text.StringBuilder("v=TLSRPTv1");
        void Delim() => sb.Append(Ws()).Append(';').Append(Ws());
        Delim();
        sb.Append("rua=");
        for (var i = 0; i < record.Rua.Count; i++)
        {
            if (i > 0)
            {
                if (splits[i])
                {
                    Delim();
                    sb.Append("rua=");
                }
                else
                {
                    sb.Append(Ws()).Append(',').Append(Ws());
                }
            }

            sb.Append(record.Rua[i]);
        }

        foreach (var e in record.Extensions)
        {
            Delim();
            sb.Append(e.Name).Append('=').Append(e.Value);
        }

        if (trailing)
        {
            Delim();
        }

        return sb.ToString();
    }
}
