using Pidgin;

namespace MtaSts.Functional.Syntax;

/// <summary>
/// RFC 3629 §4 multi-octet UTF-8 sequences, read over .NET's UTF-16 strings. A string cannot hold
/// ill-formed UTF-8 (the caller's decoder has already refused or replaced it), so each rule is the
/// set of code points its octet pattern encodes: <c>UTF8-2</c> = U+0080..U+07FF,
/// <c>UTF8-3</c> = U+0800..U+FFFF without surrogates, <c>UTF8-4</c> = U+10000..U+10FFFF, which UTF-16
/// writes as a high surrogate followed by a low surrogate. A lone surrogate matches nothing.
/// </summary>
internal static class Utf8Rules
{
    /// <summary><c>UTF8-2 = %xC2-DF UTF8-tail</c> (RFC 3629 §4): code points U+0080..U+07FF.</summary>
    public static readonly Parser<char, char> Utf8_2 = Parser<char>.Token(IsUtf8_2).Rule("UTF8-2");

    /// <summary>
    /// <c>UTF8-3 = %xE0 %xA0-BF UTF8-tail / %xE1-EC 2( UTF8-tail ) / %xED %x80-9F UTF8-tail / %xEE-EF 2( UTF8-tail )</c>
    /// (RFC 3629 §4): code points U+0800..U+FFFF except the surrogates U+D800..U+DFFF.
    /// </summary>
    public static readonly Parser<char, char> Utf8_3 = Parser<char>.Token(IsUtf8_3).Rule("UTF8-3");

    /// <summary>
    /// <c>UTF8-4 = %xF0 %x90-BF 2( UTF8-tail ) / %xF1-F3 3( UTF8-tail ) / %xF4 %x80-8F 2( UTF8-tail )</c>
    /// (RFC 3629 §4): code points U+10000..U+10FFFF, a UTF-16 surrogate pair.
    /// </summary>
    public static readonly Parser<char, string> Utf8_4 =
        Parser<char>.Token(char.IsHighSurrogate).Then(Parser<char>.Token(char.IsLowSurrogate)).Text().Rule("UTF8-4");

    /// <summary><c>UTF8-2</c> as a predicate on one UTF-16 unit.</summary>
    public static bool IsUtf8_2(char c) => c is >= '\u0080' and <= '\u07FF';

    /// <summary><c>UTF8-3</c> as a predicate on one UTF-16 unit.</summary>
    public static bool IsUtf8_3(char c) => c >= '\u0800' && !char.IsSurrogate(c);
}
