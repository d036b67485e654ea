namespace MtaSts.Functional.Tests.EnforcementTests;

/// <summary>
/// The per-delivery hot path allocates nothing: a deterministic gate on bytes allocated (never on time).
/// Patterns are normalised at parse time and every decision instance is shared.
/// </summary>
public class AllocationTests
{
    [Theory]
    [InlineData("mail.example.com")]          // literal match
    [InlineData("MX7.EXAMPLE.COM.")]          // wildcard match, other case, trailing dot
    [InlineData("attacker.test")]             // no match
    [InlineData("a.b.example.com")]           // wildcard miss: two labels deeper
    public void MxMatchesAndEnforce_AllocateNothing(string host)
    {
        var policy = EnforceTests.PolicyWith(PolicyMode.Enforce);
        var testing = EnforceTests.PolicyWith(PolicyMode.Testing);
        var pattern = policy.Mx[1];
        Run(policy, testing, pattern, host, 100); // warm up: JIT, static initialisers

        var before = GC.GetAllocatedBytesForCurrentThread();
        var decisions = Run(policy, testing, pattern, host, 10_000);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.True(decisions > 0);
        Assert.Equal(0, allocated);
    }

    private static int Run(Policy policy, Policy testing, MxPattern pattern, string host, int times)
    {
        var delivered = 0;
        for (var i = 0; i < times; i++)
        {
            delivered += Enforcement.MxMatches(pattern, host) ? 1 : 0;
            delivered += Enforcement.Enforce(policy, host) is Decision.Deliver ? 1 : 0;
            delivered += Enforcement.Enforce(policy, host, TlsOutcome.Failed(FailureKind.CertificateExpired)) is Decision.Refuse ? 1 : 0;
            delivered += Enforcement.Enforce(testing, host, TlsOutcome.Valid) is Decision.DeliverAndReport ? 0 : 1;
        }

        return delivered;
    }
}
