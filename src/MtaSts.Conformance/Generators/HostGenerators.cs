using FsCheck;
using FsCheck.Fluent;

namespace MtaSts.Conformance.Generators;

/// <summary>Candidate MX hosts: matches, near misses and strangers for a pattern, in any case, with or without one trailing dot.</summary>
internal static class HostGenerators
{
    /// <summary>Hosts related to <paramref name="pattern"/>: the one-label match, the parent itself, two labels deeper, a stranger.</summary>
    public static Gen<string> Near(MxPattern pattern) =>
        from label in Generators.Label()
        from label2 in Generators.Label()
        from stranger in Generators.Domain
        from host in Gen.Elements(
            pattern is MxPattern.Wildcard ? label + "." + pattern.Domain.Value : pattern.Domain.Value,
            pattern.Domain.Value,
            label + "." + label2 + "." + pattern.Domain.Value,
            label + "." + pattern.Domain.Value,
            stranger)
        from spelled in Respell(host)
        select spelled;

    /// <summary>
    /// Invalid hosts that end with the pattern's domain: a bad first label (LDH, '-' at an end, 1–63 octets)
    /// or a name over 253 octets; they never match (M-01, F-06).
    /// </summary>
    public static Gen<string> Invalid(MxPattern pattern) =>
        from bad in Gen.Elements("-a", "a-", "a_b", "a b", new string('a', 64), "", "a..b", new string('a', 63) + "." + new string('b', 63) + "." + new string('c', 63) + "." + new string('d', 63))
        from spelled in Respell(bad + "." + pattern.Domain.Value)
        select spelled;

    /// <summary>
    /// A policy domain as a caller may spell it (any ASCII case, one trailing dot or none) and its policy URL (§3.2, M-07):
    /// lower-cased under <c>mta-sts.</c>, or none when <c>_mta-sts.&lt;domain&gt;</c> would exceed 253 octets; or a name
    /// that is no domain (an address literal, an IPv4 address, an empty or '-'-edged label), which has none (§3.4, D-06).
    /// </summary>
    public static Gen<(string Domain, string? Url)> PolicyDomain =>
        Gen.Frequency(
            (4, from domain in Generators.Domain
                from spelled in Respell(domain)
                select (spelled, "_mta-sts.".Length + domain.Length <= 253 ? $"https://mta-sts.{domain.ToLowerInvariant()}/.well-known/mta-sts.txt" : null)),
            (1, from domain in Generators.Domain
                from bad in Gen.Elements("[192.0.2.1]", "192.0.2.1", "[IPv6:2001:db8::1]", "a..", "-a.", "a-.", ".")
                select (bad.StartsWith('[') || bad.Contains(':') || char.IsAsciiDigit(bad[0]) ? bad : bad + domain, (string?)null)));

    /// <summary>The same name in random ASCII case, with one trailing dot half of the time (M-01: both mean the same host).</summary>
    public static Gen<string> Respell(string host) =>
        from upper in Gen.ArrayOf(Gen.Elements(false, true), host.Length)
        from dot in Gen.Elements(false, true)
        select new string(host.Select((c, i) => upper[i] ? char.ToUpperInvariant(c) : char.ToLowerInvariant(c)).ToArray()) + (dot ? "." : string.Empty);

    /// <summary>A policy and a host near one of its patterns (or a stranger when it has none).</summary>
    public static Gen<(Policy Policy, string Host)> PolicyAndHost =>
        from policy in Generators.Policy
        from host in policy.Mx.IsEmpty ? Generators.Domain : Gen.Elements(policy.Mx.ToArray()).SelectMany(Near)
        select (policy, host);

    /// <summary>Every TLS outcome: not negotiated, valid, each TLS failure.</summary>
    public static Gen<TlsOutcome> Tls => Gen.Elements(
        [TlsOutcome.NotNegotiated, TlsOutcome.Valid, .. Enum.GetValues<FailureKind>().Where(static k => k != FailureKind.MxMismatch).Select(TlsOutcome.Failed)]);
}
