// RFC 8461 §3.2, the policy file (verbatim, page breaks removed):
//
//   sts-policy-record        = sts-policy-field *WSP
//                              *(sts-policy-term sts-policy-field *WSP)
//                              [sts-policy-term]
//
//   sts-policy-field         = sts-policy-version /      ; required once
//                              sts-policy-mode    /      ; required once
//                              sts-policy-max-age /      ; required once
//                              sts-policy-mx /
//                              ; required at least once, except when
//                              ; mode is "none"
//                              sts-policy-extension      ; other fields
//
//   sts-policy-field-delim   = ":" *WSP
//
//   sts-policy-version     = sts-policy-version-field sts-policy-field-delim
//                            sts-policy-version-value
//
//   sts-policy-version-field = %s"version"
//
//   sts-policy-version-value = %s"STSv1"
//
//   sts-policy-mode          = sts-policy-mode-field sts-policy-field-delim
//                              sts-policy-mode-value
//
//   sts-policy-mode-field    = %s"mode"
//
//   sts-policy-mode-value    =  %s"testing" / %s"enforce" / %s"none"
//
//   sts-policy-mx            = sts-policy-mx-field sts-policy-field-delim
//                              sts-policy-mx-value
//
//   sts-policy-mx-field      = %s"mx"
//
//   sts-policy-mx-value      = ["*."] Domain
//
//   sts-policy-max-age     = sts-policy-max-age-field sts-policy-field-delim
//                            sts-policy-max-age-value
//
//   sts-policy-max-age-field = %s"max_age"
//
//   sts-policy-max-age-value = 1*10(DIGIT)
//
//   sts-policy-extension     = sts-policy-ext-name    ; additional
//                              sts-policy-field-delim ; extension
//                              sts-policy-ext-value   ; fields
//
//   sts-policy-ext-name      = (sts-policy-alphanum)
//                              *31(sta-policy-alphanum / "_" / "-" / ".")
//
//   sts-policy-term          = LF / CRLF
//
//   sts-policy-ext-value     = sts-policy-vchar
//                              [*(%x20 / sts-policy-vchar)
//                              sts-policy-vchar]
//                              ; chars, including UTF-8 [RFC3629],
//                              ; excluding CTLs and no
//                              ; leading/trailing spaces
//
//   sts-policy-alphanum     = ALPHA / DIGIT
//
//   sts-policy-vchar        = %x21-7E / UTF8-2 / UTF8-3 / UTF8-4
//
//   UTF8-2          =   <Defined in Section 4 of [RFC3629]>
//
//   UTF8-3          =   <Defined in Section 4 of [RFC3629]>
//
//   UTF8-4          =   <Defined in Section 4 of [RFC3629]>
//
//   Domain          =   <Defined in Section 4.1.2 of [RFC5321]>
using Pidgin;
using static MtaSts.Functional.Syntax.Abnf;
using static MtaSts.Functional.Syntax.CharClass;
using static MtaSts.Functional.Syntax.CoreRules;
using Mode = MtaSts.Functional.PolicyMode;
using PUnit = Pidgin.Unit;

namespace MtaSts.Functional.Syntax;

/// <summary>
/// RFC 8461 §3.2, the policy file: one parser per ABNF rule, in the RFC's order, built from the RFC 5234
/// core rules, RFC 3629 (<see cref="Utf8Rules"/>) and RFC 5321 (<see cref="DomainGrammar"/>). Syntax only:
/// required fields, first-wins duplicates and the <c>max_age</c> clamp are <see cref="PolicySemantics"/>.
/// </summary>
internal static class PolicyGrammar
{
    /// <summary><c>%x21-7E / UTF8-2 / UTF8-3</c>: the vchars that are one UTF-16 unit.</summary>
    private static readonly CharClass SingleUnitVchar = Range('\x21', '\x7E') | Utf8Rules.Utf8_2 | Utf8Rules.Utf8_3;

    /// <summary>
    /// What may follow a registered value: WSP, a line end or the end of input. Checked without consuming
    /// so that <c>mode: enforcing</c> is blamed on <c>sts-policy-mode-value</c> at the <c>i</c>; the language
    /// is unchanged because nothing else may follow a value.
    /// </summary>
    private static readonly Parser<char, PUnit> ValueEnd = Blame.ValueEndsBefore(Wsp | Cr | Lf);

    /// <summary>
    /// <c>sts-policy-record = sts-policy-field *WSP *(sts-policy-term sts-policy-field *WSP) [sts-policy-term]</c>
    /// (RFC 8461 §3.2; D-05).
    /// </summary>
    /// <remarks>
    /// Read as <c>field *WSP *(term (field *WSP / end))</c>, where a field line must be followed by a line
    /// end or the end of input: after a line end another field is required unless the input ends, so a
    /// blank line or a doubled final newline is an error (D-05) — the same language, without backtracking.
    /// </remarks>
    public static readonly Parser<char, IReadOnlyList<PolicyLine>> PolicyRecord =
        SeparatedList(
                first: Ref(static () => PolicyField).Before(Star(Wsp)),
                delimiter: Ref(static () => PolicyTerm),
                delimiterStarts: Lf | Cr,
                element: Ref(static () => PolicyField).Before(Star(Wsp)),
                minElements: 0)
            .Before(Parser<char>.End)
            .Rule(RuleNames.PolicyRecord);

    /// <summary>
    /// <c>sts-policy-field = sts-policy-version / sts-policy-mode / sts-policy-max-age / sts-policy-mx / sts-policy-extension</c>
    /// (RFC 8461 §3.2; D-02).
    /// </summary>
    /// <remarks>
    /// D-02: a line whose (case-sensitive) name is a registered key must satisfy that key's production; it
    /// is never re-read as an extension. <c>Mode:</c> or <c>MX:</c> are extensions (D-01).
    /// </remarks>
    public static readonly Parser<char, PolicyLine> PolicyField = Ref(static () => Registered).Rule(RuleNames.PolicyField);

    /// <summary><c>sts-policy-field-delim = ":" *WSP</c> (RFC 8461 §3.2; no WSP before ':', D-05).</summary>
    public static readonly Parser<char, PUnit> PolicyFieldDelim = Insensitive(":").Then(Star(Wsp)).Rule(RuleNames.PolicyFieldDelim);

    /// <summary><c>sts-policy-version = sts-policy-version-field sts-policy-field-delim sts-policy-version-value</c> (RFC 8461 §3.2).</summary>
    public static readonly Parser<char, string> PolicyVersion =
        Ref(static () => PolicyVersionField).Then(PolicyFieldDelim).Then(Ref(static () => PolicyVersionValue)).Rule(RuleNames.PolicyVersion);

    /// <summary><c>sts-policy-version-field = %s"version"</c> (RFC 8461 §3.2; D-01).</summary>
    public static readonly Parser<char, string> PolicyVersionField = Sensitive("version").Rule(RuleNames.PolicyVersionField);

    /// <summary><c>sts-policy-version-value = %s"STSv1"</c> (RFC 8461 §3.2; D-01).</summary>
    public static readonly Parser<char, string> PolicyVersionValue = Sensitive("STSv1").Before(ValueEnd).Rule(RuleNames.PolicyVersionValue);

    /// <summary><c>sts-policy-mode = sts-policy-mode-field sts-policy-field-delim sts-policy-mode-value</c> (RFC 8461 §3.2).</summary>
    public static readonly Parser<char, Mode> PolicyMode =
        Ref(static () => PolicyModeField).Then(PolicyFieldDelim).Then(Ref(static () => PolicyModeValue)).Rule(RuleNames.PolicyMode);

    /// <summary><c>sts-policy-mode-field = %s"mode"</c> (RFC 8461 §3.2; D-01).</summary>
    public static readonly Parser<char, string> PolicyModeField = Sensitive("mode").Rule(RuleNames.PolicyModeField);

    /// <summary><c>sts-policy-mode-value = %s"testing" / %s"enforce" / %s"none"</c> (RFC 8461 §3.2; D-01).</summary>
    public static readonly Parser<char, Mode> PolicyModeValue =
        Choice((Sensitive("testing"), Mode.Testing), (Sensitive("enforce"), Mode.Enforce), (Sensitive("none"), Mode.None))
            .Before(ValueEnd)
            .Rule(RuleNames.PolicyModeValue);

    /// <summary><c>sts-policy-mx = sts-policy-mx-field sts-policy-field-delim sts-policy-mx-value</c> (RFC 8461 §3.2).</summary>
    public static readonly Parser<char, MxPattern> PolicyMx =
        Ref(static () => PolicyMxField).Then(PolicyFieldDelim).Then(Ref(static () => PolicyMxValue)).Rule(RuleNames.PolicyMx);

    /// <summary><c>sts-policy-mx-field = %s"mx"</c> (RFC 8461 §3.2; D-01).</summary>
    public static readonly Parser<char, string> PolicyMxField = Sensitive("mx").Rule(RuleNames.PolicyMxField);

    /// <summary><c>sts-policy-mx-value = ["*."] Domain</c> (RFC 8461 §3.2; D-06, F-04).</summary>
    /// <remarks>
    /// With the D-06 limits (labels ≤ 63, name ≤ 253, right-most label not all digits). A-labels only: a
    /// U-label fails <c>Domain</c>. The pattern is lower-cased here, once (F-04). The limits are checked
    /// once the value has ended, so that a bad character is reported where it is, not as a limit of the
    /// part before it.
    /// </remarks>
    public static readonly Parser<char, MxPattern> PolicyMxValue =
        Parser.Map(
                static (wildcard, domain) => wildcard
                    ? (MxPattern)new MxPattern.Wildcard(DomainName.Trusted(domain))
                    : new MxPattern.Exact(DomainName.Trusted(domain)),
                Optional(Insensitive("*.")),
                DomainGrammar.Domain.Before(ValueEnd).Check(DomainGrammar.LimitViolation))
            .Rule(RuleNames.PolicyMxValue);

    /// <summary><c>sts-policy-max-age = sts-policy-max-age-field sts-policy-field-delim sts-policy-max-age-value</c> (RFC 8461 §3.2).</summary>
    public static readonly Parser<char, (int ValueOffset, long Seconds)> PolicyMaxAge =
        Ref(static () => PolicyMaxAgeField).Then(PolicyFieldDelim).Then(Located(Ref(static () => PolicyMaxAgeValue), static (offset, seconds) => (offset, seconds)))
            .Rule(RuleNames.PolicyMaxAge);

    /// <summary><c>sts-policy-max-age-field = %s"max_age"</c> (RFC 8461 §3.2; D-01).</summary>
    public static readonly Parser<char, string> PolicyMaxAgeField = Sensitive("max_age").Rule(RuleNames.PolicyMaxAgeField);

    /// <summary><c>sts-policy-max-age-value = 1*10(DIGIT)</c> (RFC 8461 §3.2; D-04).</summary>
    /// <remarks>
    /// ASCII digits only: no sign, no space, no '_'. Ten digits need 64 bits; the value is computed digit
    /// by digit, never with <c>long.Parse</c> (which accepts signs and spaces).
    /// </remarks>
    public static readonly Parser<char, long> PolicyMaxAgeValue =
        Repeat(1, 10, Digit).Slice(static (digits, _) => Decimal(digits)).Before(ValueEnd).Rule(RuleNames.PolicyMaxAgeValue);

    /// <summary><c>sts-policy-extension = sts-policy-ext-name sts-policy-field-delim sts-policy-ext-value</c> (RFC 8461 §3.2; D-08).</summary>
    public static readonly Parser<char, Extension> PolicyExtension =
        Parser.Map(static (name, value) => new Extension(name, value), Ref(static () => PolicyExtName).Before(PolicyFieldDelim), Ref(static () => PolicyExtValue))
            .Rule(RuleNames.PolicyExtension);

    /// <summary><c>sts-policy-ext-name = (sts-policy-alphanum) *31(sta-policy-alphanum / "_" / "-" / ".")</c> (RFC 8461 §3.2; D-08).</summary>
    /// <remarks>The published <c>sta-</c> typo is read as <c>sts-policy-alphanum</c> (D-08).</remarks>
    public static readonly Parser<char, string> PolicyExtName =
        Ref(static () => PolicyAlphanum).Then(Ref(static () => PolicyAlphanumEtc)).Text().Rule(RuleNames.PolicyExtName);

    /// <summary><c>sts-policy-term = LF / CRLF</c> (RFC 8461 §3.2; both accepted and mixable, D-05).</summary>
    public static readonly Parser<char, PUnit> PolicyTerm = LfOrCrlf.Rule(RuleNames.PolicyTerm);

    /// <summary>
    /// <c>sts-policy-ext-value = sts-policy-vchar [*(%x20 / sts-policy-vchar) sts-policy-vchar]</c>
    /// (RFC 8461 §3.2; D-08): no CTLs, inner spaces only, no leading or trailing space.
    /// </summary>
    /// <remarks>
    /// Read as a vchar followed by runs of single-unit vchars or spaces and surrogate pairs; spaces at the
    /// end are not part of the value (they are the line's trailing <c>*WSP</c>, which the ABNF allows right
    /// there), so they are trimmed from the result: the same language and value, without backtracking.
    /// </remarks>
    public static readonly Parser<char, string> PolicyExtValue =
        Ref(static () => PolicyVchar).Then(Star(Parser.OneOf(Plus(Sp | SingleUnitVchar), Utf8Rules.Utf8_4.IgnoreResult()), Sp | SingleUnitVchar | Utf8Rules.HighSurrogate))
            .Slice(static (span, _) => span.TrimEnd(' ').ToString())
            .Before(ValueEnd)
            .Rule(RuleNames.PolicyExtValue);

    /// <summary><c>sts-policy-alphanum = ALPHA / DIGIT</c> (RFC 8461 §3.2).</summary>
    public static readonly CharClass PolicyAlphanum = AlphaDigit.Named(RuleNames.PolicyAlphanum);

    /// <summary><c>sts-policy-vchar = %x21-7E / UTF8-2 / UTF8-3 / UTF8-4</c> (RFC 8461 §3.2; C1 controls are UTF8-2, F-08).</summary>
    /// <remarks>The three single-unit alternatives are one class; <c>UTF8-4</c> is a surrogate pair.</remarks>
    public static readonly Parser<char, PUnit> PolicyVchar =
        Parser.OneOf(SingleUnitVchar.IgnoreResult(), Utf8Rules.Utf8_4.IgnoreResult()).Rule(RuleNames.PolicyVchar);

    /// <summary>The names of the registered fields (D-02): <c>version</c>, <c>mode</c>, <c>max_age</c>, <c>mx</c>.</summary>
    public static System.Collections.Generic.HashSet<string> RegisteredNames => Registered.Names;

    /// <summary><c>*31(sta-policy-alphanum / "_" / "-" / ".")</c> in <c>sts-policy-ext-name</c> (the typo read as <c>sts-policy-alphanum</c>, D-08).</summary>
    private static readonly Parser<char, PUnit> PolicyAlphanumEtc = Repeat(0, 31, PolicyAlphanum | '_' | '-' | '.');

    /// <summary>D-02: the registered fields, each with its production; anything else is an extension.</summary>
    private static readonly KeyDispatch<PolicyLine> Registered = DispatchOnKey(
        ':',
        Located(PolicyExtension, static (offset, ext) => (PolicyLine)new PolicyLine.ExtField(offset, ext)),
        (PolicyVersionField, Located(PolicyVersion, static (offset, _) => (PolicyLine)new PolicyLine.VersionField(offset))),
        (PolicyModeField, Located(PolicyMode, static (offset, mode) => (PolicyLine)new PolicyLine.ModeField(offset, mode))),
        (PolicyMaxAgeField, Located(PolicyMaxAge, static (offset, age) => (PolicyLine)new PolicyLine.MaxAgeField(offset, age.ValueOffset, age.Seconds))),
        (PolicyMxField, Located(PolicyMx, static (offset, mx) => (PolicyLine)new PolicyLine.MxField(offset, mx))));


    /// <summary>The value of ASCII decimal digits, digit by digit (never <c>long.Parse</c>, which accepts signs and spaces).</summary>
    private static long Decimal(ReadOnlySpan<char> digits)
    {
        long n = 0;
        foreach (var d in digits)
        {
            n = (n * 10) + (d - '0');
        }

        return n;
    }
}

/// <summary>One line of a policy, as the grammar read it, with its offset in the parsed text.</summary>
internal abstract record PolicyLine(int Offset)
{
    /// <summary><c>sts-policy-version</c>.</summary>
    public sealed record VersionField(int Offset) : PolicyLine(Offset);

    /// <summary><c>sts-policy-mode</c>.</summary>
    public sealed record ModeField(int Offset, Mode Mode) : PolicyLine(Offset);

    /// <summary><c>sts-policy-max-age</c>; <paramref name="ValueOffset"/> locates the digits for the D-04 warning.</summary>
    public sealed record MaxAgeField(int Offset, int ValueOffset, long Seconds) : PolicyLine(Offset);

    /// <summary><c>sts-policy-mx</c>.</summary>
    public sealed record MxField(int Offset, MxPattern Pattern) : PolicyLine(Offset);

    /// <summary><c>sts-policy-extension</c>.</summary>
    public sealed record ExtField(int Offset, Extension Extension) : PolicyLine(Offset);
}
