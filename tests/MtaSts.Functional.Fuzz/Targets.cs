using System.Text;
using LanguageExt;

namespace MtaSts.Functional.Fuzz;

/// <summary>
/// One fuzz target per entry point. Each checks invariants, not just "no crash"; a broken invariant
/// throws <see cref="InvariantException"/>, which AFL records as a crash.
/// </summary>
public static class Targets
{
    public static readonly IReadOnlyDictionary<string, Action<string>> All = new Dictionary<string, Action<string>>
    {
        ["record"] = RecordStrict,
        ["record-lenient"] = RecordLenient,
        ["recordset"] = RecordSet,
        ["policy"] = PolicyStrict,
        ["policy-lenient"] = PolicyLenient,
        ["match"] = Match,
        ["policy-url"] = PolicyUrl,
        ["cert-name"] = CertName,
    };

    /// <summary>Strict record: accepted ⇒ renders to text that parses back equal, and lenient mode agrees with no warning (L-03); rejected ⇒ the error lies inside the input.</summary>
    public static void RecordStrict(string input)
    {
        var result = StsRecord.Parse(input);
        result.Match(
            Right: record =>
            {
                Check(StsRecord.Parse(record.Render()) == Prelude.Right<MtaStsError, StsRecord>(record), "record round trip");
                Check(StsRecord.ParseWithWarnings(input, ParseMode.Lenient) == Prelude.Right<MtaStsError, Parsed<StsRecord>>(new Parsed<StsRecord>(record, Seq<ParseWarning>.Empty)), "L-03 record");
            },
            Left: error => Inside(input, error));
    }

    /// <summary>Lenient record: accepted ⇒ round trip and warnings inside the input; rejected ⇒ error inside.</summary>
    public static void RecordLenient(string input) =>
        StsRecord.ParseWithWarnings(input, ParseMode.Lenient).Match(
            Right: parsed =>
            {
                Check(StsRecord.Parse(parsed.Value.Render()) == Prelude.Right<MtaStsError, StsRecord>(parsed.Value), "lenient record round trip");
                parsed.Warnings.Iter(w => Inside(input, w.Line, w.Column));
            },
            Left: error => Inside(input, error));

    /// <summary>Record sets: the input's lines are TXT records, tabs split a record's strings (D-10, D-11).</summary>
    public static void RecordSet(string input)
    {
        var records = input.Split('\n').Select(static line => (IReadOnlyList<string>)line.Split('\t')).ToList();
        StsRecord.FromTxtRecords(records).Match(
            Right: record => Check(StsRecord.Parse(record.Render()) == Prelude.Right<MtaStsError, StsRecord>(record), "record set round trip"),
            Left: error => Check(error is MtaStsError.NoUsableRecord, "record set error type"));
    }

    /// <summary>Strict policy: accepted ⇒ round trip and L-03; rejected ⇒ error inside the input.</summary>
    public static void PolicyStrict(string input) =>
        Policy.ParseWithWarnings(input, ParseMode.Strict).Match(
            Right: parsed =>
            {
                Check(Policy.Parse(parsed.Value.Render()) == Prelude.Right<MtaStsError, Policy>(parsed.Value), "policy round trip");
                Check(Policy.ParseWithWarnings(input, ParseMode.Lenient) == Prelude.Right<MtaStsError, Parsed<Policy>>(parsed), "L-03 policy");
            },
            Left: error => Inside(input, error));

    /// <summary>Lenient policy: accepted ⇒ round trip, warnings inside; rejected ⇒ error inside.</summary>
    public static void PolicyLenient(string input) =>
        Policy.ParseWithWarnings(input, ParseMode.Lenient).Match(
            Right: parsed =>
            {
                Check(Policy.Parse(parsed.Value.Render()) == Prelude.Right<MtaStsError, Policy>(parsed.Value), "lenient policy round trip");
                parsed.Warnings.Iter(w => Inside(input, w.Line, w.Column));
            },
            Left: error => Inside(input, error));

    /// <summary>Pattern on the first line, host on the second: matching agrees with Enforce and ignores ASCII case (M-01, M-03).</summary>
    public static void Match(string input)
    {
        var (pattern, host) = Split(input);
        var matches = Enforcement.MxMatches(pattern, host);
        MxPattern.Parse(pattern).Match(
            Right: p =>
            {
                var policy = Policy.Create(PolicyMode.Enforce, [p], MaxAge.Create(60).Match(static a => a, static _ => throw new InvariantException("max age")));
                policy.IfRight(pol => Check(Enforcement.Enforce(pol, host) is Decision.Deliver == matches, "Enforce agrees with MxMatches"));
                Check(Enforcement.MxMatches(p, AsciiUpper(host)) == matches, "ASCII case ignored");
            },
            Left: _ => Check(!matches, "an invalid pattern never matches"));
    }

    /// <summary>A URL is https://mta-sts.&lt;lower-case A-label domain&gt;/.well-known/mta-sts.txt, and its domain maps to itself.</summary>
    public static void PolicyUrl(string input) =>
        Enforcement.PolicyUrl(input).IfRight(url =>
        {
            var text = url.AbsoluteUri;
            Check(text.StartsWith("https://mta-sts.", StringComparison.Ordinal) && text.EndsWith("/.well-known/mta-sts.txt", StringComparison.Ordinal), "URL shape");
            var domain = url.Host["mta-sts.".Length..];
            Check(domain == domain.ToLowerInvariant() && Ascii.IsValid(domain), "lower-case A-label");
            Check(Enforcement.PolicyUrl(domain).Map(static u => u.AbsoluteUri) == Prelude.Right<MtaStsError, string>(text), "URL of its own domain");
        });

    /// <summary>Host on the first line, DNS-IDs on the others: the answer does not depend on their order or on ASCII case (M-05).</summary>
    public static void CertName(string input)
    {
        var lines = input.Split('\n');
        var host = lines[0];
        var ids = lines.Skip(1).ToList();
        var matches = CertificateNames.Matches(ids, host);
        Check(CertificateNames.Matches(Enumerable.Reverse(ids), host) == matches, "order of DNS-IDs");
        Check(CertificateNames.Matches(ids.Select(AsciiUpper), host) == matches, "ASCII case of DNS-IDs");
    }

    private static (string First, string Second) Split(string input)
    {
        var newline = input.IndexOf('\n');
        return newline < 0 ? (input, string.Empty) : (input[..newline], input[(newline + 1)..]);
    }

    private static string AsciiUpper(string s) => string.Create(s.Length, s, static (span, source) =>
    {
        for (var i = 0; i < span.Length; i++)
        {
            span[i] = source[i] is >= 'a' and <= 'z' ? (char)(source[i] - 32) : source[i];
        }
    });

    private static void Inside(string input, MtaStsError error)
    {
        if (error is MtaStsError.Syntax s)
        {
            Inside(input, s.Line, s.Column);
        }
    }

    private static void Inside(string input, int line, int column)
    {
        var lines = 1 + input.Count(static c => c == '\n') + CountBareCr(input);
        Check(line >= 1 && line <= lines && column >= 1 && column <= input.Length + 1, $"position {line}:{column} inside the input");
    }

    private static int CountBareCr(string s)
    {
        var n = 0;
        for (var i = 0; i < s.Length; i++)
        {
            if (s[i] == '\r' && (i + 1 == s.Length || s[i + 1] != '\n'))
            {
                n++;
            }
        }

        return n;
    }

    private static void Check(bool condition, string invariant)
    {
        if (!condition)
        {
            throw new InvariantException(invariant);
        }
    }
}

/// <summary>An invariant of the library does not hold for the fuzzer's input.</summary>
public sealed class InvariantException(string invariant) : Exception($"invariant broken: {invariant}");
