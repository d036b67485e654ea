using System.Text;
using LanguageExt;
using MtaSts.Functional.Syntax;

namespace MtaSts.Functional;

/// <summary>What a reporting URI of a TLSRPT record can be used for (RFC 8460 §3; T-04, T-08).</summary>
public enum ReportingScheme
{
    /// <summary>A <c>mailto:</c> URI whose address is one addr-spec with a valid host name (T-08).</summary>
    Mailto,

    /// <summary>An <c>https:</c> URI with a host (T-08).</summary>
    Https,

    /// <summary>A valid URI that is not a usable destination: another scheme, or a <c>mailto:</c>/<c>https:</c> failing T-08. Kept and ignored (T-04).</summary>
    Unsupported,
}

/// <summary>One reporting URI of a <c>rua</c> field.</summary>
/// <param name="Text">The URI exactly as written (percent-encoding and scheme case kept, T-02, T-04).</param>
/// <param name="Scheme">Whether a report can be delivered there.</param>
public sealed record ReportingUri(string Text, ReportingScheme Scheme)
{
    /// <summary>True for <see cref="ReportingScheme.Mailto"/> and <see cref="ReportingScheme.Https"/>.</summary>
    public bool IsUsable => Scheme != ReportingScheme.Unsupported;
}

/// <summary>
/// The <c>_smtp._tls</c> TXT record (RFC 8460 §3): the reporting URIs and any extension fields.
/// <see cref="Render"/> gives the canonical text; parsing it gives back an equal record.
/// </summary>
public sealed record TlsRptRecord
{
    /// <summary>The only record version: <c>TLSRPTv1</c>.</summary>
    public const string Version = "TLSRPTv1";

    /// <summary>The exact prefix the record-set rule keeps (RFC 8460 §3, T-06).</summary>
    private const string SetPrefix = "v=TLSRPTv1;";

    private static readonly System.Collections.Generic.HashSet<string> RegisteredFields = TlsRptGrammar.RegisteredNames;
    private static readonly Pidgin.Parser<char, TlsRptUriText> WholeUri = Grammar.Whole(TlsRptGrammar.Uri);
    private static readonly (Pidgin.Parser<char, string>, string) WholeExtName = (Grammar.Whole(TlsRptGrammar.ExtName), RuleNames.TlsRptExtName);
    private static readonly (Pidgin.Parser<char, string>, string) WholeExtValue = (Grammar.Whole(TlsRptGrammar.ExtValue), RuleNames.TlsRptExtValue);

    private TlsRptRecord(Seq<ReportingUri> destinations, Seq<Extension> extensions)
    {
        Destinations = destinations;
        Extensions = extensions;
    }

    /// <summary>Every reporting URI of every <c>rua</c> field, in record order, identical text once (T-03), with what it is good for.</summary>
    public Seq<ReportingUri> Destinations { get; }

    /// <summary>Every reporting URI, in record order, as text (T-03).</summary>
    public Seq<string> Rua => Destinations.Map(static d => d.Text);

    /// <summary>The reporting URIs a report may be delivered to (<c>mailto:</c> and <c>https:</c>, T-04, T-08), in record order.</summary>
    public Seq<string> Usable => Destinations.Filter(static d => d.IsUsable).Map(static d => d.Text);

    /// <summary>The valid URIs that are kept but ignored for delivery (T-04).</summary>
    public Seq<string> Unsupported => Destinations.Filter(static d => !d.IsUsable).Map(static d => d.Text);

    /// <summary>Extension fields in input order (T-05); they never change behaviour.</summary>
    public Seq<Extension> Extensions { get; }

    /// <summary>A record from its parts, checked against the grammar.</summary>
    /// <param name="rua">The reporting URIs, in order: each a <c>tlsrpt-uri</c> (T-02); identical text is kept once (T-03). At least one.</param>
    /// <param name="extensions">Extension fields: names per <c>tlsrpt-ext-name</c> (not <c>rua</c>, T-05), values per <c>tlsrpt-ext-value</c>.</param>
    /// <returns>The record, or every problem with its parts.</returns>
    public static Either<MtaStsError, TlsRptRecord> Create(IEnumerable<string> rua, IEnumerable<Extension>? extensions = null)
    {
        var uris = (rua ?? []).ToSeq().Strict();
        var exts = (extensions ?? []).ToSeq().Strict();
        var uriResults = uris.Map(static u => Grammar.Value(WholeUri, u, "tlsrpt-uri", RuleNames.TlsRptUri)).Strict();
        var errors = (uris.IsEmpty ? Prelude.Seq1<MtaStsError>(new MtaStsError.MissingField("rua")) : Seq<MtaStsError>.Empty)
            + uriResults.Bind(static r => r.LeftToSeq())
            + exts.Bind(static e => Grammar.ExtensionProblems(e, RegisteredFields, WholeExtName, WholeExtValue));
        if (!errors.IsEmpty)
        {
            return MtaStsError.Of(errors.Strict());
        }

        var seen = new System.Collections.Generic.HashSet<string>(StringComparer.Ordinal);
        var destinations = uriResults.Bind(static r => r.RightToSeq())
            .Filter(u => seen.Add(u.Text))
            .Map(static u => new ReportingUri(u.Text, TlsRptSemantics.Classify(u)))
            .Strict();
        return new TlsRptRecord(destinations, exts);
    }

    /// <summary>Parses one TXT record (its strings already concatenated) strictly (T-01).</summary>
    /// <param name="text">The record text, e.g. <c>v=TLSRPTv1; rua=mailto:reports@example.com</c>.</param>
    /// <returns>The record, or a positioned <see cref="MtaStsError.Syntax"/> / <see cref="MtaStsError.MissingField"/>.</returns>
    public static Either<MtaStsError, TlsRptRecord> Parse(string? text) => Parse(text, ParseMode.Strict);

    /// <summary>
    /// Parses one TXT record in the given mode; the same result type as <see cref="Parse(string?)"/> (lenient
    /// repairs are made silently: use <see cref="ParseWithWarnings"/> to see them).
    /// </summary>
    /// <param name="text">The record text.</param>
    /// <param name="mode">Strict (T-01) or lenient (T-07).</param>
    /// <returns>The record, or the error.</returns>
    public static Either<MtaStsError, TlsRptRecord> Parse(string? text, ParseMode mode) =>
        TlsRptReader.Read(text, mode).Map(static p => p.Value);

    /// <summary>Parses one TXT record in the given mode; lenient mode (T-07) reports what it repaired.</summary>
    /// <param name="text">The record text.</param>
    /// <param name="mode">Strict (T-01) or lenient (T-07).</param>
    /// <returns>The record with its warnings (none in strict mode), or the error.</returns>
    public static Either<MtaStsError, Parsed<TlsRptRecord>> ParseWithWarnings(string? text, ParseMode mode) => TlsRptReader.Read(text, mode);

    /// <summary>
    /// The §3 record-set rule for the TXT records at <c>_smtp._tls.&lt;domain&gt;</c> (T-06): each record's strings are
    /// concatenated without separators; with two or more records, those that do not begin with the 11 characters
    /// <c>v=TLSRPTv1;</c> are discarded; exactly one must remain and it must parse strictly. A lone record is simply
    /// parsed (so a lone <c>v=spf1 …</c> is invalid, not none).
    /// </summary>
    /// <param name="records">The TXT RRset; each RR is the list of its character-strings. Empty = NXDOMAIN/NODATA.</param>
    /// <returns>The record, or <see cref="MtaStsError.NoTlsRptRecord"/> saying why the domain has no TLSRPT.</returns>
    public static Either<MtaStsError, TlsRptRecord> FromTxtRecords(IEnumerable<IReadOnlyList<string>>? records)
    {
        var texts = (records ?? []).Select(static rr => string.Concat(rr ?? [])).ToList();
        var candidates = texts.Count >= 2 ? texts.FindAll(static t => t.StartsWith(SetPrefix, StringComparison.Ordinal)) : texts;
        return candidates.Count switch
        {
            0 => new MtaStsError.NoTlsRptRecord(UnusableRecordReason.None, 0, Option<MtaStsError>.None),
            1 => Parse(candidates[0]).MapLeft(static e => (MtaStsError)new MtaStsError.NoTlsRptRecord(UnusableRecordReason.Invalid, 1, e)),
            var n => new MtaStsError.NoTlsRptRecord(UnusableRecordReason.Several, n, Option<MtaStsError>.None),
        };
    }

    /// <summary>The canonical text: <c>v=TLSRPTv1; rua=URI,URI;</c> with each extension as <c> name=value;</c> after it.</summary>
    public string Render()
    {
        var sb = new StringBuilder("v=TLSRPTv1; rua=").AppendJoin(',', Rua).Append(';');
        foreach (var e in Extensions)
        {
            sb.Append(' ').Append(e.Name).Append('=').Append(e.Value).Append(';');
        }

        return sb.ToString();
    }

    /// <inheritdoc cref="Render"/>
    public override string ToString() => Render();

    /// <inheritdoc/>
    public bool Equals(TlsRptRecord? other) => other is not null && Destinations == other.Destinations && Extensions == other.Extensions;

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Destinations, Extensions);

    /// <summary>For the semantic pass, which has already checked everything.</summary>
    internal static TlsRptRecord Trusted(Seq<ReportingUri> destinations, Seq<Extension> extensions) => new(destinations, extensions);
}
