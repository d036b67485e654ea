using System.Text;
using LanguageExt;
using MtaSts.Functional.Syntax;
using Pidgin;

namespace MtaSts.Functional;

/// <summary>
/// The <c>_mta-sts</c> TXT record (RFC 8461 §3.1): the policy id and any extension fields.
/// <see cref="Render"/> gives the canonical text; parsing it gives back an equal record.
/// </summary>
public sealed record StsRecord
{
    /// <summary>The only record version: <c>STSv1</c>.</summary>
    public const string Version = "STSv1";

    private static readonly System.Collections.Generic.HashSet<string> RegisteredFields = RecordGrammar.RegisteredNames;
    private static readonly (Parser<char, string>, string) WholeExtName = (Grammar.Whole(RecordGrammar.ExtName), RuleNames.ExtName);
    private static readonly (Parser<char, string>, string) WholeExtValue = (Grammar.Whole(RecordGrammar.ExtValue), RuleNames.ExtValue);

    private StsRecord(PolicyId id, Seq<Extension> extensions)
    {
        Id = id;
        Extensions = extensions;
    }

    /// <summary>The policy instance id; compare for equality only (C-03).</summary>
    public PolicyId Id { get; }

    /// <summary>Extension fields in input order (D-08); they never change a decision.</summary>
    public Seq<Extension> Extensions { get; }

    /// <summary>A record from its parts, checked against the grammar.</summary>
    /// <param name="id">The policy id.</param>
    /// <param name="extensions">Extension fields: names per <c>sts-ext-name</c> (not <c>v</c> or <c>id</c>, D-02), values per <c>sts-ext-value</c>.</param>
    /// <returns>The record, or every problem with the extensions.</returns>
    public static Either<MtaStsError, StsRecord> Create(PolicyId id, IEnumerable<Extension>? extensions = null)
    {
        var exts = (extensions ?? []).ToSeq().Strict();
        var errors = exts.Bind(static e => Grammar.ExtensionProblems(e, RegisteredFields, WholeExtName, WholeExtValue)).Strict();
        return errors.IsEmpty ? new StsRecord(id, exts) : MtaStsError.Of(errors);
    }

    /// <summary>Parses one TXT record (its strings already concatenated, D-10) strictly.</summary>
    /// <param name="text">The record text, e.g. <c>v=STSv1; id=20160831085700Z;</c>.</param>
    /// <returns>The record, or a positioned <see cref="MtaStsError.Syntax"/> / <see cref="MtaStsError.MissingField"/>.</returns>
    public static Either<MtaStsError, StsRecord> Parse(string? text) => RecordReader.Strict(text);

    /// <summary>
    /// Parses one TXT record in the given mode; the same result type as <see cref="Parse(string?)"/> (lenient
    /// repairs are made silently: use <see cref="ParseWithWarnings"/> to see them).
    /// </summary>
    /// <param name="text">The record text.</param>
    /// <param name="mode">Strict (D-09) or lenient (L-01..L-03).</param>
    /// <returns>The record, or the error.</returns>
    public static Either<MtaStsError, StsRecord> Parse(string? text, ParseMode mode) =>
        mode == ParseMode.Strict ? RecordReader.Strict(text) : ParseWithWarnings(text, mode).Map(static p => p.Value);

    /// <summary>Parses one TXT record in the given mode; lenient mode (L-01) reports what it repaired.</summary>
    /// <param name="text">The record text.</param>
    /// <param name="mode">Strict (D-09) or lenient (L-01..L-03).</param>
    /// <returns>The record with its warnings (none in strict mode), or the error.</returns>
    public static Either<MtaStsError, Parsed<StsRecord>> ParseWithWarnings(string? text, ParseMode mode) =>
        RecordReader.Read(text, mode).Map(static reading => reading.Parsed);

    /// <summary>
    /// The §3.1 record-set rule for the TXT records at <c>_mta-sts.&lt;domain&gt;</c> (D-10, D-11, F-05):
    /// each record's strings are concatenated without separators; with two or more records, those
    /// that do not begin with the 8 characters <c>v=STSv1;</c> are discarded; exactly one must remain
    /// and it must parse strictly. A lone record is simply parsed.
    /// </summary>
    /// <param name="records">The TXT RRset; each RR is the list of its character-strings. Empty = NXDOMAIN/NODATA.</param>
    /// <returns>The usable record, or <see cref="MtaStsError.NoUsableRecord"/> saying why.</returns>
    public static Either<MtaStsError, StsRecord> FromTxtRecords(IEnumerable<IReadOnlyList<string>>? records)
    {
        var texts = (records ?? []).Select(static rr => string.Concat(rr ?? [])).ToList();
        var candidates = texts.Count >= 2 ? texts.FindAll(static t => t.StartsWith("v=STSv1;", StringComparison.Ordinal)) : texts;
        return candidates.Count switch
        {
            0 => new MtaStsError.NoUsableRecord(UnusableRecordReason.None, 0, Option<MtaStsError>.None),
            1 when !candidates[0].StartsWith("v=STSv1", StringComparison.Ordinal) =>
                new MtaStsError.NoUsableRecord(UnusableRecordReason.None, 0, Option<MtaStsError>.None),
            1 => Parse(candidates[0]).MapLeft(static e => (MtaStsError)new MtaStsError.NoUsableRecord(UnusableRecordReason.Invalid, 1, e)),
            var n => new MtaStsError.NoUsableRecord(UnusableRecordReason.Several, n, Option<MtaStsError>.None),
        };
    }

    /// <summary>The canonical text: <c>v=STSv1; id=ID;</c> with each extension as <c>name=value;</c> after it.</summary>
    public string Render()
    {
        var sb = new StringBuilder("v=STSv1; id=").Append(Id.Value).Append(';');
        foreach (var e in Extensions)
        {
            sb.Append(' ').Append(e.Name).Append('=').Append(e.Value).Append(';');
        }

        return sb.ToString();
    }

    /// <inheritdoc cref="Render"/>
    public override string ToString() => Render();

    /// <summary>For the semantic pass, which has already checked everything.</summary>
    internal static StsRecord Trusted(PolicyId id, Seq<Extension> extensions) => new(id, extensions);
}
