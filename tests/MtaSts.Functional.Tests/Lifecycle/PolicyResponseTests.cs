using System.Text;

namespace MtaSts.Functional.Tests.LifecycleTests;

/// <summary>The RFC 8461 §3.3 response rules (C-07, F-09) as a spec table over (status, headers, body), no HTTP client involved.</summary>
public class PolicyResponseTests
{
    private const string Valid = "version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmax_age: 86400\r\n";

    public static TheoryData<int, string?, string?, long?, string, string> Rows => new()
    {
        // status, location, content type, content length, body, expected (kind or "fetched"); the reason is the row's comment
        { 200, null, "text/plain", null, Valid, "fetched" },                                       // N-20: 200 with text/plain and a valid policy
        { 200, null, "TEXT/Plain; charset=UTF-8", null, Valid, "fetched" },                        // F-09: type and charset compare case-insensitively
        { 200, null, "text/plain; charset=\"us-ascii\"", null, Valid, "fetched" },                 // a quoted charset is unquoted
        { 200, null, "text/plain; format=flowed", null, Valid, "fetched" },                        // C-07: other parameters are ignored
        { 200, null, "text/plain", Policy.MaxBytes, Valid, "fetched" },                            // a declared 64 KiB is allowed
        { 200, null, "text/plain", null, Padded(Policy.MaxBytes), "fetched" },                     // N-24: a body of exactly 64 KiB is read
        { 301, "https://elsewhere.example/", "text/plain", null, Valid, nameof(FetchFailureKind.Redirect) },   // N-21: 3xx never followed
        { 300, null, "text/plain", null, Valid, nameof(FetchFailureKind.Redirect) },               // N-21: 300 is the first 3xx
        { 399, null, "text/plain", null, Valid, nameof(FetchFailureKind.Redirect) },               // N-21: 399 is the last
        { 304, null, "text/plain", null, string.Empty, nameof(FetchFailureKind.Redirect) },        // not even "not modified"
        { 404, null, "text/plain", null, Valid, nameof(FetchFailureKind.HttpStatus) },             // N-20: only 200
        { 204, null, "text/plain", null, string.Empty, nameof(FetchFailureKind.HttpStatus) },      // another 2xx is not a policy
        { 400, null, "text/plain", null, Valid, nameof(FetchFailureKind.HttpStatus) },             // N-20: 400 is past the 3xx range, not a redirect
        { 200, null, "text/html", null, Valid, nameof(FetchFailureKind.ContentType) },             // N-16: text/plain only
        { 200, null, null, null, Valid, nameof(FetchFailureKind.ContentType) },                    // F-09: a missing Content-Type is rejected
        { 200, null, "", null, Valid, nameof(FetchFailureKind.ContentType) },                      // F-09: an empty one too
        { 200, null, "text/plain; charset=iso-8859-1", null, Valid, nameof(FetchFailureKind.ContentType) },    // C-07: another charset is an error
        { 200, null, "text/plain", Policy.MaxBytes + 1, Valid, nameof(FetchFailureKind.TooLarge) }, // N-24: a declared length over 64 KiB
        { 200, null, "text/plain", null, new string('#', Policy.MaxBytes + 1), nameof(FetchFailureKind.TooLarge) }, // N-24: refused, never truncated
        { 200, null, "text/plain", null, "version: STSv1\r\nmode: enforce\r\n", nameof(FetchFailureKind.InvalidPolicy) }, // N-33
    };

    /// <summary><see cref="Valid"/> with an extension line (RFC 8461 §3.2 ext-value) that makes it exactly <paramref name="bytes"/> long.</summary>
    private static string Padded(int bytes) => $"{Valid}x: {new string('a', bytes - Valid.Length - "x: \r\n".Length)}\r\n";

    [Theory]
    [MemberData(nameof(Rows))]
    public void Evaluate_StatusHeadersBody_GiveTheSection33Outcome(int status, string? location, string? contentType, long? contentLength, string body, string expected)
    {
        var outcome = PolicyResponse.Evaluate(status, location, contentType, contentLength, Encoding.UTF8.GetBytes(body));

        Assert.Equal(expected, outcome switch
        {
            FetchOutcome.Fetched => "fetched",
            FetchOutcome.Failed f => f.Failure.Kind.ToString(),
            _ => throw new InvalidOperationException(),
        });
    }

    [Fact]
    public void FromBody_InvalidUtf8_IsAnEncodingFailure_WithTheOffset()
    {
        var failed = Assert.IsType<FetchOutcome.Failed>(PolicyResponse.FromBody([.. "version: "u8, 0xC3, 0x28]));

        Assert.Equal((FetchFailureKind.Encoding, "body is not valid UTF-8 at byte 9"), (failed.Failure.Kind, failed.Failure.Detail));
    }

    [Fact]
    public void FromBody_KeepsTheTextExactlyAsReceived()
    {
        var fetched = Assert.IsType<FetchOutcome.Fetched>(PolicyResponse.FromBody(Encoding.UTF8.GetBytes(Valid)));

        Assert.Equal(Valid, fetched.Text);
    }

    [Fact]
    public void CheckHead_Redirect_NamesTheLocation() =>
        Assert.Equal(
            "HTTP 302 to https://elsewhere.example/; redirects are not followed",
            PolicyResponse.CheckHead(302, "https://elsewhere.example/", "text/plain", null).Map(static f => f.Detail));

    public static TheoryData<int, string?, string?, long?, FetchFailureKind, string> HeadRefusals => new()
    {
        // status, location, content type, content length, kind, the detail for a log or a report
        { 300, null, "text/plain", null, FetchFailureKind.Redirect, "HTTP 300 to (no Location); redirects are not followed" },     // N-21: no Location header
        { 400, null, "text/plain", null, FetchFailureKind.HttpStatus, "HTTP 400; only 200 is a policy" },                            // N-20
        { 200, null, null, null, FetchFailureKind.ContentType, "Content-Type '(none)' is not text/plain" },                           // F-09: missing
        { 200, null, " ", null, FetchFailureKind.ContentType, "Content-Type '(none)' is not text/plain" },                            // F-09: blank
        { 200, null, "text/html", null, FetchFailureKind.ContentType, "Content-Type 'text/html' is not text/plain" },                 // N-16: shown as sent
        { 200, null, "text/plain; charset=iso-8859-1", null, FetchFailureKind.ContentType, "charset 'iso-8859-1' is neither utf-8 nor us-ascii" }, // C-07
        { 200, null, "text/plain", Policy.MaxBytes + 1, FetchFailureKind.TooLarge, "Content-Length 65537 is over 65536 bytes" },      // N-24
    };

    [Theory]
    [MemberData(nameof(HeadRefusals))]
    public void CheckHead_Refusal_SaysWhy(int status, string? location, string? contentType, long? contentLength, FetchFailureKind kind, string detail) =>
        Assert.Equal(
            (kind, detail),
            PolicyResponse.CheckHead(status, location, contentType, contentLength).Map(static f => (f.Kind, f.Detail)).IfNone(() => throw new InvalidOperationException("no refusal")));

    [Fact]
    public void FromBody_OverMaxBytes_SaysTheLimit()
    {
        var failed = Assert.IsType<FetchOutcome.Failed>(PolicyResponse.FromBody(new byte[Policy.MaxBytes + 1]));

        Assert.Equal((FetchFailureKind.TooLarge, "body is over 65536 bytes"), (failed.Failure.Kind, failed.Failure.Detail));
    }
}
