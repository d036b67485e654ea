namespace MtaSts.Postfix.Protocol;

/// <summary>
/// What a <c>smtp_tls_policy_maps</c> key is. Postfix indexes the table "by the full next-hop
/// destination, which is either the recipient domain, or the verbatim next-hop specified in the
/// transport table … including any enclosing square brackets and any non-default destination server
/// port suffix" (postconf(5)); after a miss on a domain it asks the parent domains with a leading dot.
/// </summary>
internal abstract record NextHopKey
{
    private NextHopKey()
    {
    }

    /// <summary>A policy domain to look up: lower-case A-labels, no trailing dot.</summary>
    /// <param name="Name">The normalised domain.</param>
    public sealed record Domain(PolicyDomain Name) : NextHopKey;

    /// <summary>A key that gets <c>NOTFOUND </c> without any lookup.</summary>
    /// <param name="Why">Why, for the debug log.</param>
    public sealed record NotApplicable(string Why) : NextHopKey;

    /// <summary>
    /// Classifies a key: trim, then a leading dot (a parent-domain retry: RFC 8461 policies are per
    /// domain, never inherited), a bracketed or <c>host:port</c> next hop (a route from the transport
    /// table, not a recipient domain) and anything that is not a valid domain (an IP literal included,
    /// §3.4) are not applicable. With <paramref name="applyBracketed"/>, <c>[domain]</c> and
    /// <c>[domain]:port</c> get the policy of <c>domain</c> instead. The domain itself goes through the
    /// core's <see cref="PolicyDomain.Parse"/> (lower case, one trailing dot, IDNA to A-labels; M-07) — the one source of truth.
    /// </summary>
    /// <param name="key">The key as Postfix sent it (UTF-8 decoded).</param>
    /// <param name="applyBracketed">Apply a bracketed domain's policy.</param>
    /// <returns>The classification.</returns>
    public static NextHopKey Classify(string key, bool applyBracketed)
    {
        var text = key.Trim();
        if (text.Length == 0)
        {
            return new NotApplicable("empty key");
        }

        if (text[0] == '.')
        {
            return new NotApplicable("a parent-domain lookup (leading dot): MTA-STS policies are not inherited");
        }

        if (text[0] == '[')
        {
            var close = text.IndexOf(']', StringComparison.Ordinal);
            var rest = close < 0 ? string.Empty : text[(close + 1)..];
            if (!applyBracketed || close < 0 || !(rest.Length == 0 || IsPortSuffix(rest)))
            {
                return new NotApplicable("a bracketed next hop from the transport table");
            }

            text = text[1..close];
        }
        else if (text.Contains(':', StringComparison.Ordinal))
        {
            return new NotApplicable("a host:port next hop from the transport table, or an IPv6 literal");
        }

        return PolicyDomain.Parse(text).Match<NextHopKey>(
            Right: static name => new Domain(name),
            Left: static error => new NotApplicable(error.Render()));
    }

    private static bool IsPortSuffix(string text) =>
        text.Length > 1 && text[0] == ':' && text.AsSpan(1).IndexOfAnyExceptInRange('0', '9') < 0;
}
