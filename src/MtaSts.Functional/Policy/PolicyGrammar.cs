using LanguageExt;
using Pidgin;
using static MtaSts.Functional.Syntax.CoreRules;
using static MtaSts.Functional.Syntax.RuleParsers;
using static Pidgin.Parser;
using Mode = MtaSts.Functional.PolicyMode;
using PUnit = Pidgin.Unit;

namespace MtaSts.Functional.Syntax;

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

/// <summary>
/// RFC 8461 §3.2, the policy file, one parser per ABNF rule, leaves first. Syntax only: required
/// fields, first-wins duplicates and the <c>max_age</c> clamp are PolicySemantics.
/// </summary>
internal static class PolicyGrammar
{
    /// <summary>
    /// <c>sts-policy-term = LF / CRLF</c> (RFC 8461 §3.2; both accepted and mixable, D-05). Read in one
    /// look at the next two characters (<see cref="RuleParsers.LineEnd"/>), with the outcome of
    /// <c>OneOf(Lf, Crlf)</c>: a bare CR is consumed and fails in <c>CRLF</c>, expecting <c>LF</c>.
    /// </summary>
    public static readonly Parser<char, PUnit> PolicyTerm = LineEnd.Rule("sts-policy-term");

    /// <summary><c>sts-policy-field-delim = ":" *WSP</c> (RFC 8461 §3.2; no WSP before ':', D-05).</summary>
    public static readonly Parser<char, PUnit> PolicyFieldDelim = Char(':').Then(SkipWhile(IsWsp)).Rule("sts-policy-field-delim");

    /// <summary>
    /// What may follow a registered value: WSP, a line end or the end of input. Checked without
    /// consuming so that <c>mode: enforcing</c> is blamed on <c>sts-policy-mode-value</c> at the
    /// <c>i</c>; the language is unchanged because nothing else may follow a value.
    /// </summary>
    private static readonly Parser<char, PUnit> ValueEnd = ValueEndsBefore(static c => c is ' ' or '\t' or '\r' or '\n');

    /// <summary><c>sts-policy-version-field = %s"version"</c> (RFC 8461 §3.2).</summary>
    public static readonly Parser<char, string> PolicyVersionField = String("version").Rule("sts-policy-version-field");

    /// <summary><c>sts-policy-version-value = %s"STSv1"</c> (RFC 8461 §3.2).</summary>
    public static readonly Parser<char, string> PolicyVersionValue = String("STSv1").Before(ValueEnd).Rule("sts-policy-version-value");

    /// <summary><c>sts-policy-version = sts-policy-version-field sts-policy-field-delim sts-policy-version-value</c> (RFC 8461 §3.2).</summary>
    public static readonly Parser<char, string> PolicyVersion =
        PolicyVersionField.Then(PolicyFieldDelim).Then(PolicyVersionValue).Rule("sts-policy-version");

    /// <summary><c>sts-policy-mode-field = %s"mode"</c> (RFC 8461 §3.2).</summary>
    public static readonly Parser<char, string> PolicyModeField = String("mode").Rule("sts-policy-mode-field");

    /// <summary><c>sts-policy-mode-value = %s"testing" / %s"enforce" / %s"none"</c> (RFC 8461 §3.2; case-sensitive, D-01).</summary>
    public static readonly Parser<char, Mode> PolicyModeValue =
        Literals(("testing", Mode.Testing), ("enforce", Mode.Enforce), ("none", Mode.None))
        .Before(ValueEnd)
        .Rule("sts-policy-mode-value");

    /// <summary><c>sts-policy-mode = sts-policy-mode-field sts-policy-field-delim sts-policy-mode-value</c> (RFC 8461 §3.2).</summary>
    public static readonly Parser<char, Mode> PolicyMode =
        PolicyModeField.Then(PolicyFieldDelim).Then(PolicyModeValue).Rule("sts-policy-mode");

    /// <summary><c>sts-policy-mx-field = %s"mx"</c> (RFC 8461 §3.2).</summary>
    public static readonly Parser<char, string> PolicyMxField = String("mx").Rule("sts-policy-mx-field");

    /// <summary>
    /// <c>sts-policy-mx-value = ["*."] Domain</c> (RFC 8461 §3.2), with the D-06 limits (labels ≤ 63,
    /// name ≤ 253, right-most label not all digits). A-labels only: a U-label fails <c>Domain</c>.
    /// The pattern is lower-cased here, once (F-04). The limits are checked once the value has
    /// ended, so that a bad character is reported where it is, not as a limit of the part before it.
    /// </summary>
    public static readonly Parser<char, MxPattern> PolicyMxValue =
        Map(
            static (wildcard, domain) => wildcard
                ? (MxPattern)new MxPattern.Wildcard(DomainName.Trusted(domain))
                : new MxPattern.Exact(DomainName.Trusted(domain)),
            OptionalLiteral("*."),
            DomainGrammar.Domain.Before(ValueEnd).Check(DomainGrammar.LimitViolation))
        .Rule("sts-policy-mx-value");

    /// <summary><c>sts-policy-mx = sts-policy-mx-field sts-policy-field-delim sts-policy-mx-value</c> (RFC 8461 §3.2).</summary>
    public static readonly Parser<char, MxPattern> PolicyMx = PolicyMxField.Then(PolicyFieldDelim).Then(PolicyMxValue).Rule("sts-policy-mx");

    /// <summary><c>sts-policy-max-age-field = %s"max_age"</c> (RFC 8461 §3.2).</summary>
    public static readonly Parser<char, string> PolicyMaxAgeField = String("max_age").Rule("sts-policy-max-age-field");

    /// <summary>
    /// <c>sts-policy-max-age-value = 1*10(DIGIT)</c> (RFC 8461 §3.2): ASCII digits only, no sign, no
    /// space, no '_' (D-04). Ten digits need 64 bits; the value is computed digit by digit, never with
    /// <c>long.Parse</c> (which accepts signs and spaces).
    /// </summary>
    public static readonly Parser<char, long> PolicyMaxAgeValue =
        // Stryker disable once String : equivalent: this label shows only when no digit was read, and then the rule's own name replaces it.
        SkipRepeat(IsDigit, "DIGIT", 1, 10).Slice(static (digits, _) => Decimal(digits)).Before(ValueEnd).Rule("sts-policy-max-age-value");

    /// <summary><c>sts-policy-max-age = sts-policy-max-age-field sts-policy-field-delim sts-policy-max-age-value</c> (RFC 8461 §3.2).</summary>
    public static readonly Parser<char, (int ValueOffset, long Seconds)> PolicyMaxAge =
        PolicyMaxAgeField.Then(PolicyFieldDelim)
            .Then(Map(static (offset, seconds) => (offset, seconds), Parser<char>.CurrentOffset, PolicyMaxAgeValue))
            .Rule("sts-policy-max-age");

    /// <summary><c>sts-policy-alphanum = ALPHA / DIGIT</c> (RFC 8461 §3.2).</summary>
    public static readonly Parser<char, char> PolicyAlphanum = Parser<char>.Token(IsAlphaDigit).Rule("sts-policy-alphanum");

    /// <summary>
    /// <c>sts-policy-ext-name = (sts-policy-alphanum) *31(sta-policy-alphanum / "_" / "-" / ".")</c>
    /// (RFC 8461 §3.2; the published <c>sta-</c> typo is read as <c>sts-policy-alphanum</c>, D-08).
    /// </summary>
    public static readonly Parser<char, string> PolicyExtName =
        // Stryker disable once String : equivalent: a repetition with min 0 never fails, so its label is never shown.
        PolicyAlphanum.Then(SkipRepeat(static c => IsAlphaDigit(c) || c is '_' or '-' or '.', "sts-policy-alphanum / \"_\" / \"-\" / \".\"", 0, 31)).Text().Rule("sts-policy-ext-name");

    /// <summary>
    /// <c>sts-policy-vchar = %x21-7E / UTF8-2 / UTF8-3 / UTF8-4</c> (RFC 8461 §3.2; C1 controls are UTF8-2, F-08).
    /// The three single-unit alternatives are one token test; <c>UTF8-4</c> is a surrogate pair.
    /// </summary>
    public static readonly Parser<char, PUnit> PolicyVchar =
        OneOf(
            Parser<char>.Token(IsSingleUnitVchar).IgnoreResult(),
            Utf8Rules.Utf8_4.IgnoreResult())
        .Rule("sts-policy-vchar");

    /// <summary>
    /// <c>sts-policy-ext-value = sts-policy-vchar [*(%x20 / sts-policy-vchar) sts-policy-vchar]</c>
    /// (RFC 8461 §3.2): no CTLs, inner spaces only, no leading or trailing space. Read as a vchar
    /// followed by runs of single-unit vchars or spaces and surrogate pairs; spaces at the end are not
    /// part of the value (they are the line's trailing <c>*WSP</c>, which the ABNF allows right there),
    /// so they are trimmed from the result: the same language and value, without backtracking.
    /// </summary>
    public static readonly Parser<char, string> PolicyExtValue =
        PolicyVchar
            .Then(OneOf(SkipWhile1(static c => c == ' ' || IsSingleUnitVchar(c)), Utf8Rules.Utf8_4.IgnoreResult()).SkipMany())
            .Slice(static (span, _) => span.TrimEnd(' ').ToString())
            .Before(ValueEnd)
            .Rule("sts-policy-ext-value");

    /// <summary><c>sts-policy-extension = sts-policy-ext-name sts-policy-field-delim sts-policy-ext-value</c> (RFC 8461 §3.2).</summary>
    public static readonly Parser<char, Extension> PolicyExtension =
        Map(static (name, value) => new Extension(name, value), PolicyExtName.Before(PolicyFieldDelim), PolicyExtValue).Rule("sts-policy-extension");

    /// <summary>
    /// <c>sts-policy-field = sts-policy-version / sts-policy-mode / sts-policy-max-age / sts-policy-mx / sts-policy-extension</c>
    /// (RFC 8461 §3.2). D-02: a line whose (case-sensitive) name is a registered key must satisfy that
    /// key's production; it is never re-read as an extension. <c>Mode:</c> or <c>MX:</c> are extensions (D-01).
    /// </summary>
    public static readonly Parser<char, PolicyLine> PolicyField =
        DispatchOnKey(
            Map(static (offset, ext) => (PolicyLine)new PolicyLine.ExtField(offset, ext), Parser<char>.CurrentOffset, PolicyExtension),
            ("version:", Map(static (offset, _) => (PolicyLine)new PolicyLine.VersionField(offset), Parser<char>.CurrentOffset, PolicyVersion)),
            ("mode:", Map(static (offset, mode) => (PolicyLine)new PolicyLine.ModeField(offset, mode), Parser<char>.CurrentOffset, PolicyMode)),
            ("max_age:", Map(static (offset, age) => (PolicyLine)new PolicyLine.MaxAgeField(offset, age.ValueOffset, age.Seconds), Parser<char>.CurrentOffset, PolicyMaxAge)),
            ("mx:", Map(static (offset, mx) => (PolicyLine)new PolicyLine.MxField(offset, mx), Parser<char>.CurrentOffset, PolicyMx)))
        .Rule("sts-policy-field");

    /// <summary>A field, its trailing WSP, and then a line end or the end of input (looked at, not consumed).</summary>
    private static readonly Parser<char, PolicyLine> FieldLine =
        PolicyField.Before(SkipWhile(IsWsp)).Before(Lookahead(OneOf(PolicyTerm, Parser<char>.End)));

    /// <summary>
    /// <c>sts-policy-record = sts-policy-field *WSP *(sts-policy-term sts-policy-field *WSP) [sts-policy-term]</c>
    /// (RFC 8461 §3.2). Read as <c>field *WSP *(term (field *WSP / end))</c>: after a line end another
    /// field is required unless the input ends, so a blank line or a doubled final newline is an
    /// error (D-05) — the same language, without backtracking.
    /// </summary>
    public static readonly Parser<char, Seq<PolicyLine>> PolicyRecord =
        Map(
            static (first, rest) => Fields(first, rest),
            FieldLine,
            PolicyTerm.Then(OneOf(FieldLine.Cast<PolicyLine?>(), Parser<char>.End.ThenReturn<PolicyLine?>(null))).Many())
        .Before(Parser<char>.End)
        .Rule("sts-policy-record");

    private static Seq<PolicyLine> Fields(PolicyLine first, IEnumerable<PolicyLine?> rest)
    {
        var fields = new List<PolicyLine> { first };
        foreach (var field in rest)
        {
            if (field is not null)
            {
                fields.Add(field);
            }
        }

        return fields.ToSeq();
    }

    /// <summary><c>%x21-7E / UTF8-2 / UTF8-3</c>: the vchars that are one UTF-16 unit.</summary>
    private static bool IsSingleUnitVchar(char c) => c is >= '\x21' and <= '\x7E' || Utf8Rules.IsUtf8_2(c) || Utf8Rules.IsUtf8_3(c);

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
