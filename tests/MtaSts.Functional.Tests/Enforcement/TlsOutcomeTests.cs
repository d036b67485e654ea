namespace MtaSts.Functional.Tests.EnforcementTests;

/// <summary>The three states of a TLS outcome (RFC 8461 §4.2) as their properties read them, and the one kind that is not a TLS failure.</summary>
public class TlsOutcomeTests
{
    [Fact]
    public void States_AreReadByTheirProperties()
    {
        var failed = TlsOutcome.Failed(FailureKind.CertificateExpired);

        Assert.Equal((true, false, false), (TlsOutcome.NotNegotiated.IsNotNegotiated, TlsOutcome.NotNegotiated.IsValid, TlsOutcome.NotNegotiated.IsFailed(out _)));
        Assert.Equal((false, true, false), (TlsOutcome.Valid.IsNotNegotiated, TlsOutcome.Valid.IsValid, TlsOutcome.Valid.IsFailed(out _)));
        Assert.Equal((false, false, true), (failed.IsNotNegotiated, failed.IsValid, failed.IsFailed(out var kind)));
        Assert.Equal(FailureKind.CertificateExpired, kind);
    }

    /// <summary>An MX mismatch is decided by §4.1 matching before any connection, so it is no TLS outcome.</summary>
    [Fact]
    public void Failed_MxMismatch_IsRefusedWithTheReason()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(static () => TlsOutcome.Failed(FailureKind.MxMismatch));

        Assert.Equal("kind", e.ParamName);
        Assert.Equal(FailureKind.MxMismatch, e.ActualValue);
        Assert.Equal($"not a TLS failure (MX mismatch is decided by §4.1 matching) (Parameter 'kind'){Environment.NewLine}Actual value was MxMismatch.", e.Message);
    }
}
