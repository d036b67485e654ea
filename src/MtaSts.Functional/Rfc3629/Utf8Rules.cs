// RFC 3629 §4, the UTF-8 rules RFC 8461 §3.2 imports (verbatim):
//
//   UTF8-2      = %xC2-DF UTF8-tail
//   UTF8-3      = %xE0 %xA0-BF UTF8-tail / %xE1-EC 2( UTF8-tail ) /
//                 %xED %x80-9F UTF8-tail / %xEE-EF 2( UTF8-tail )
//   UTF8-4      = %xF0 %x90-BF 2( UTF8-tail ) / %xF1-F3 3( UTF8-tail ) /
//                 %xF4 %x80-8F 2( UTF8-tail )
//   UTF8-tail   = %x80-BF
using Pidgin;
using static MtaSts.Functional.Syntax.CharClass;

namespace MtaSts.Functional.Syntax;

/// <summary>
/// RFC 3629 §4 multi-octet UTF-8 sequences, read over .NET's UTF-16 strings, in the RFC's order.
/// </summary>
/// <remarks>
/// A string cannot hold ill-formed UTF-8 (the caller's decoder has already refused or replaced it), so
/// each rule is the set of code points its octet pattern encodes: <c>UTF8-2</c> = U+0080..U+07FF,
/// <c>UTF8-3</c> = U+0800..U+FFFF without surrogates, <c>UTF8-4</c> = U+10000..U+10FFFF, which UTF-16
/// writes as a high surrogate followed by a low surrogate. A lone surrogate matches nothing.
/// </remarks>
internal static class Utf8Rules
{
    /// <summary>The first unit of a surrogate pair: what a <c>UTF8-4</c> starts with.</summary>
    public static readonly CharClass HighSurrogate = Range('\uD800', '\uDBFF');

    /// <summary>The second unit of a surrogate pair.</summary>
    private static readonly CharClass LowSurrogate = Range('\uDC00', '\uDFFF');

    /// <summary><c>UTF8-2 = %xC2-DF UTF8-tail</c> (RFC 3629 §4): code points U+0080..U+07FF, one UTF-16 unit.</summary>
    /// <remarks>C1 controls (U+0080..U+009F) are UTF8-2 (F-08).</remarks>
    public static readonly CharClass Utf8_2 = Range('\u0080', '\u07FF').Named(RuleNames.Utf8_2);

    /// <summary>
    /// <c>UTF8-3 = %xE0 %xA0-BF UTF8-tail / %xE1-EC 2( UTF8-tail ) / %xED %x80-9F UTF8-tail / %xEE-EF 2( UTF8-tail )</c>
    /// (RFC 3629 §4): code points U+0800..U+FFFF except the surrogates U+D800..U+DFFF, one UTF-16 unit.
    /// </summary>
    public static readonly CharClass Utf8_3 = (Range('\u0800', '\uD7FF') | Range('\uE000', '\uFFFF')).Named(RuleNames.Utf8_3);

    /// <summary>
    /// <c>UTF8-4 = %xF0 %x90-BF 2( UTF8-tail ) / %xF1-F3 3( UTF8-tail ) / %xF4 %x80-8F 2( UTF8-tail )</c>
    /// (RFC 3629 §4): code points U+10000..U+10FFFF, a UTF-16 surrogate pair.
    /// </summary>
    public static readonly Parser<char, string> Utf8_4 = HighSurrogate.Then(LowSurrogate).Text().Rule(RuleNames.Utf8_4);

}
