// RFC 8460 §3, the _smtp._tls TXT record (verbatim):
//
//   tlsrpt-record     = tlsrpt-version 1*(field-delim tlsrpt-field)
//                       [field-delim]
//
//   field-delim       = *WSP ";" *WSP
//
//   tlsrpt-field      = tlsrpt-rua /        ; Note that the
//                       tlsrpt-extension    ; tlsrpt-rua record is
//                                           ; required.
//
//   tlsrpt-version    = %s"v=TLSRPTv1"
//
//   tlsrpt-rua        = %s"rua="
//                       tlsrpt-uri *(*WSP "," *WSP tlsrpt-uri)
//
//   tlsrpt-uri        = URI
//                       ; "URI" is imported from [RFC3986];
//                       ; commas (ASCII 0x2C), exclamation
//                       ; points (ASCII 0x21), and semicolons
//                       ; (ASCII 0x3B) MUST be encoded
//
//   tlsrpt-extension  = tlsrpt-ext-name "=" tlsrpt-ext-value
//
//   tlsrpt-ext-name   = (ALPHA / DIGIT) *31(ALPHA /
//                       DIGIT / "_" / "-" / ".")
//
//   tlsrpt-ext-value  = 1*(%x21-3A / %x3C / %x3E-7E)
//                       ; chars excluding "=", ";", SP, and control
//                       ; chars
using LanguageExt;
using Pidgin;
using static MtaSts.Functional.Syntax.Abnf;
using static MtaSts.Functional.Syntax.CharClass;
using static MtaSts.Functional.Syntax.CoreRules;
using PUnit = Pidgin.Unit;

namespace MtaSts.Functional.Syntax;

/// <summary>
/// RFC 8460 §3, the <c>_smtp._tls</c> TXT record: one parser per ABNF rule, in the RFC's order, built
/// from the RFC 5234 core rules and RFC 3986 <c>URI</c> (<see cref="UriGrammar"/>). Syntax only: that
/// <c>rua</c> is required and which URIs are usable is <see cref="TlsRptSemantics"/>.
/// </summary>
internal static class TlsRptGrammar
{
    /// <summary><c>%s"rua="</c>, the start of <c>tlsrpt-rua</c>.</summary>
    private static readonly Literal RuaName = Sensitive("rua=");

    /// <summary><c>";"</c> in <c>field-delim</c>.</summary>
    private static readonly Literal Semicolon = Insensitive(";");

    /// <summary><c>","</c> between the URIs of <c>tlsrpt-rua</c>.</summary>
    private static readonly Literal Comma = Insensitive(",");

    /// <summary><c>"="</c> in <c>tlsrpt-extension</c>.</summary>
    private static readonly Literal EqualsSign = Insensitive("=");

    /// <summary>What may follow a field value: WSP, ';' or the end (as <c>RecordGrammar</c>: a bad character is blamed on the value).</summary>
    private static readonly Parser<char, PUnit> ValueEnd = Blame.ValueEndsBefore(Wsp | Semicolon.First);

    /// <summary>What may follow a <c>tlsrpt-uri</c>: WSP, ',' , ';' or the end.</summary>
    private static readonly Parser<char, PUnit> UriEnd = Blame.ValueEndsBefore(Wsp | Comma.First | Semicolon.First);

    /// <summary>
    /// The characters a <c>tlsrpt-uri</c> is read over: every <c>URI</c> character except the ',' and ';' that end it
    /// (RFC 8460 §3: they MUST be percent-encoded inside). A raw '!' is read, then refused with its position (T-02).
    /// </summary>
    private static readonly CharClass TlsRptUriChar = (Range('\x21', '\x2B') | Range('\x2D', '\x3A') | Range('\x3C', '\x7E'));

    /// <summary><c>tlsrpt-record = tlsrpt-version 1*(field-delim tlsrpt-field) [field-delim]</c> (RFC 8460 §3; T-01).</summary>
    /// <remarks>Read as <c>tlsrpt-version 1*(field-delim (tlsrpt-field / end))</c>, as <c>RecordGrammar.TextRecord</c>.</remarks>
    public static readonly Parser<char, IReadOnlyList<TlsRptField>> Record =
        SeparatedList(
                first: Located(Ref(static () => Version), static (offset, _) => (TlsRptField)new TlsRptField.Version(offset)),
                delimiter: Ref(static () => FieldDelim),
                delimiterStarts: Wsp | Semicolon.First,
                element: Ref(static () => Field),
                minElements: 1)
            .Before(Parser<char>.End)
            .Rule(RuleNames.TlsRptRecord);

    /// <summary><c>field-delim = *WSP ";" *WSP</c> (RFC 8460 §3; T-01).</summary>
    public static readonly Parser<char, PUnit> FieldDelim = Star(Wsp).Then(Semicolon).Then(Star(Wsp)).Rule(RuleNames.TlsRptFieldDelim);

    /// <summary><c>tlsrpt-field = tlsrpt-rua / tlsrpt-extension ; Note that the tlsrpt-rua record is required.</c> (RFC 8460 §3; T-05).</summary>
    /// <remarks>
    /// T-05: a field named <c>rua</c> commits to <c>tlsrpt-rua</c> (registered key ⇒ registered production, as D-02);
    /// anything else, a later <c>v=…</c> included, is an extension.
    /// </remarks>
    public static readonly Parser<char, TlsRptField> Field = Ref(static () => Registered).Rule(RuleNames.TlsRptField);

    /// <summary><c>tlsrpt-version = %s"v=TLSRPTv1"</c> (RFC 8460 §3; case-sensitive, T-01).</summary>
    public static readonly Parser<char, string> Version = Sensitive("v=TLSRPTv1").Rule(RuleNames.TlsRptVersion);

    /// <summary><c>tlsrpt-rua = %s"rua=" tlsrpt-uri *(*WSP "," *WSP tlsrpt-uri)</c> (RFC 8460 §3; T-03).</summary>
    /// <remarks>
    /// <c>Try</c> on <c>*WSP ","</c>: WSP after a URI may also begin the <c>field-delim</c> that ends the field; only the
    /// character after it tells.
    /// </remarks>
    public static readonly Parser<char, Seq<TlsRptUriText>> Rua =
        RuaName.Then(
                Parser.Map(
                    static (first, rest) => Prelude.Seq1(first) + rest.ToSeq(),
                    Ref(static () => Uri),
                    Parser.Try(Star(Wsp).Then(Comma)).Then(Star(Wsp)).Then(Ref(static () => Uri)).Many()))
            .Rule(RuleNames.TlsRptRua);

    /// <summary>
    /// <c>tlsrpt-uri = URI ; "URI" is imported from [RFC3986]; commas (ASCII 0x2C), exclamation points (ASCII 0x21),
    /// and semicolons (ASCII 0x3B) MUST be encoded</c> (RFC 8460 §3; T-02).
    /// </summary>
    /// <remarks>
    /// The run of <see cref="TlsRptUriChar"/> is read, then must be one RFC 3986 <c>URI</c> (<see cref="UriGrammar.Uri"/>)
    /// with no raw '!'; a failure is reported at its position in the record with the URI rule that failed.
    /// </remarks>
    public static readonly Parser<char, TlsRptUriText> Uri =
        Plus(TlsRptUriChar).Text()
            .Select(static text => (Text: text, Parsed: UriGrammar.WholeUri.Parse(text)))
            .Check(static uri => UriViolation(uri.Text, uri.Parsed))
            .Select(static uri => new TlsRptUriText(uri.Text, uri.Parsed.Value))
            .Before(UriEnd)
            .Rule(RuleNames.TlsRptUri);

    /// <summary><c>tlsrpt-extension = tlsrpt-ext-name "=" tlsrpt-ext-value</c> (RFC 8460 §3; T-05).</summary>
    public static readonly Parser<char, Extension> Extension =
        Parser.Map(static (name, value) => new Extension(name, value), Ref(static () => ExtName).Before(EqualsSign), Ref(static () => ExtValue))
            .Rule(RuleNames.TlsRptExtension);

    /// <summary><c>tlsrpt-ext-name = (ALPHA / DIGIT) *31(ALPHA / DIGIT / "_" / "-" / ".")</c> (RFC 8460 §3; T-05).</summary>
    public static readonly Parser<char, string> ExtName = AlphaDigit.Then(Repeat(0, 31, AlphaDigit | '_' | '-' | '.')).Text().Rule(RuleNames.TlsRptExtName);

    /// <summary><c>tlsrpt-ext-value = 1*(%x21-3A / %x3C / %x3E-7E) ; chars excluding "=", ";", SP, and control chars</c> (RFC 8460 §3; T-05).</summary>
    public static readonly Parser<char, string> ExtValue =
        Plus(Range('\x21', '\x3A') | Hex('\x3C') | Range('\x3E', '\x7E')).Text().Before(ValueEnd).Rule(RuleNames.TlsRptExtValue);

    /// <summary>The names of the registered fields (T-05): <c>rua</c>.</summary>
    public static System.Collections.Generic.HashSet<string> RegisteredNames => Registered.Names;

    /// <summary>T-05: the registered field (<c>rua</c>) with its production; anything else is an extension.</summary>
    private static readonly KeyDispatch<TlsRptField> Registered = DispatchOnKey(
        '=',
        Located(Extension, static (offset, ext) => (TlsRptField)new TlsRptField.Ext(offset, ext)),
        (RuaName, Located(Rua, static (offset, uris) => (TlsRptField)new TlsRptField.Rua(offset, uris))));

    /// <summary>T-02 over a URI's text: a raw '!' (must be %21), or where and why it is not an RFC 3986 <c>URI</c>.</summary>
    private static Violation? UriViolation(string text, Result<char, UriParts> parsed)
    {
        var bang = text.IndexOf('!', StringComparison.Ordinal);
        if (bang >= 0)
        {
            return new Violation(bang, "'!' must be percent-encoded as %21 inside a tlsrpt-uri (RFC 8460 §3, T-02)");
        }

        if (parsed.Success)
        {
            return null;
        }

        var error = new SourceMap(text).SyntaxError(parsed.Error!, text, RuleNames.Uri);
        return new Violation(error.Column - 1, $"not an RFC 3986 URI (T-02): {error.Message ?? $"expected {string.Join(" or ", error.Expected)}, found {error.Found}"} ({error.Rule})");
    }
}

/// <summary>One <c>tlsrpt-uri</c> as read: its text exactly as written (T-02) and its RFC 3986 parts.</summary>
/// <param name="Text">The URI text.</param>
/// <param name="Parts">Scheme and host.</param>
internal sealed record TlsRptUriText(string Text, UriParts Parts);

/// <summary>One field of a TLSRPT record, as the grammar read it, with its offset in the parsed text.</summary>
internal abstract record TlsRptField(int Offset)
{
    /// <summary><c>tlsrpt-version</c> (only the first field).</summary>
    public sealed record Version(int Offset) : TlsRptField(Offset);

    /// <summary><c>tlsrpt-rua</c>, its URIs in order.</summary>
    public sealed record Rua(int Offset, Seq<TlsRptUriText> Uris) : TlsRptField(Offset);

    /// <summary><c>tlsrpt-extension</c>.</summary>
    public sealed record Ext(int Offset, Extension Extension) : TlsRptField(Offset);
}
