namespace MtaSts.Functional.Syntax;

/// <summary>
/// The ABNF rule names, once: the grammars label their rules with them, and <c>Explain</c>, the lint
/// hints and the tests name rules through them. Each constant is named like its rule's field
/// (drop <c>sts-</c>, PascalCase the rest).
/// </summary>
internal static class RuleNames
{
    // RFC 5234 Appendix B.1
    public const string Alpha = "ALPHA";
    public const string Digit = "DIGIT";
    public const string Sp = "SP";
    public const string Htab = "HTAB";
    public const string Wsp = "WSP";
    public const string Cr = "CR";
    public const string Lf = "LF";
    public const string Crlf = "CRLF";

    // RFC 3629 §4
    public const string Utf8_2 = "UTF8-2";
    public const string Utf8_3 = "UTF8-3";
    public const string Utf8_4 = "UTF8-4";

    // RFC 5321 §4.1.2
    public const string Domain = "Domain";
    public const string SubDomain = "sub-domain";
    public const string LetDig = "Let-dig";
    public const string LdhStr = "Ldh-str";

    // RFC 8461 §3.1
    public const string TextRecord = "sts-text-record";
    public const string Field = "sts-field";
    public const string FieldDelim = "sts-field-delim";
    public const string Version = "sts-version";
    public const string Id = "sts-id";
    public const string Extension = "sts-extension";
    public const string ExtName = "sts-ext-name";
    public const string ExtValue = "sts-ext-value";

    // RFC 8461 §3.2
    public const string PolicyRecord = "sts-policy-record";
    public const string PolicyField = "sts-policy-field";
    public const string PolicyFieldDelim = "sts-policy-field-delim";
    public const string PolicyVersion = "sts-policy-version";
    public const string PolicyVersionField = "sts-policy-version-field";
    public const string PolicyVersionValue = "sts-policy-version-value";
    public const string PolicyMode = "sts-policy-mode";
    public const string PolicyModeField = "sts-policy-mode-field";
    public const string PolicyModeValue = "sts-policy-mode-value";
    public const string PolicyMx = "sts-policy-mx";
    public const string PolicyMxField = "sts-policy-mx-field";
    public const string PolicyMxValue = "sts-policy-mx-value";
    public const string PolicyMaxAge = "sts-policy-max-age";
    public const string PolicyMaxAgeField = "sts-policy-max-age-field";
    public const string PolicyMaxAgeValue = "sts-policy-max-age-value";
    public const string PolicyExtension = "sts-policy-extension";
    public const string PolicyExtName = "sts-policy-ext-name";
    public const string PolicyTerm = "sts-policy-term";
    public const string PolicyExtValue = "sts-policy-ext-value";
    public const string PolicyAlphanum = "sts-policy-alphanum";
    public const string PolicyVchar = "sts-policy-vchar";

    // RFC 5234 Appendix B.1, imported by RFC 3986 (issue 16)
    public const string HexDig = "HEXDIG";

    // RFC 3986 Appendix A (issue 16)
    public const string Uri = "URI";
    public const string HierPart = "hier-part";
    public const string Scheme = "scheme";
    public const string Authority = "authority";
    public const string Userinfo = "userinfo";
    public const string Host = "host";
    public const string Port = "port";
    public const string IpLiteral = "IP-literal";
    public const string IPvFuture = "IPvFuture";
    public const string IPv6Address = "IPv6address";
    public const string H16 = "h16";
    public const string Ls32 = "ls32";
    public const string IPv4Address = "IPv4address";
    public const string DecOctet = "dec-octet";
    public const string RegName = "reg-name";
    public const string PathAbempty = "path-abempty";
    public const string PathAbsolute = "path-absolute";
    public const string PathRootless = "path-rootless";
    public const string PathEmpty = "path-empty";
    public const string Segment = "segment";
    public const string SegmentNz = "segment-nz";
    public const string Pchar = "pchar";
    public const string Query = "query";
    public const string Fragment = "fragment";
    public const string PctEncoded = "pct-encoded";
    public const string Unreserved = "unreserved";
    public const string Reserved = "reserved";
    public const string GenDelims = "gen-delims";
    public const string SubDelims = "sub-delims";

    // RFC 8460 §3 (issue 16)
    public const string TlsRptRecord = "tlsrpt-record";
    public const string TlsRptFieldDelim = "field-delim";
    public const string TlsRptField = "tlsrpt-field";
    public const string TlsRptVersion = "tlsrpt-version";
    public const string TlsRptRua = "tlsrpt-rua";
    public const string TlsRptUri = "tlsrpt-uri";
    public const string TlsRptExtension = "tlsrpt-extension";
    public const string TlsRptExtName = "tlsrpt-ext-name";
    public const string TlsRptExtValue = "tlsrpt-ext-value";
}
