using System.Diagnostics;
using LanguageExt;

namespace MtaSts.Functional;

/// <summary>
/// What the <c>_mta-sts.&lt;domain&gt;</c> TXT lookup gave (RFC 8461 §3.1), as the lifecycle needs it.
/// A closed union: <see cref="Found"/>, <see cref="NoRecord"/>, <see cref="Unusable"/>,
/// <see cref="TemporaryFailure"/>. C-05 keeps "no record" apart from "temporary failure".
/// </summary>
public abstract record TxtOutcome
{
    private TxtOutcome()
    {
    }

    /// <summary>Exactly one usable record (after CNAMEs, string concatenation and the D-11 filter).</summary>
    /// <param name="Record">The record.</param>
    public sealed record Found(StsRecord Record) : TxtOutcome;

    /// <summary>NXDOMAIN, NODATA, or no TXT record that is an MTA-STS record (§3.1).</summary>
    public sealed record NoRecord : TxtOutcome;

    /// <summary>Several <c>v=STSv1;</c> records, or the one record is invalid (§3.1, N-06).</summary>
    /// <param name="Error">Why (a <see cref="MtaStsError.NoUsableRecord"/>).</param>
    public sealed record Unusable(MtaStsError Error) : TxtOutcome;

    /// <summary>SERVFAIL, REFUSED, a timeout or a network error: DNS could not answer (C-05).</summary>
    /// <param name="Detail">What the DNS client said.</param>
    public sealed record TemporaryFailure(string Detail) : TxtOutcome;

    /// <summary>The one shared <see cref="NoRecord"/> value.</summary>
    public static TxtOutcome Absent { get; } = new NoRecord();

    /// <summary>
    /// Classifies the result of <see cref="StsRecord.FromTxtRecords"/>: a record is <see cref="Found"/>,
    /// "no MTA-STS record at all" is <see cref="NoRecord"/>, anything else <see cref="Unusable"/>.
    /// </summary>
    /// <param name="records">The record-set result.</param>
    /// <returns>The outcome.</returns>
    public static TxtOutcome From(Either<MtaStsError, StsRecord> records) =>
        records.Match<TxtOutcome>(
            Right: static r => new Found(r),
            Left: static e => e is MtaStsError.NoUsableRecord { Reason: UnusableRecordReason.None } ? Absent : new Unusable(e));
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
