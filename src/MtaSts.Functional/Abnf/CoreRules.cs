using Pidgin;
using static Pidgin.Parser;

namespace MtaSts.Functional.Syntax;

/// <summary>
/// RFC 5234 Appendix B.1 core rules, as far as RFC 8461 uses them. One field per rule, named
/// after it; each parser is labelled with the rule's ABNF name so errors can name it.
/// </summary>
internal static class CoreRules
{
    /// <summary><c>ALPHA = %x41-5A / %x61-7A ; A-Z / a-z</c> (RFC 5234 App. B.1).</summary>
    public static readonly Parser<char, char> Alpha = Parser<char>.Token(IsAlpha).Rule("ALPHA");

    /// <summary><c>DIGIT = %x30-39 ; 0-9</c> (RFC 5234 App. B.1). ASCII only: not <c>char.IsDigit</c>.</summary>
    public static readonly Parser<char, char> Digit = Parser<char>.Token(IsDigit).Rule("DIGIT");

    /// <summary><c>SP = %x20</c> (RFC 5234 App. B.1).</summary>
    public static readonly Parser<char, char> Sp = Char(' ').Rule("SP");

    /// <summary><c>HTAB = %x09 ; horizontal tab</c> (RFC 5234 App. B.1).</summary>
    public static readonly Parser<char, char> Htab = Char('\t').Rule("HTAB");

    /// <summary>
    /// <c>WSP = SP / HTAB ; white space</c> (RFC 5234 App. B.1). A choice between single characters is
    /// read as one token test, as ABNF's own <c>%x41-5A / %x61-7A</c> is for ALPHA: the same language,
    /// without a failed branch per character (which is what makes a Pidgin alternation slow).
    /// </summary>
    public static readonly Parser<char, char> Wsp = Parser<char>.Token(IsWsp).Rule("WSP");

    /// <summary><c>ALPHA / DIGIT</c>, the character class RFC 8461 and RFC 5321 use for names and ids (one token test).</summary>
    public static readonly Parser<char, char> AlphaDigit = Parser<char>.Token(IsAlphaDigit).Rule("ALPHA / DIGIT");

    /// <summary><c>CR = %x0D ; carriage return</c> (RFC 5234 App. B.1).</summary>
    public static readonly Parser<char, char> Cr = Char('\r').Rule("CR");

    /// <summary><c>LF = %x0A ; linefeed</c> (RFC 5234 App. B.1).</summary>
    public static readonly Parser<char, char> Lf = Char('\n').Rule("LF");

    /// <summary><c>CRLF = CR LF ; Internet standard newline</c> (RFC 5234 App. B.1).</summary>
    public static readonly Parser<char, string> Crlf = Cr.Then(Lf).Text().Rule("CRLF");

    /// <summary><c>ALPHA</c> as a predicate.</summary>
    public static bool IsAlpha(char c) => c is (>= 'A' and <= 'Z') or (>= 'a' and <= 'z');

    /// <summary><c>ALPHA / DIGIT</c> as a predicate.</summary>
    public static bool IsAlphaDigit(char c) => IsAlpha(c) || IsDigit(c);

    /// <summary><c>DIGIT</c> as a predicate.</summary>
    public static bool IsDigit(char c) => c is >= '0' and <= '9';

    /// <summary><c>WSP</c> as a predicate.</summary>
    public static bool IsWsp(char c) => c is ' ' or '\t';
}
