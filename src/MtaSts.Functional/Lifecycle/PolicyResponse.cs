using System.Text;
using LanguageExt;

namespace MtaSts.Functional.Lifecycle;

/// <summary>
/// The RFC 8461 §3.3 rules for the HTTPS answer to a policy fetch (DECISIONS C-07, F-09) as pure
/// functions of the status, the headers and the body, so that every HTTP client applies the same
/// rules: 3xx is never followed (N-21), only 200 is a policy (N-20), <c>Content-Type</c> must be
/// <c>text/plain</c> with no charset other than utf-8/us-ascii (N-16), a body over 64 KiB is
/// refused, never truncated (N-24), the body must be strict UTF-8 and a valid policy (N-33).
/// </summary>
public static class PolicyResponse
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The whole answer: the head rules, then the body rules.</summary>
    /// <param name="status">The HTTP status code.</param>
    /// <param name="location">The <c>Location</c> header, if any (only for the message of a redirect).</param>
    /// <param name="contentType">The <c>Content-Type</c> header as sent, if any.</param>
    /// <param name="contentLength">The <c>Content-Length</c> header, if any.</param>
    /// <param name="body">The body bytes (at most <see cref="Policy.MaxBytes"/> + 1 need be read).</param>
    /// <returns>The fetched policy, or the typed failure.</returns>
    public static FetchOutcome Evaluate(int status, string? location, string? contentType, long? contentLength, ReadOnlySpan<byte> body)
    {
        var head = CheckHead(status, location, contentType, contentLength);
        return head.IsSome ? new FetchOutcome.Failed((FetchFailure)head) : FromBody(body);
    }

    /// <summary>
    /// The rules a client can apply before reading the body: status (N-20, N-21), media type and
    /// charset (N-16, F-09), a declared length over 64 KiB (N-24).
    /// </summary>
    /// <param name="status">The HTTP status code.</param>
    /// <param name="location">The <c>Location</c> header, if any.</param>
    /// <param name="contentType">The <c>Content-Type</c> header, if any.</param>
    /// <param name="contentLength">The <c>Content-Length</c> header, if any.</param>
    /// <returns>Why the answer is not a policy, or none when the body should be read.</returns>
    public static Option<FetchFailure> CheckHead(int status, string? location, string? contentType, long? contentLength)
    {
        if (status is >= 300 and < 400)
        {
            // RFC 8461 §3.3: "HTTP 3xx redirects MUST NOT be followed".
            return new FetchFailure(FetchFailureKind.Redirect, $"HTTP {status} to {location ?? "(no Location)"}; redirects are not followed");
        }

        if (status != 200)
        {
            return new FetchFailure(FetchFailureKind.HttpStatus, $"HTTP {status}; only 200 is a policy");
        }

        if (!MediaType(contentType, out var charset))
        {
            return new FetchFailure(FetchFailureKind.ContentType, $"Content-Type '{(string.IsNullOrWhiteSpace(contentType) ? "(none)" : contentType)}' is not text/plain");
        }

        if (charset is { } cs && !cs.Equals("utf-8", StringComparison.OrdinalIgnoreCase) && !cs.Equals("us-ascii", StringComparison.OrdinalIgnoreCase))
        {
            return new FetchFailure(FetchFailureKind.ContentType, $"charset '{cs}' is neither utf-8 nor us-ascii");
        }

        if (contentLength is > Policy.MaxBytes and var length)
        {
            return new FetchFailure(FetchFailureKind.TooLarge, $"Content-Length {length} is over {Policy.MaxBytes} bytes");
        }

        return Option<FetchFailure>.None;
    }

    /// <summary>The body rules: at most 64 KiB (N-24, C-07), strict UTF-8, a valid policy (N-33).</summary>
    /// <param name="body">The body bytes as received (a longer body is refused, so reading 64 KiB + 1 is enough).</param>
    /// <returns>The fetched policy with its text, or the typed failure.</returns>
    public static FetchOutcome FromBody(ReadOnlySpan<byte> body)
    {
        if (body.Length > Policy.MaxBytes)
        {
            return new FetchOutcome.Failed(new FetchFailure(FetchFailureKind.TooLarge, $"body is over {Policy.MaxBytes} bytes"));
        }

        string text;
        try
        {
            text = StrictUtf8.GetString(body);
        }
        catch (DecoderFallbackException e)
        {
            return new FetchOutcome.Failed(new FetchFailure(FetchFailureKind.Encoding, $"body is not valid UTF-8 at byte {e.Index}"));
        }

        return FetchOutcome.FromBody(text);
    }

    /// <summary>
    /// RFC 9110 §8.3.1 <c>media-type = type "/" subtype parameters</c>, read leniently: the type is
    /// compared case-insensitively, parameters other than <c>charset</c> are ignored (C-07), a quoted
    /// charset is unquoted. False when the type is missing or not <c>text/plain</c>.
    /// </summary>
    private static bool MediaType(string? header, out string? charset)
    {
        charset = null;
        if (header is null)
        {
            return false;
        }

        var parts = header.Split(';');
        if (!parts[0].Trim().Equals("text/plain", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        foreach (var parameter in parts.AsSpan(1))
        {
            var eq = parameter.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0 && parameter[..eq].Trim().Equals("charset", StringComparison.OrdinalIgnoreCase))
            {
                charset = parameter[(eq + 1)..].Trim().Trim('"');
            }
        }

        return true;
    }
}
