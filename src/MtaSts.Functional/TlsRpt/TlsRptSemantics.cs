using LanguageExt;
using Pidgin;
using static MtaSts.Functional.Syntax.CoreRules;

namespace MtaSts.Functional.Syntax;

/// <summary>
/// The prose rules of RFC 8460 §3 over the fields the grammar read: <c>rua</c> is required and every
/// URI of every <c>rua</c> is kept in record order, identical text once (T-03); each URI is a
/// <c>mailto:</c> or <c>https:</c> destination or unsupported (T-04, T-08); extensions are kept in order (T-05).
/// </summary>
internal static class TlsRptSemantics
{
    /// <summary>RFC 5322 §3.2.3 <c>atext</c>: the characters of a <c>dot-atom-text</c> local part.</summary>
    private static readonly CharClass Atext = Alpha | Digit | '!' | '#' | '$' | '%' | '&' | '\'' | '*' | '+' | '-' | '/' | '=' | '?' | '^' | '_' | '`' | '{' | '|' | '}' | '~';

    private static readonly Pidgin.Parser<char, string> WholeHostName = Grammar.Whole(DomainGrammar.HostName);

    /// <summary>The record the fields give, or <see cref="MtaStsError.MissingField"/> for <c>rua</c>.</summary>
    public static Either<MtaStsError, TlsRptRecord> Apply(IReadOnlyList<TlsRptField> fields)
    {
        var uris = new List<ReportingUri>();
        var seen = new System.Collections.Generic.HashSet<string>(StringComparer.Ordinal);
        var extensions = new List<Extension>();
        var hasRua = false;
        foreach (var field in fields)
        {
            switch (field)
            {
                case TlsRptField.Rua rua:
                    hasRua = true;
                    foreach (var uri in rua.Uris)
                    {
                        if (seen.Add(uri.Text))
                        {
                            uris.Add(new ReportingUri(uri.Text, Classify(uri)));
                        }
                    }

                    break;
                case TlsRptField.Ext ext:
                    extensions.Add(ext.Extension);
                    break;
                default:
                    break; // the version
            }
        }

        return hasRua
            ? TlsRptRecord.Trusted(uris.ToSeq(), extensions.ToSeq())
            : new MtaStsError.MissingField("rua");
    }

    /// <summary>T-04, T-08: what a syntactically valid URI is good for.</summary>
    public static ReportingScheme Classify(TlsRptUriText uri) => uri.Parts.Scheme.ToLowerInvariant() switch
    {
        "mailto" => IsMailbox(uri.Text[(uri.Parts.Scheme.Length + 1)..]) ? ReportingScheme.Mailto : ReportingScheme.Unsupported,
        "https" => uri.Parts.Host is { Length: > 0 } ? ReportingScheme.Https : ReportingScheme.Unsupported,
        _ => ReportingScheme.Unsupported,
    };

    /// <summary>
    /// T-08: the part of a <c>mailto:</c> URI before any <c>?</c>, percent-decoded once (RFC 6068 §2), is one
    /// addr-spec: a <c>dot-atom-text</c> local part (RFC 5322 §3.2.3), "@", and a host name (D-06, F-06).
    /// </summary>
    public static bool IsMailbox(string mailtoPath)
    {
        var query = mailtoPath.IndexOf('?', StringComparison.Ordinal);
        var decoded = PercentDecode(query < 0 ? mailtoPath : mailtoPath[..query]);
        var at = decoded.LastIndexOf('@');
        if (at == -1)
        {
            return false;
        }

        var local = decoded[..at]; // empty when '@' comes first: then no dot-atom (an empty atom)
        return local.Split('.').All(static atom => atom.Length > 0 && Atext.All(atom))
            && WholeHostName.Parse(decoded[(at + 1)..]).Success;
    }

    /// <summary>Decodes the <c>pct-encoded</c> escapes once, each octet to the char of that code.</summary>
    /// <remarks>
    /// The text is a URI's: the grammar has checked that every '%' is followed by two HEXDIG (and '?' is none, so the
    /// cut before the query splits no escape). An octet above 0x7F becomes a char that neither atext nor a host name
    /// admits, so an address with a non-ASCII escape is refused.
    /// </remarks>
    private static string PercentDecode(string text)
    {
        var sb = new System.Text.StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '%')
            {
                sb.Append((char)Convert.FromHexString(text.AsSpan(i + 1, 2))[0]);
                i += 2;
            }
            else
            {
                sb.Append(text[i]);
            }
        }

        return sb.ToString();
    }
}

/// <summary>
/// Reads one TLSRPT TXT record: the lenient repair when asked (T-07), the grammar, then the prose
/// rules (<see cref="TlsRptSemantics"/>). <c>TlsRptRecord.Parse</c> reads through here.
/// </summary>
internal static class TlsRptReader
{
    public static Either<MtaStsError, Parsed<TlsRptRecord>> Read(string? text, ParseMode mode) =>
        Reading(text, mode).Map(static r => r.Parsed);

    /// <summary>The record with the fields it was read from, their text and positions (<c>Lint</c> and <c>Explain</c> read through here).</summary>
    public static Either<MtaStsError, TlsRptReading> Reading(string? text, ParseMode mode)
    {
        var input = text ?? string.Empty;
        var (parsed, map, warnings) = mode == ParseMode.Lenient
            ? RecordLenient.Repair(input, "v=TLSRPTv1", "T-07")
            : (input, new SourceMap(input), Seq<ParseWarning>.Empty);
        return Grammar.Run(TlsRptGrammar.Record, parsed, RuleNames.TlsRptRecord, map)
            .Bind(fields => TlsRptSemantics.Apply(fields).Map(record => new TlsRptReading(fields, parsed, map, new Parsed<TlsRptRecord>(record, warnings))));
    }
}

/// <summary>One read TLSRPT record: its fields with offsets in <paramref name="Text"/> (the repaired text in lenient mode), the map back to the input, and the record.</summary>
internal sealed record TlsRptReading(IReadOnlyList<TlsRptField> Fields, string Text, SourceMap Map, Parsed<TlsRptRecord> Parsed);
