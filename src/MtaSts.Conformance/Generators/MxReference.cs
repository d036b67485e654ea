namespace MtaSts.Conformance.Generators;

/// <summary>
/// A straightforward reference definition of RFC 8461 §4.1 (M-01, M-02), written apart from the core's
/// matcher: the law <c>MxMatchingLaws.MatchingAgreesWithTheReference</c> holds the core to it, and the
/// conformance kit takes the expected outcome of its generated <c>match</c> vectors from it.
/// </summary>
internal static class MxReference
{
    /// <summary>
    /// The reference: lower-case both, drop one trailing dot from the host, split into labels; a
    /// literal pattern matches equal label lists; <c>*.rest</c> matches a host with exactly one more
    /// label whose other labels equal <c>rest</c>. (ASCII hosts only, as generated.)
    /// </summary>
    public static bool Matches(string pattern, string host)
    {
        var h = host.EndsWith('.') ? host[..^1] : host;
        var hostLabels = h.ToLowerInvariant().Split('.');
        var patternLabels = pattern.ToLowerInvariant().Split('.');
        if (hostLabels.Any(static l => l.Length == 0 || l.Length > 63) || h.Length > 253)
        {
            return false;
        }

        return patternLabels[0] == "*"
            ? hostLabels.Length == patternLabels.Length && hostLabels.Skip(1).SequenceEqual(patternLabels.Skip(1))
            : hostLabels.SequenceEqual(patternLabels);
    }
}
