// RFC 3986 Appendix A, the rules RFC 8460 §3 imports for tlsrpt-uri (verbatim, in the RFC's order;
// URI-reference, absolute-URI, relative-ref, relative-part, path-noscheme and path are not
// reachable from URI and are left out):
//
//   URI           = scheme ":" hier-part [ "?" query ] [ "#" fragment ]
//
//   hier-part     = "//" authority path-abempty
//                 / path-absolute
//                 / path-rootless
//                 / path-empty
//
//   scheme        = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )
//
//   authority     = [ userinfo "@" ] host [ ":" port ]
//   userinfo      = *( unreserved / pct-encoded / sub-delims / ":" )
//   host          = IP-literal / IPv4address / reg-name
//   port          = *DIGIT
//
//   IP-literal    = "[" ( IPv6address / IPvFuture  ) "]"
//
//   IPvFuture     = "v" 1*HEXDIG "." 1*( unreserved / sub-delims / ":" )
//
//   IPv6address   =                            6( h16 ":" ) ls32
//                 /                       "::" 5( h16 ":" ) ls32
//                 / [               h16 ] "::" 4( h16 ":" ) ls32
//                 / [ *1( h16 ":" ) h16 ] "::" 3( h16 ":" ) ls32
//                 / [ *2( h16 ":" ) h16 ] "::" 2( h16 ":" ) ls32
//                 / [ *3( h16 ":" ) h16 ] "::"    h16 ":"   ls32
//                 / [ *4( h16 ":" ) h16 ] "::"              ls32
//                 / [ *5( h16 ":" ) h16 ] "::"              h16
//                 / [ *6( h16 ":" ) h16 ] "::"
//
//   h16           = 1*4HEXDIG
//   ls32          = ( h16 ":" h16 ) / IPv4address
//   IPv4address   = dec-octet "." dec-octet "." dec-octet "." dec-octet
//
//   dec-octet     = DIGIT                 ; 0-9
//                 / %x31-39 DIGIT         ; 10-99
//                 / "1" 2DIGIT            ; 100-199
//                 / "2" %x30-34 DIGIT     ; 200-249
//                 / "25" %x30-35          ; 250-255
//
//   reg-name      = *( unreserved / pct-encoded / sub-delims )
//
//   path-abempty  = *( "/" segment )
//   path-absolute = "/" [ segment-nz *( "/" segment ) ]
//   path-rootless = segment-nz *( "/" segment )
//   path-empty    = 0<pchar>
//
//   segment       = *pchar
//   segment-nz    = 1*pchar
//
//   pchar         = unreserved / pct-encoded / sub-delims / ":" / "@"
//
//   query         = *( pchar / "/" / "?" )
//
//   fragment      = *( pchar / "/" / "?" )
//
//   pct-encoded   = "%" HEXDIG HEXDIG
//
//   unreserved    = ALPHA / DIGIT / "-" / "." / "_" / "~"
//   reserved      = gen-delims / sub-delims
//   gen-delims    = ":" / "/" / "?" / "#" / "[" / "]" / "@"
//   sub-delims    = "!" / "$" / "&" / "'" / "(" / ")"
//                 / "*" / "+" / "," / ";" / "="
//
// and from RFC 5234 Appendix B.1:
//
//   HEXDIG         =  DIGIT / "A" / "B" / "C" / "D" / "E" / "F"
using Pidgin;
using static MtaSts.Functional.Syntax.Abnf;
using static MtaSts.Functional.Syntax.CharClass;
using static MtaSts.Functional.Syntax.CoreRules;
using PUnit = Pidgin.Unit;

namespace MtaSts.Functional.Syntax;

/// <summary>
/// RFC 3986 Appendix A <c>URI</c> and the rules it needs, one parser per ABNF rule, top-down in the
/// RFC's order, built from the RFC 5234 core rules. The value of <see cref="Uri"/> is its scheme and,
/// when it has an authority, its host (what RFC 8460 §3 / T-08 need to tell a usable destination).
/// </summary>
internal static class UriGrammar
{
    private static readonly Literal Colon = Insensitive(":");
    private static readonly Literal Slash = Insensitive("/");
    private static readonly Literal DoubleSlash = Insensitive("//");
    private static readonly Literal QuestionMark = Insensitive("?");
    private static readonly Literal Hash = Insensitive("#");
    private static readonly Literal At = Insensitive("@");
    private static readonly Literal Dot = Insensitive(".");
    private static readonly Literal Percent = Insensitive("%");

    /// <summary><c>URI = scheme ":" hier-part [ "?" query ] [ "#" fragment ]</c> (RFC 3986 §3, App. A).</summary>
    public static readonly Parser<char, UriParts> Uri =
        Parser.Map(
                static (scheme, host, _, _) => new UriParts(scheme, host),
                Ref(static () => Scheme).Before(Colon),
                Ref(static () => HierPart),
                Optional(QuestionMark.Then(Ref(static () => Query)), QuestionMark.First),
                Optional(Hash.Then(Ref(static () => Fragment)), Hash.First))
            .Rule(RuleNames.Uri);

    /// <summary>
    /// <c>hier-part = "//" authority path-abempty / path-absolute / path-rootless / path-empty</c> (RFC 3986 §3, App. A).
    /// The value is the authority's host, or null when there is no authority.
    /// </summary>
    /// <remarks>
    /// <c>Try</c> on <c>"//"</c> only: a single <c>/</c> must fall back to <c>path-absolute</c> (one character of lookahead).
    /// <c>path-empty</c> matches nothing, so it is the alternative that always succeeds.
    /// </remarks>
    public static readonly Parser<char, string?> HierPart =
        Parser.OneOf<char, string?>(
                Parser.Try(DoubleSlash).Then(Ref(static () => Authority)).Before(Ref(static () => PathAbempty)).Select(static host => (string?)host),
                Ref(static () => PathAbsolute).ThenReturn((string?)null),
                Ref(static () => PathRootless).ThenReturn((string?)null),
                Ref(static () => PathEmpty).ThenReturn((string?)null))
            .Rule(RuleNames.HierPart);

    /// <summary><c>scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )</c> (RFC 3986 §3.1).</summary>
    public static readonly Parser<char, string> Scheme = Alpha.Then(Star(Alpha | Digit | '+' | '-' | '.')).Text().Rule(RuleNames.Scheme);

    /// <summary><c>authority = [ userinfo "@" ] host [ ":" port ]</c> (RFC 3986 §3.2); the value is the host.</summary>
    /// <remarks>
    /// <c>userinfo</c> and <c>reg-name</c> share their characters (and <c>userinfo</c> may hold the <c>":"</c> of a port),
    /// so whether the text is <c>userinfo</c> is only known at the <c>"@"</c>: <c>Try</c> backtracks to <c>host</c> without one.
    /// </remarks>
    public static readonly Parser<char, string> Authority =
        Parser.Try(Ref(static () => Userinfo).Then(At)).Optional()
            .Then(Ref(static () => Host))
            .Before(Optional(Colon.Then(Ref(static () => Port)), Colon.First))
            .Rule(RuleNames.Authority);

    /// <summary><c>userinfo = *( unreserved / pct-encoded / sub-delims / ":" )</c> (RFC 3986 §3.2.1).</summary>
    public static readonly Parser<char, PUnit> Userinfo = Ref(static () => StarWithPct(Unreserved | SubDelims | ':')).Rule(RuleNames.Userinfo);

    /// <summary><c>host = IP-literal / IPv4address / reg-name</c> (RFC 3986 §3.2.2); the value is the host's text.</summary>
    /// <remarks>
    /// A PEG takes the first alternative that matches, and every <c>IPv4address</c> prefix is also the start of a
    /// <c>reg-name</c> (<c>1.2.3.45x</c>): <c>IPv4address</c> counts only when no <c>reg-name</c> character follows
    /// (<c>Try</c>, then <c>Not</c>), which is the ABNF's language.
    /// </remarks>
    public static readonly Parser<char, string> Host =
        Parser.OneOf(
                Ref(static () => IpLiteral),
                Parser.Try(Ref(static () => IPv4Address).Before(Parser.Not(Classes.Unreserved | Classes.SubDelims | '%'))),
                Ref(static () => RegName))
            .Text()
            .Rule(RuleNames.Host);

    /// <summary><c>port = *DIGIT</c> (RFC 3986 §3.2.3).</summary>
    public static readonly Parser<char, PUnit> Port = Star(Digit).Rule(RuleNames.Port);

    /// <summary><c>IP-literal = "[" ( IPv6address / IPvFuture ) "]"</c> (RFC 3986 §3.2.2).</summary>
    public static readonly Parser<char, PUnit> IpLiteral =
        Insensitive("[").Then(Parser.OneOf(Ref(static () => IPvFuture), Ref(static () => IPv6Address))).Before(Insensitive("]"))
            .Rule(RuleNames.IpLiteral);

    /// <summary><c>IPvFuture = "v" 1*HEXDIG "." 1*( unreserved / sub-delims / ":" )</c> (RFC 3986 §3.2.2).</summary>
    /// <remarks>Tried first: its <c>"v"</c> cannot start an <c>IPv6address</c>, so the choice needs no backtracking.</remarks>
    public static readonly Parser<char, PUnit> IPvFuture =
        Insensitive("v").Then(Plus(HexDig)).Then(Dot).Then(Plus(Unreserved | SubDelims | ':')).Rule(RuleNames.IPvFuture);

    /// <summary>The nine alternatives of <c>IPv6address</c> (RFC 3986 §3.2.2; see the ABNF at the top of the file).</summary>
    /// <remarks>
    /// Read as the run of <c>HEXDIG / ":" / "."</c> it consists of, checked against the nine alternatives by counting
    /// the pieces around the one <c>"::"</c> (<see cref="IPv6Violation"/>): the same language, without trying nine
    /// alternatives with backtracking. Each piece is an <see cref="H16"/>, the last may be an <see cref="IPv4Address"/> (<c>ls32</c>).
    /// </remarks>
    public static readonly Parser<char, PUnit> IPv6Address =
        Plus(HexDig | ':' | '.').Text().Check(IPv6Violation).IgnoreResult().Rule(RuleNames.IPv6Address);

    /// <summary><c>h16 = 1*4HEXDIG</c> (RFC 3986 §3.2.2).</summary>
    public static readonly Parser<char, PUnit> H16 = Repeat(1, 4, HexDig).Rule(RuleNames.H16);

    /// <summary><c>ls32 = ( h16 ":" h16 ) / IPv4address</c> (RFC 3986 §3.2.2).</summary>
    /// <remarks><c>Try</c>: <c>12.</c> starts both an <c>h16</c> and an <c>IPv4address</c>; only the next character tells.</remarks>
    public static readonly Parser<char, PUnit> Ls32 =
        Parser.OneOf(Parser.Try(H16.Then(Colon).Then(H16)), Ref(static () => IPv4Address)).Rule(RuleNames.Ls32);

    /// <summary><c>IPv4address = dec-octet "." dec-octet "." dec-octet "." dec-octet</c> (RFC 3986 §3.2.2).</summary>
    public static readonly Parser<char, PUnit> IPv4Address =
        Ref(static () => DecOctet).Then(Dot).Then(Ref(static () => DecOctet)).Then(Dot).Then(Ref(static () => DecOctet)).Then(Dot).Then(Ref(static () => DecOctet))
            .Rule(RuleNames.IPv4Address);

    /// <summary><c>dec-octet = DIGIT / %x31-39 DIGIT / "1" 2DIGIT / "2" %x30-34 DIGIT / "25" %x30-35</c> (RFC 3986 §3.2.2).</summary>
    /// <remarks>A PEG commits to the first alternative that matches, so the longest come first, each under <c>Try</c>.</remarks>
    public static readonly Parser<char, PUnit> DecOctet =
        Parser.OneOf(
                Parser.Try(Sensitive("25").Then(Range('0', '5')).IgnoreResult()),
                Parser.Try(Sensitive("2").Then(Range('0', '4')).Then(Digit).IgnoreResult()),
                Parser.Try(Sensitive("1").Then(Repeat(2, 2, Digit))),
                Parser.Try(Range('1', '9').Then(Digit).IgnoreResult()),
                Digit.IgnoreResult())
            .Rule(RuleNames.DecOctet);

    /// <summary><c>reg-name = *( unreserved / pct-encoded / sub-delims )</c> (RFC 3986 §3.2.2).</summary>
    public static readonly Parser<char, PUnit> RegName = Ref(static () => StarWithPct(Unreserved | SubDelims)).Rule(RuleNames.RegName);

    /// <summary><c>path-abempty = *( "/" segment )</c> (RFC 3986 §3.3).</summary>
    public static readonly Parser<char, PUnit> PathAbempty = Star(Slash.Then(Ref(static () => Segment)), Slash.First).Rule(RuleNames.PathAbempty);

    /// <summary><c>path-absolute = "/" [ segment-nz *( "/" segment ) ]</c> (RFC 3986 §3.3).</summary>
    public static readonly Parser<char, PUnit> PathAbsolute =
        Slash.Then(Optional(Ref(static () => SegmentNz).Then(Star(Slash.Then(Ref(static () => Segment)), Slash.First)), PcharFirst))
            .IgnoreResult()
            .Rule(RuleNames.PathAbsolute);

    /// <summary><c>path-rootless = segment-nz *( "/" segment )</c> (RFC 3986 §3.3).</summary>
    public static readonly Parser<char, PUnit> PathRootless =
        Ref(static () => SegmentNz).Then(Star(Slash.Then(Ref(static () => Segment)), Slash.First)).Rule(RuleNames.PathRootless);

    /// <summary><c>path-empty = 0&lt;pchar&gt;</c> (RFC 3986 §3.3): nothing.</summary>
    public static readonly Parser<char, PUnit> PathEmpty = Parser<char>.Return(PUnit.Value).Rule(RuleNames.PathEmpty);

    /// <summary><c>segment = *pchar</c> (RFC 3986 §3.3).</summary>
    public static readonly Parser<char, PUnit> Segment = Star(Ref(static () => Pchar), PcharFirst).Rule(RuleNames.Segment);

    /// <summary><c>segment-nz = 1*pchar</c> (RFC 3986 §3.3).</summary>
    public static readonly Parser<char, PUnit> SegmentNz = Ref(static () => Pchar).Then(Star(Ref(static () => Pchar), PcharFirst)).Rule(RuleNames.SegmentNz);

    /// <summary><c>pchar = unreserved / pct-encoded / sub-delims / ":" / "@"</c> (RFC 3986 §3.3).</summary>
    public static readonly Parser<char, PUnit> Pchar = Ref(static () => OneWithPct(Unreserved | SubDelims | ':' | '@')).Rule(RuleNames.Pchar);

    /// <summary><c>query = *( pchar / "/" / "?" )</c> (RFC 3986 §3.4).</summary>
    public static readonly Parser<char, PUnit> Query = Ref(static () => StarWithPct(Unreserved | SubDelims | ':' | '@' | '/' | '?')).Rule(RuleNames.Query);

    /// <summary><c>fragment = *( pchar / "/" / "?" )</c> (RFC 3986 §3.5).</summary>
    public static readonly Parser<char, PUnit> Fragment = Ref(static () => StarWithPct(Unreserved | SubDelims | ':' | '@' | '/' | '?')).Rule(RuleNames.Fragment);

    /// <summary><c>pct-encoded = "%" HEXDIG HEXDIG</c> (RFC 3986 §2.1).</summary>
    public static readonly Parser<char, PUnit> PctEncoded = Percent.Then(Repeat(2, 2, HexDig)).Rule(RuleNames.PctEncoded);

    /// <summary><c>unreserved = ALPHA / DIGIT / "-" / "." / "_" / "~"</c> (RFC 3986 §2.3).</summary>
    public static CharClass Unreserved => Classes.Unreserved;

    /// <summary><c>reserved = gen-delims / sub-delims</c> (RFC 3986 §2.2).</summary>
    public static CharClass Reserved => Classes.Reserved;

    /// <summary><c>gen-delims = ":" / "/" / "?" / "#" / "[" / "]" / "@"</c> (RFC 3986 §2.2).</summary>
    public static CharClass GenDelims => Classes.GenDelims;

    /// <summary><c>sub-delims = "!" / "$" / "&amp;" / "'" / "(" / ")" / "*" / "+" / "," / ";" / "="</c> (RFC 3986 §2.2).</summary>
    public static CharClass SubDelims => Classes.SubDelims;

    /// <summary><c>HEXDIG = DIGIT / "A" / "B" / "C" / "D" / "E" / "F"</c> (RFC 5234 App. B.1; ABNF strings are case-insensitive, so a-f too).</summary>
    public static CharClass HexDig => Classes.HexDig;

    /// <summary>The first characters of <c>pchar</c>.</summary>
    private static CharClass PcharFirst => Classes.PcharFirst;

    /// <summary>The whole-input URI parser (for a URI on its own).</summary>
    public static readonly Parser<char, UriParts> WholeUri = Grammar.Whole(Uri);

    /// <summary>Whether <paramref name="text"/> is exactly one RFC 3986 <c>URI</c>.</summary>
    public static bool IsUri(string text) => WholeUri.Parse(text).Success;

    /// <summary><c>*( class / pct-encoded )</c>.</summary>
    private static Parser<char, PUnit> StarWithPct(CharClass chars) => Star(OneWithPct(chars), chars | '%');

    /// <summary><c>class / pct-encoded</c>, one character or one escape.</summary>
    private static Parser<char, PUnit> OneWithPct(CharClass chars) => Parser.OneOf(chars.IgnoreResult(), PctEncoded);

    /// <summary>
    /// The character classes of RFC 3986 §2, built before the rules above use them (a nested class is
    /// initialised on first use, so the file can keep the RFC's order).
    /// </summary>
    private static class Classes
    {
        public static readonly CharClass Unreserved = (Alpha | Digit | '-' | '.' | '_' | '~').Named(RuleNames.Unreserved);
        private static readonly Lazy<CharClass> LazyReserved = new(static () => (GenDelims! | SubDelims!).Named(RuleNames.Reserved)); // read after the fields below exist
        public static readonly CharClass GenDelims = (Of(':') | '/' | '?' | '#' | '[' | ']' | '@').Named(RuleNames.GenDelims);
        public static readonly CharClass SubDelims = (Of('!') | '$' | '&' | '\'' | '(' | ')' | '*' | '+' | ',' | ';' | '=').Named(RuleNames.SubDelims);
        public static readonly CharClass HexDig = (Digit | Range('A', 'F') | Range('a', 'f')).Named(RuleNames.HexDig);
        public static readonly CharClass PcharFirst = Unreserved | SubDelims | ':' | '@' | '%';

        public static CharClass Reserved => LazyReserved.Value;
    }

    /// <summary>
    /// The nine <c>IPv6address</c> alternatives over its text: at most one <c>"::"</c>; every piece an <c>h16</c>
    /// except a last <c>IPv4address</c> (which counts for two); eight pieces without <c>"::"</c>, at most seven with it.
    /// </summary>
    private static Violation? IPv6Violation(string text)
    {
        var elided = text.IndexOf("::", StringComparison.Ordinal);
        var again = text.IndexOf("::", elided + 1, StringComparison.Ordinal); // without a first "::" this looks from 0 and finds none
        if (again != -1)
        {
            return new Violation(again, "an IPv6address has at most one \"::\"");
        }

        var whole = elided < 0; // no "::": one run of pieces, whose last may be an IPv4address
        var head = whole ? text : text[..elided];
        var tail = whole ? string.Empty : text[(elided + 2)..];
        var pieces = 0;
        foreach (var (part, offset, last) in new[] { (head, 0, whole), (tail, elided + 2, true) })
        {
            if (part.Length == 0)
            {
                continue;
            }

            var items = part.Split(':');
            var at = offset;
            for (var i = 0; i < items.Length; i++)
            {
                var item = items[i];
                var isV4 = last && i == items.Length - 1 && item.Contains('.', StringComparison.Ordinal);
                var ok = isV4 ? Grammar.Whole(IPv4Address).Parse(item).Success : item.Length is >= 1 and <= 4 && HexDig.All(item);
                if (!ok)
                {
                    return new Violation(at, isV4 ? "not an IPv4address (ls32)" : "not an h16 (1*4HEXDIG)");
                }

                pieces += isV4 ? 2 : 1;
                at += item.Length + 1;
            }
        }

        return (whole && pieces != 8) || (!whole && pieces > 7)
            ? new Violation(0, $"an IPv6address has 8 pieces of 16 bits, or at most 7 around \"::\"; this one has {pieces}")
            : null;
    }
}

/// <summary>What the TLSRPT rules need from a parsed <c>URI</c>: its scheme, and its host when it has an authority.</summary>
/// <param name="Scheme">The scheme as written.</param>
/// <param name="Host">The host text (possibly empty), or null without <c>"//" authority</c>.</param>
internal sealed record UriParts(string Scheme, string? Host);
