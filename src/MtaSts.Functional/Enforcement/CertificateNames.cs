namespace MtaSts.Functional;

/// <summary>
/// Certificate name matching for MTA-STS (RFC 8461 §3.3 for the policy host, §4.2 for the MX; M-05):
/// DNS-ID subject alternative names only (never the subject CN), ASCII case-insensitive, and a
/// wildcard only as the complete left-most label (<c>*.example.com</c> covers exactly one label;
/// <c>m*.example.com</c> matches nothing, as RFC 9525 §6.3 requires).
/// </summary>
public static class CertificateNames
{
    /// <summary>Does any of the certificate's DNS-IDs cover <paramref name="host"/>?</summary>
    /// <param name="dnsIds">The certificate's dNSName SANs (A-labels).</param>
    /// <param name="host">The MX host or the policy host (<c>mta-sts.&lt;domain&gt;</c>); normalised as in §4.1 (M-01).</param>
    /// <returns>True when one DNS-ID matches; false for no DNS-IDs, an invalid host, or no match.</returns>
    public static bool Matches(IEnumerable<string?>? dnsIds, string? host)
    {
        if (dnsIds is null || !HostNames.TryNormalize(host, out var name))
        {
            return false;
        }

        foreach (var id in dnsIds)
        {
            if (id is not null && IdMatches(id, name))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IdMatches(ReadOnlySpan<char> id, ReadOnlySpan<char> name)
    {
        if (id.StartsWith("*.", StringComparison.Ordinal))
        {
            var parent = id[2..];
            return !parent.Contains('*') && HostNames.IsOneLabelBelow(name, parent);
        }

        return !id.Contains('*') && name.Equals(id, StringComparison.OrdinalIgnoreCase);
    }
}
