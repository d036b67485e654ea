using System.Text;
using LanguageExt;
using MtaSts.Functional.Lifecycle;

namespace MtaSts.Postfix.Protocol;

/// <summary>Which reply form a map name asks for.</summary>
internal enum MapKind
{
    /// <summary>The plain reply, for any Postfix ≥ 3.4.</summary>
    Plain,

    /// <summary>The plain reply plus TLSRPT attributes (Postfix ≥ 3.10, TLSRPT_README).</summary>
    Tlsrpt,
}

/// <summary>How replies are written (the switches of <c>mta-sts serve</c>).</summary>
/// <param name="StrictTesting">Answer a <c>testing</c> policy like <c>enforce</c>.</param>
/// <param name="ServerName">Add <c>servername=hostname</c> (Postfix ≥ 3.4; switch off for older Postfix).</param>
internal sealed record ReplyOptions(bool StrictTesting, bool ServerName);

/// <summary>What the DANE check found for a domain (RFC 7672 §2, §3; RFC 8461 §2).</summary>
internal enum DaneStatus
{
    /// <summary>DANE does not apply: no validating resolver, an insecure MX RRset, or no validated TLSA record.</summary>
    NotApplicable,

    /// <summary>Every MX host has validated TLSA records.</summary>
    EveryHost,

    /// <summary>Some, not all, MX hosts have validated TLSA records.</summary>
    SomeHosts,

    /// <summary>A DNS lookup of the check failed temporarily.</summary>
    TemporaryFailure,
}

/// <summary>
/// The replies, as pure functions of what the resolver and the DANE check found. The lifecycle is the
/// resolver's (a cached policy is applied exactly when its <see cref="MtaSts.Functional.Resolver.Resolution"/> says so);
/// this only writes the applied policy in Postfix's <c>smtp_tls_policy_maps</c> syntax.
/// </summary>
internal static class PolicyReplies
{
    /// <summary>
    /// RFC 8461 §2 (M-06): DANE first. Postfix's own DANE takes the domain: <c>dane-only</c> when every MX
    /// host has validated TLSA records, <c>dane</c> (opportunistic DANE) otherwise; a temporary DNS failure of
    /// the check defers, as Postfix's DANE does. Not applicable → none (the STS policy is asked for).
    /// </summary>
    /// <param name="status">The DANE check.</param>
    /// <param name="detail">What failed, for TEMP.</param>
    /// <returns>The reply, or none when DANE does not apply.</returns>
    public static Option<SocketmapReply> ForDane(DaneStatus status, string detail) => status switch
    {
        DaneStatus.EveryHost => new SocketmapReply.Ok("dane-only"),
        DaneStatus.SomeHosts => new SocketmapReply.Ok("dane"),
        DaneStatus.TemporaryFailure => new SocketmapReply.Temp("DANE TLSA/MX lookup failed: " + detail),
        _ => Option<SocketmapReply>.None,
    };

    /// <summary>
    /// RFC 8461 §5: <c>enforce</c> → <c>secure match=… servername=hostname</c>; <c>testing</c> (unless
    /// strict), <c>none</c> and no policy → <c>NOTFOUND </c> (deliver as without MTA-STS).
    /// </summary>
    /// <param name="domain">The policy domain (A-label).</param>
    /// <param name="policy">The policy the resolver says to apply now.</param>
    /// <param name="kind">Plain or TLSRPT reply.</param>
    /// <param name="options">The reply switches.</param>
    /// <returns>The reply.</returns>
    public static SocketmapReply ForPolicy(string domain, Option<CachedPolicy> policy, MapKind kind, ReplyOptions options) =>
        policy.Match(
            Some: p => p.Policy.Mode == PolicyMode.Enforce || (p.Policy.Mode == PolicyMode.Testing && options.StrictTesting)
                ? Secure(domain, p, kind, options)
                : SocketmapReply.NotFound,
            None: () => SocketmapReply.NotFound);

    private static SocketmapReply Secure(string domain, CachedPolicy cached, MapKind kind, ReplyOptions options)
    {
        var text = new StringBuilder("secure match=");
        var first = true;
        foreach (var mx in cached.Policy.Mx)
        {
            text.Append(first ? string.Empty : ":").Append(MatchPattern(mx));
            first = false;
        }

        if (options.ServerName)
        {
            text.Append(" servername=hostname");
        }

        if (kind == MapKind.Tlsrpt && TlsrptAttributesFit(cached.Text))
        {
            // TLSRPT_README: policy_type and policy_domain once; one mx_host_pattern per mx line with "*." KEPT
            // (Postfix ≥ 3.10.5 then matches MX hosts one label deep, as RFC 8461 §4.1); one policy_string per
            // policy line in file order. Never policy_ttl (deprecated since Postfix 3.10, HISTORY 20250205).
            text.Append(" policy_type=sts policy_domain=").Append(domain);
            foreach (var mx in cached.Policy.Mx)
            {
                text.Append(" mx_host_pattern=").Append(mx.Render());
            }

            foreach (var line in PolicyLines(cached.Text))
            {
                text.Append(" { policy_string = ").Append(line).Append(" }");
            }
        }

        return new SocketmapReply.Ok(text.ToString());
    }

    /// <summary>
    /// A pattern in Postfix's <c>match=</c> syntax (smtp_tls_verify_cert_match): literal names as they are;
    /// <c>*.example.net</c> as <c>.example.net</c>, which Postfix before 3.10.5 matches at any depth
    /// (wider than RFC 8461 §4.1's one label; README says so).
    /// </summary>
    internal static string MatchPattern(MxPattern pattern) => pattern switch
    {
        MxPattern.Wildcard w => "." + w.Parent.Value,
        _ => pattern.Render(),
    };

    /// <summary>
    /// Whether every line of the policy text can travel as <c>{ policy_string = LINE }</c>. Postfix
    /// (smtp_tls_policy.c, ≥ 3.10) splits the reply with <c>mystrtokq(", \t\r\n", "{}")</c>, which does
    /// not split inside braces, and reads a braced item with <c>extpar()</c>, which takes the text up to
    /// the brace that closes the first one (<c>balpar()</c>); neither has an escape. So a line is
    /// carried intact exactly when its braces nest: no prefix closes more than it opened, and it closes
    /// all it opened. An extension value may hold any VCHAR (RFC 8461 §3.2 <c>sts-policy-ext-value</c>),
    /// so a policy such as <c>x_note: a}b</c> is valid MTA-STS; for it Postfix would report
    /// "syntax error after '}'" (or "missing '}'", or read the rest as other attributes) and mark the
    /// whole TLS policy invalid, which defers the mail. Such a policy gets the plain reply instead: no
    /// TLSRPT attributes at all, rather than a report whose <c>policy-string</c> misstates the policy
    /// (RFC 8460 §4.4) or attributes Postfix cannot parse.
    /// </summary>
    /// <param name="text">The fetched policy text.</param>
    /// <returns>Whether the TLSRPT attributes can be written for it.</returns>
    internal static bool TlsrptAttributesFit(string text)
    {
        foreach (var line in PolicyLines(text))
        {
            var depth = 0;
            foreach (var c in line)
            {
                depth += c == '{' ? 1 : c == '}' ? -1 : 0;
                if (depth < 0)
                {
                    return false;
                }
            }

            if (depth != 0)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The lines of the fetched policy text, in file order, without line ends or trailing WSP; blank lines skipped.</summary>
    internal static IEnumerable<string> PolicyLines(string text)
    {
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimEnd('\r', ' ', '\t');
            if (line.Trim(' ', '\t').Length > 0)
            {
                yield return line.Trim(' ', '\t');
            }
        }
    }
}
