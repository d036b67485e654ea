using DnsClient;
using DnsClient.Protocol;

namespace MtaSts.Functional.Resolver;

/// <summary>The TLSRPT side of discovery (RFC 8460 §3): the <c>_smtp._tls</c> TXT record, through the same DNS client and CNAME walk.</summary>
internal sealed partial class DnsDiscovery : ITlsRptLookup
{
    /// <summary>
    /// Looks up <c>_smtp._tls.&lt;domain&gt;</c> (the domain's A-labels, §3, §4.4), following CNAMEs, and applies
    /// the §3 record-set rule (<see cref="TlsRptOutcome.From"/>, T-06). NXDOMAIN and NODATA are "no record";
    /// SERVFAIL, REFUSED, a timeout or a CNAME loop is a temporary failure (C-05). A name too long for DNS
    /// (the prefix is two octets longer than <c>_mta-sts.</c>) has no record.
    /// </summary>
    /// <param name="domain">The policy domain.</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    /// <returns>The outcome; never throws for DNS problems.</returns>
    public async Task<TlsRptOutcome> LookupTlsRptAsync(PolicyDomain domain, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(domain);
        var answer = await QueryChainAsync(ITlsRptLookup.NamePrefix + domain.Value, QueryType.TXT, cancellationToken).ConfigureAwait(false);
        return answer.Match(
            Right: static found => TlsRptOutcome.From(found.Records.OfType<TxtRecord>().Select(static t => t.Text.ToArray())),
            Left: static f => f.Kind == DnsFailureKind.NoRecord
                ? TlsRptOutcome.From(null)
                : new TlsRptOutcome.TemporaryFailure(f.Detail));
    }
}
