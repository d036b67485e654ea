using LanguageExt;
using Pidgin;
using static MtaSts.Functional.Syntax.CoreRules;
using static MtaSts.Functional.Syntax.RuleParsers;
using static Pidgin.Parser;

namespace MtaSts.Functional.Syntax;

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

/// <summary>
/// RFC 8461 §3.1, the <c>_mta-sts</c> TXT record, one parser per ABNF rule, leaves first.
/// Syntax only: which fields are required and which duplicate wins is RecordSemantics.
/// </summary>
internal static class RecordGrammar
{
    /// <summary><c>sts-version = %s"v=STSv1"</c> (RFC 8461 §3.1; case-sensitive, D-01).</summary>
    public static readonly Parser<char, string> Version = String("v=STSv1").Rule("sts-version");

    /// <summary>The value part of <c>sts-id</c>: <c>1*32(ALPHA / DIGIT)</c>.</summary>
    public static readonly Parser<char, string> IdValue = Repeat(IsAlphaDigit, "ALPHA / DIGIT", 1, 32);

    /// <summary>
    /// What may follow a field value: WSP, ';' or the end. Checked (without consuming) at the end of
    /// registered values so that a bad character is blamed on the value it spoils, not on the
    /// delimiter after it; the language is unchanged because nothing else may follow a value.
    /// </summary>
    private static readonly Parser<char, Pidgin.Unit> ValueEnd = ValueEndsBefore(static c => IsWsp(c) || c == ';');

    /// <summary><c>sts-id = %s"id=" 1*32(ALPHA / DIGIT) ; id=...</c> (RFC 8461 §3.1).</summary>
    public static readonly Parser<char, string> Id = String("id=").Then(IdValue).Before(ValueEnd).Rule("sts-id");

    /// <summary><c>sts-ext-name = (ALPHA / DIGIT) *31(ALPHA / DIGIT / "_" / "-" / ".")</c> (RFC 8461 §3.1).</summary>
    public static readonly Parser<char, string> ExtName =
        // Stryker disable once String : equivalent: a repetition with min 0 never fails, so its label is never shown.
        AlphaDigit.Then(SkipRepeat(static c => IsAlphaDigit(c) || c is '_' or '-' or '.', "ALPHA / DIGIT / \"_\" / \"-\" / \".\"", 0, 31)).Text().Rule("sts-ext-name");

    /// <summary>
    /// <c>sts-ext-value = 1*(%x21-3A / %x3C / %x3E-7E) ; chars excluding "=", ";", SP, and CTLs</c> (RFC 8461 §3.1).
    /// </summary>
    public static readonly Parser<char, string> ExtValue =
        SkipWhile1(static c => c is (>= '\x21' and <= '\x3A') or '\x3C' or (>= '\x3E' and <= '\x7E')).Text().Before(ValueEnd).Rule("sts-ext-value");

    /// <summary><c>sts-extension = sts-ext-name "=" sts-ext-value ; name=value</c> (RFC 8461 §3.1).</summary>
    public static readonly Parser<char, Extension> Extension =
        Map(static (name, value) => new Extension(name, value), ExtName.Before(Char('=')), ExtValue).Rule("sts-extension");

    /// <summary>
    /// <c>sts-field = sts-id / sts-extension ; Note that sts-id record is required.</c> (RFC 8461 §3.1).
    /// D-02: a field named <c>id</c> or <c>v</c> must satisfy its registered production; it is never
    /// re-read as an extension. A repeated <c>v=STSv1</c> is read as <c>sts-version</c> and ignored (D-03).
    /// </summary>
    public static readonly Parser<char, RecordField> Field =
        DispatchOnKey(
            Map(static (offset, ext) => (RecordField)new RecordField.Ext(offset, ext), Parser<char>.CurrentOffset, Extension),
            ("id=", Map(static (offset, id) => (RecordField)new RecordField.Id(offset, id), Parser<char>.CurrentOffset, Id)),
            ("v=", Map(static (offset, _) => (RecordField)new RecordField.Version(offset), Parser<char>.CurrentOffset, Version)))
        .Rule("sts-field");

    /// <summary><c>sts-field-delim = *WSP ";" *WSP</c> (RFC 8461 §3.1; WSP before ';' allowed, D-09). <c>*WSP</c> is a run of the <see cref="CoreRules.Wsp"/> class.</summary>
    public static readonly Parser<char, Pidgin.Unit> FieldDelim = SkipWhile(IsWsp).Then(Char(';')).Then(SkipWhile(IsWsp)).Rule("sts-field-delim");

    /// <summary>
    /// <c>sts-text-record = sts-version 1*(sts-field-delim sts-field) [sts-field-delim]</c> (RFC 8461 §3.1).
    /// Read as <c>sts-version sts-field-delim sts-field *(sts-field-delim (sts-field / end))</c>: after a
    /// delimiter a field is required unless the input ends, which is the same language without backtracking.
    /// </summary>
    public static readonly Parser<char, Seq<RecordField>> TextRecord =
        Map(
            static (version, first, rest) => Fields(version, first, rest),
            Map(static (offset, _) => (RecordField)new RecordField.Version(offset), Parser<char>.CurrentOffset, Version),
            FieldDelim.Then(Field),
            FieldDelim.Then(OneOf(Field.Cast<RecordField?>(), Parser<char>.End.ThenReturn<RecordField?>(null))).Many())
        .Before(Parser<char>.End)
        .Rule("sts-text-record");

    private static Seq<RecordField> Fields(RecordField version, RecordField first, IEnumerable<RecordField?> rest)
    {
        var fields = new List<RecordField> { version, first };
        foreach (var field in rest)
        {
            if (field is not null)
            {
                fields.Add(field);
            }
        }

        return fields.ToSeq();
    }
}
