using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using MtaSts.Functional;
using MtaSts.Testing;

namespace MtaSts.MailKit.Tests.Delivery;

/// <summary>
/// The certificate classification (RFC 8461 §4.2, M-05, RFC 8460 result types) without a network: the
/// chain is built against the test CA as the configured anchor, as in a handshake where the system roots
/// do not know it (SslPolicyErrors.RemoteCertificateChainErrors).
/// </summary>
public sealed class CertificateCheckTests : IDisposable
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;
    private readonly TestPki pki = new("Check Root");
    private readonly TestPki other = new("Other Root");

    public void Dispose()
    {
        pki.Dispose();
        other.Dispose();
    }

    [Theory]
    // host, DNS-IDs, expired, from the untrusted CA, expected result types in order
    [InlineData("mx.example.test", new[] { "mx.example.test" }, false, false, new string[0])]
    [InlineData("MX.Example.Test.", new[] { "mx.example.test" }, false, false, new string[0])]
    [InlineData("a.example.test", new[] { "*.example.test" }, false, false, new string[0])]
    [InlineData("a.b.example.test", new[] { "*.example.test" }, false, false, new[] { "certificate-host-mismatch" })]
    [InlineData("mx.example.test", new[] { "m*.example.test" }, false, false, new[] { "certificate-host-mismatch" })]
    [InlineData("mx.example.test", new string[0], false, false, new[] { "certificate-host-mismatch" })] // CN = host, no DNS-ID (M-05)
    [InlineData("mx.example.test", new[] { "mx.example.test" }, true, false, new[] { "certificate-expired" })]
    [InlineData("mx.example.test", new[] { "mx.example.test" }, false, true, new[] { "certificate-not-trusted" })]
    [InlineData("mx.example.test", new[] { "other.example.test" }, true, false, new[] { "certificate-host-mismatch", "certificate-expired" })]
    public void Classify_Certificate_GivesTheResultTypesInOrder(string host, string[] dnsIds, bool expired, bool untrusted, string[] expected)
    {
        using var leaf = (untrusted ? other : pki).Leaf("mx.example.test", dnsIds, expired ? Now.AddDays(-20) : null, expired ? Now.AddDays(-10) : null);

        var result = CertificateCheck.Classify(host, leaf, null, SslPolicyErrors.RemoteCertificateChainErrors, Trust());

        Assert.Equal(expected, result.FailureDetails.Map(static d => d.ResultType).ToArray());
        Assert.Equal(expected.Length == 0, result.Outcome.IsValid);
    }

    [Fact]
    public void Classify_Expired_ReasonIsNotTimeValid()
    {
        using var leaf = pki.Leaf("mx.example.test", ["mx.example.test"], Now.AddDays(-20), Now.AddDays(-10));

        var result = CertificateCheck.Classify("mx.example.test", leaf, null, SslPolicyErrors.RemoteCertificateChainErrors, Trust());

        Assert.Equal(TlsOutcome.Failed(FailureKind.CertificateExpired), result.Outcome);
        Assert.Equal("NotTimeValid", Assert.Single(result.Failures).Code);
    }

    [Fact]
    public void Classify_UntrustedCa_ReasonIsTheChainStatusFlags()
    {
        using var leaf = other.Leaf("mx.example.test", ["mx.example.test"]);

        var result = CertificateCheck.Classify("mx.example.test", leaf, null, SslPolicyErrors.RemoteCertificateChainErrors, Trust());

        var code = Assert.Single(result.Failures).Code;
        Assert.NotNull(code);
        Assert.True(Enum.TryParse<X509ChainStatusFlags>(code, out var flags), code);
        Assert.NotEqual(X509ChainStatusFlags.NoError, flags & (X509ChainStatusFlags.UntrustedRoot | X509ChainStatusFlags.PartialChain));
    }

    [Fact]
    public void Classify_NoAnchorConfigured_TheTestCaIsNotTrusted()
    {
        using var leaf = pki.Leaf("mx.example.test", ["mx.example.test"]);

        var result = CertificateCheck.Classify("mx.example.test", leaf, null, SslPolicyErrors.RemoteCertificateChainErrors, new DeliveryTrust([], false));

        Assert.Equal(TlsOutcome.Failed(FailureKind.CertificateNotTrusted), result.Outcome);
    }

    [Fact]
    public void Classify_NoCertificate_IsAValidationFailure()
    {
        var result = CertificateCheck.Classify("mx.example.test", null, null, SslPolicyErrors.RemoteCertificateNotAvailable, Trust());

        Assert.Equal(TlsOutcome.Failed(FailureKind.ValidationFailure), result.Outcome);
        Assert.Equal(("validation-failure", "no-certificate"), (result.FailureDetails[0].ResultType, result.FailureDetails[0].FailureReasonCode));
    }

    private DeliveryTrust Trust() => new([pki.Root], false);
}
