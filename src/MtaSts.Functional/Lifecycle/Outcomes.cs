using System.Collections.Immutable;
using System.Diagnostics;
using LanguageExt;

namespace MtaSts.Functional.Lifecycle;

/// <summary>
/// What the <c>_mta-sts.&lt;domain&gt;</c> TXT lookup gave (RFC 8461 §3.1), as the lifecycle needs it.
/// A closed union: <see cref="Found"/>, <see cref="NoRecord"/>, <see cref="Unusable"/>,
/// <see cref="TemporaryFailure"/>. C-05 keeps "no record" apart from "temporary failure".
/// </summary>
public abstract record TxtOutcome
{
    /// <summary>The raw records; default (not stored) for a <see cref="Found"/> whose one string is its record's canonical text.</summary>
    private readonly ImmutableArray<ImmutableArray<string>> records;

    private TxtOutcome(ImmutableArray<ImmutableArray<string>> records) => this.records = records;

    /// <summary>
    /// The TXT records at <c>_mta-sts.&lt;domain&gt;</c> as DNS gave them (each a list of strings, CNAMEs
    /// followed), MTA-STS or not; empty for a temporary failure. A report shows them without a second
    /// query. (Immutable arrays, not <see cref="Seq{A}"/>: a resolver may hold a million of these. A lone
    /// record of one string in canonical form, the common case, is kept once, as the parsed record, and
    /// its text is rendered again when read here.)
    /// </summary>
    public ImmutableArray<ImmutableArray<string>> Records =>
        records.IsDefault ? [[((Found)this).Record.Render()]] : records;

    /// <summary>The one shared <see cref="NoRecord"/> value without records (NXDOMAIN, NODATA).</summary>
    public static TxtOutcome Absent { get; } = new NoRecord(ImmutableArray<ImmutableArray<string>>.Empty);

    /// <summary>Value equality: the same case, the same fields and the same records, string by string.</summary>
    /// <param name="other">The other outcome.</param>
    /// <returns>Whether they are equal.</returns>
    public virtual bool Equals(TxtOutcome? other)
    {
        if (other is null || EqualityContract != other.EqualityContract)
        {
            return false;
        }

        var (mine, theirs) = (Records, other.Records);
        if (mine.Length != theirs.Length)
        {
            return false;
        }

        for (var i = 0; i < mine.Length; i++)
        {
            if (!mine[i].SequenceEqual(theirs[i], StringComparer.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(EqualityContract, records.IsDefault ? 1 : records.Length);

    /// <summary>
    /// Classifies the TXT records at <c>_mta-sts.&lt;domain&gt;</c> with <see cref="StsRecord.FromTxtRecords"/>
    /// (strings concatenated, D-11 filter, exactly one record): a record is <see cref="Found"/>, "no
    /// MTA-STS record at all" is <see cref="NoRecord"/>, anything else <see cref="Unusable"/>.
    /// </summary>
    /// <param name="records">Each TXT record's strings; null reads as none.</param>
    /// <returns>The outcome, carrying <paramref name="records"/>.</returns>
    public static TxtOutcome From(IEnumerable<IEnumerable<string>>? records)
    {
        var raw = (records ?? []).Select(static r => (r ?? []).ToImmutableArray()).ToImmutableArray();
        if (raw.IsEmpty)
        {
            return Absent;
        }

        return StsRecord.FromTxtRecords(raw.Select(static r => (IReadOnlyList<string>)r)).Match<TxtOutcome>(
            Right: r => new Found(r, IsCanonical(raw, r) ? default : raw),
            Left: e => e is MtaStsError.NoUsableRecord { Reason: UnusableRecordReason.None } ? new NoRecord(raw) : new Unusable(e, raw));
    }

    /// <summary>Whether the records are one record of one string, the canonical text of <paramref name="record"/> (then not stored twice).</summary>
    private static bool IsCanonical(ImmutableArray<ImmutableArray<string>> raw, StsRecord record) =>
        raw.Length == 1 && raw[0].Length == 1 && string.Equals(raw[0][0], record.Render(), StringComparison.Ordinal);

    /// <summary>Exactly one usable record (after CNAMEs, string concatenation and the D-11 filter).</summary>
    public sealed record Found : TxtOutcome
    {
        internal Found(StsRecord record, ImmutableArray<ImmutableArray<string>> records)
            : base(records) => Record = record;

        /// <summary>The record.</summary>
        public StsRecord Record { get; }
    }

    /// <summary>NXDOMAIN, NODATA, or no TXT record that is an MTA-STS record (§3.1).</summary>
    public sealed record NoRecord : TxtOutcome
    {
        internal NoRecord(ImmutableArray<ImmutableArray<string>> records)
            : base(records)
        {
        }
    }

    /// <summary>Several <c>v=STSv1;</c> records, or the one record is invalid (§3.1, N-06).</summary>
    public sealed record Unusable : TxtOutcome
    {
        internal Unusable(MtaStsError error, ImmutableArray<ImmutableArray<string>> records)
            : base(records) => Error = error;

        /// <summary>Why (a <see cref="MtaStsError.NoUsableRecord"/>).</summary>
        public MtaStsError Error { get; }
    }

    /// <summary>SERVFAIL, REFUSED, a timeout or a network error: DNS could not answer (C-05).</summary>
    public sealed record TemporaryFailure : TxtOutcome
    {
        /// <summary>A temporary failure.</summary>
        /// <param name="detail">What the DNS client said.</param>
        public TemporaryFailure(string detail)
            : base(ImmutableArray<ImmutableArray<string>>.Empty) => Detail = detail ?? throw new ArgumentNullException(nameof(detail));

        /// <summary>What the DNS client said.</summary>
        public string Detail { get; }
    }
}

/// <summary>Why a policy fetch failed (RFC 8461 §3.3, C-07).</summary>
public enum FetchFailureKind
{
    /// <summary>The policy host's name did not resolve, or the TCP connection failed (H-21).</summary>
    Network,

    /// <summary>No complete answer within the fetch timeout (N-24, H-15).</summary>
    Timeout,

    /// <summary>A 3xx answer: redirects are never followed (N-21).</summary>
    Redirect,

    /// <summary>Any status other than 200 (N-20).</summary>
    HttpStatus,

    /// <summary>The body exceeds 64 KiB; it is refused, never truncated (N-24, C-07).</summary>
    TooLarge,

    /// <summary>The <c>Content-Type</c> is missing, not <c>text/plain</c>, or names another charset (N-16, C-07, F-09).</summary>
    ContentType,

    /// <summary>The body is not valid UTF-8.</summary>
    Encoding,

    /// <summary>The body is not a valid policy (N-33).</summary>
    InvalidPolicy,

    /// <summary>The policy host's certificate is untrusted, expired or not valid for <c>mta-sts.&lt;domain&gt;</c> (N-17, N-18).</summary>
    Certificate,
}

/// <summary>A failed policy fetch: what went wrong, and the words for a log or a report.</summary>
/// <param name="Kind">The kind of failure.</param>
/// <param name="Detail">A human detail (status code, header value, exception text, …).</param>
public sealed record FetchFailure(FetchFailureKind Kind, string Detail)
{
    /// <summary>The RFC 8460 §4.3.2 result type of this failure.</summary>
    public string ResultType => Kind switch
    {
        FetchFailureKind.Certificate => "sts-webpki-invalid",
        FetchFailureKind.ContentType or FetchFailureKind.Encoding or FetchFailureKind.InvalidPolicy => "sts-policy-invalid",
        FetchFailureKind.Network or FetchFailureKind.Timeout or FetchFailureKind.Redirect
            or FetchFailureKind.HttpStatus or FetchFailureKind.TooLarge => "sts-policy-fetch-error",
        _ => throw new UnreachableException(),
    };

    /// <inheritdoc/>
    public override string ToString() => $"{ResultType}: {Detail}";
}

/// <summary>What the HTTPS fetch of the policy gave (RFC 8461 §3.3): a policy, or a typed failure.</summary>
public abstract record FetchOutcome
{
    private FetchOutcome()
    {
    }

    /// <summary>Status 200, <c>text/plain</c>, a valid policy.</summary>
    /// <param name="Policy">The parsed policy.</param>
    /// <param name="Text">The body exactly as received (TLSRPT's <c>policy-string</c> needs it).</param>
    public sealed record Fetched(Policy Policy, string Text) : FetchOutcome;

    /// <summary>Anything else.</summary>
    /// <param name="Failure">Why.</param>
    public sealed record Failed(FetchFailure Failure) : FetchOutcome;

    /// <summary>Parses a received body as a policy: <see cref="Fetched"/>, or <see cref="FetchFailureKind.InvalidPolicy"/>.</summary>
    /// <param name="body">The decoded body.</param>
    /// <returns>The outcome.</returns>
    public static FetchOutcome FromBody(string body) =>
        Policy.Parse(body).Match<FetchOutcome>(
            Right: p => new Fetched(p, body),
            Left: static e => new Failed(new FetchFailure(FetchFailureKind.InvalidPolicy, e.Render())));
}
