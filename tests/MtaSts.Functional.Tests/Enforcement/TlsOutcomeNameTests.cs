namespace MtaSts.Functional.Tests.EnforcementTests;

/// <summary>
/// A TLS outcome's name (RFC 8461 §4.2, RFC 8460 §4.3 result types, M-04), read in a test body: the
/// outcome table of <see cref="EnforceTests"/> is keyed by these names in a static initialiser, which
/// per-test coverage does not see.
/// </summary>
public class TlsOutcomeNameTests
{
    [Theory]
    [InlineData("not-negotiated", "not-negotiated")]
    [InlineData("valid", "valid")]
    [InlineData("StartTlsNotSupported", "starttls-not-supported")]
    [InlineData("CertificateHostMismatch", "certificate-host-mismatch")]
    [InlineData("CertificateExpired", "certificate-expired")]
    [InlineData("CertificateNotTrusted", "certificate-not-trusted")]
    [InlineData("ValidationFailure", "validation-failure")]
    public void Outcome_IsNamedByItsResultType(string outcome, string name)
    {
        var tls = outcome switch
        {
            "not-negotiated" => TlsOutcome.NotNegotiated,
            "valid" => TlsOutcome.Valid,
            _ => TlsOutcome.Failed(Enum.Parse<FailureKind>(outcome)),
        };

        Assert.Equal(name, tls.ToString());
    }
}
