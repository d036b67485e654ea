// RFC 8461 §3.1, the _mta-sts TXT record (verbatim):
//
//   sts-text-record = sts-version 1*(sts-field-delim sts-field)
//                     [sts-field-delim]
//
//   sts-field       = sts-id /                 ; Note that sts-id record
//                     sts-extension            ; is required.
//
//   sts-field-delim = *WSP ";" *WSP
//
//   sts-version     = %s"v=STSv1"
//
//   sts-id          = %s"id=" 1*32(ALPHA / DIGIT)     ; id=...
//
//   sts-extension   = sts-ext-name "=" sts-ext-value  ; name=value
//
//   sts-ext-name    = (ALPHA / DIGIT)
//                     *31(ALPHA / DIGIT / "_" / "-" / ".")
//
//   sts-ext-value   = 1*(%x21-3A / %x3C / %x3E-7E)
//                     ; chars excluding "=", ";", SP, and CTLs
using Pidgin;
using static MtaSts.Functional.Syntax.Abnf;
using static MtaSts.Functional.Syntax.CharClass;
using static MtaSts.Functional.Syntax.CoreRules;
using PUnit = Pidgin.Unit;

namespace MtaSts.Functional.Syntax;

/// <summary>
/// RFC 8461 §3.1, the <c>_mta-sts</c> TXT record: one parser per ABNF rule, in the RFC's order, built
/// from the RFC 5234 core rules. Syntax only: which fields are required and which duplicate wins is
/// <see cref="RecordSemantics"/>.
/// </summary>
internal static class RecordGrammar
{
    /// <summary><c>%s"id="</c>, the start of <c>sts-id</c>.</summary>
    private static readonly Literal IdName = Sensitive("id=");

    /// <summary><c>";"</c> in <c>sts-field-delim</c>.</summary>
    private static readonly Literal Semicolon = Insensitive(";");

    /// <summary><c>"="</c> in <c>sts-extension</c>.</summary>
    private static readonly Literal EqualsSign = Insensitive("=");

    /// <summary>
    /// What may follow a field value: WSP, ';' or the end. Checked (without consuming) at the end of
    /// values so that a bad character is blamed on the value it spoils, not on the delimiter after it;
    /// the language is unchanged because nothing else may follow a value.
    /// </summary>
    private static readonly Parser<char, PUnit> ValueEnd = Blame.ValueEndsBefore(Wsp | Semicolon.First);

    /// <summary><c>sts-text-record = sts-version 1*(sts-field-delim sts-field) [sts-field-delim]</c> (RFC 8461 §3.1; D-09).</summary>
    /// <remarks>
    /// Read as <c>sts-version 1*(sts-field-delim (sts-field / end))</c>: after a delimiter a field is
    /// required unless the input ends, which is the same language without backtracking; after a field, what
    /// is neither a delimiter nor the end is an error that expects both.
    /// </remarks>
    public static readonly Parser<char, IReadOnlyList<RecordField>> TextRecord =
        SeparatedList(
                first: Located(Ref(static () => Version), static (offset, _) => (RecordField)new RecordField.Version(offset)),
                delimiter: Ref(static () => FieldDelim),
                delimiterStarts: Wsp | Semicolon.First,
                element: Ref(static () => Field),
                minElements: 1)
            .Before(Parser<char>.End)
            .Rule(RuleNames.TextRecord);

    /// <summary><c>sts-field = sts-id / sts-extension ; Note that sts-id record is required.</c> (RFC 8461 §3.1; D-02, D-03).</summary>
    /// <remarks>
    /// D-02: a field named <c>id</c> or <c>v</c> must satisfy its registered production; it is never
    /// re-read as an extension. A repeated <c>v=STSv1</c> is read as <c>sts-version</c> and ignored (D-03).
    /// </remarks>
    public static readonly Parser<char, RecordField> Field = Ref(static () => Registered).Rule(RuleNames.Field);

    /// <summary><c>sts-field-delim = *WSP ";" *WSP</c> (RFC 8461 §3.1; WSP before ';' allowed, D-09).</summary>
    public static readonly Parser<char, PUnit> FieldDelim = Star(Wsp).Then(Semicolon).Then(Star(Wsp)).Rule(RuleNames.FieldDelim);

    /// <summary><c>sts-version = %s"v=STSv1"</c> (RFC 8461 §3.1; case-sensitive, D-01).</summary>
    public static readonly Parser<char, string> Version = Sensitive("v=STSv1").Rule(RuleNames.Version);

    /// <summary><c>sts-id = %s"id=" 1*32(ALPHA / DIGIT) ; id=...</c> (RFC 8461 §3.1; D-09).</summary>
    public static readonly Parser<char, string> Id = IdName.Then(Ref(static () => IdValue)).Before(ValueEnd).Rule(RuleNames.Id);

    /// <summary>The value part of <c>sts-id</c>: <c>1*32(ALPHA / DIGIT)</c> (RFC 8461 §3.1), the text of a <see cref="PolicyId"/>.</summary>
    public static readonly Parser<char, string> IdValue = Repeat(1, 32, AlphaDigit).Text();

    /// <summary><c>sts-extension = sts-ext-name "=" sts-ext-value ; name=value</c> (RFC 8461 §3.1; D-08).</summary>
    public static readonly Parser<char, Extension> Extension =
        Parser.Map(static (name, value) => new Extension(name, value), Ref(static () => ExtName).Before(EqualsSign), Ref(static () => ExtValue))
            .Rule(RuleNames.Extension);

    /// <summary><c>sts-ext-name = (ALPHA / DIGIT) *31(ALPHA / DIGIT / "_" / "-" / ".")</c> (RFC 8461 §3.1; D-08).</summary>
    public static readonly Parser<char, string> ExtName = AlphaDigit.Then(Repeat(0, 31, AlphaDigit | '_' | '-' | '.')).Text().Rule(RuleNames.ExtName);

    /// <summary><c>sts-ext-value = 1*(%x21-3A / %x3C / %x3E-7E) ; chars excluding "=", ";", SP, and CTLs</c> (RFC 8461 §3.1; D-08).</summary>
    public static readonly Parser<char, string> ExtValue =
        Plus(Range('\x21', '\x3A') | Hex('\x3C') | Range('\x3E', '\x7E')).Text().Before(ValueEnd).Rule(RuleNames.ExtValue);

    /// <summary>The names of the registered fields (D-02): <c>v</c>, <c>id</c>.</summary>
    public static System.Collections.Generic.HashSet<string> RegisteredNames => Registered.Names;

    /// <summary>D-02: the registered fields, each with its production; anything else is an extension.</summary>
    private static readonly KeyDispatch<RecordField> Registered = DispatchOnKey(
        '=',
        Located(Extension, static (offset, ext) => (RecordField)new RecordField.Ext(offset, ext)),
        (IdName, Located(Id, static (offset, id) => (RecordField)new RecordField.Id(offset, id))),
        (Version, Located(Version, static (offset, _) => (RecordField)new RecordField.Version(offset))));
}

/// <summary>One field of a TXT record, as the grammar read it, with its offset in the parsed text.</summary>
internal abstract record RecordField(int Offset)
{
    /// <summary><c>sts-version</c> (the first, or a repeated one: D-03 ignores it).</summary>
    public sealed record Version(int Offset) : RecordField(Offset);

    /// <summary><c>sts-id</c>.</summary>
    public sealed record Id(int Offset, string Value) : RecordField(Offset);

    /// <summary><c>sts-extension</c>.</summary>
    public sealed record Ext(int Offset, Extension Extension) : RecordField(Offset);
}
