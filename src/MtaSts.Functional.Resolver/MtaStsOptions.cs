using System.Net;
using System.Security.Cryptography.X509Certificates;
using MtaSts.Functional.Lifecycle;

namespace MtaSts.Functional.Resolver;

/// <summary>Settings of the resolver. The defaults follow RFC 8461's suggestions.</summary>
public sealed class MtaStsOptions
{
    /// <summary>
    /// DNS servers for every lookup: the TXT record, MX, and the policy host's own address. Empty
    /// (the default) uses the system's resolver. When set, nothing goes to the system resolver.
    /// </summary>
    public IList<IPEndPoint> NameServers { get; } = [];

    /// <summary>Timeout of one DNS query (default 5 s).</summary>
    public TimeSpan DnsTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Retries of a DNS query after a timeout (default 1).</summary>
    public int DnsRetries { get; set; } = 1;

    /// <summary>Bound on the whole policy fetch, headers and body (RFC 8461 §3.3 suggests one minute; C-07).</summary>
    public TimeSpan FetchTimeout { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>No new fetch for the same domain and id this long after a failure (C-04; at least 5 minutes).</summary>
    public TimeSpan FetchBackoff { get; set; } = LifecycleOptions.MinimumFetchBackoff;

    /// <summary>
    /// Extra certificate authorities trusted for the policy host, in addition to the system's
    /// (private PKI, tests). Validation stays on: the chain must end at one of them or at a system root,
    /// be unexpired, and name <c>mta-sts.&lt;domain&gt;</c> in a DNS-ID.
    /// </summary>
    public X509Certificate2Collection TrustAnchors { get; } = [];

    /// <summary>Check the policy host's certificate for revocation (RFC 8461 §3.3 MAY; default off).</summary>
    public bool CheckCertificateRevocation { get; set; }

    /// <summary>
    /// The TCP port of the policy host. RFC 8461 fixes HTTPS on 443; change it only to point the
    /// resolver at test or private infrastructure (the URL, SNI and certificate name do not change).
    /// </summary>
    public int PolicyPort { get; set; } = 443;

    /// <summary>
    /// A TXT answer is reused this long before a delivery lookup asks DNS again (default 60 s; zero
    /// asks every time), never longer than the record's TTL, so that a burst of mail to one domain
    /// makes one query. A proactive refresh always asks DNS. (The Python resolver's <c>cache_grace</c>.)
    /// </summary>
    public TimeSpan TxtGrace { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// A temporary failure of the TXT lookup (SERVFAIL, REFUSED, a timeout, a network error) is reused this
    /// long before a delivery lookup asks DNS again (default 30 s; zero asks every time; at most 5 minutes,
    /// as RFC 2308 §7.1 allows for a server failure: longer values count as 5 minutes), so that a domain whose
    /// DNS is down costs one query per this interval, not one (with its timeouts) per delivery. Each
    /// lookup meanwhile still reports the DNS error and falls back to the cache (C-05). A proactive refresh
    /// always asks DNS.
    /// </summary>
    public TimeSpan TxtFailureGrace { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// <see cref="CacheEntry.LastUsed"/> reaches the storage at most once per this interval per
    /// domain, in one batch for all domains (default 5 minutes); never per lookup.
    /// </summary>
    public TimeSpan LastUsedInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Path of the SQLite cache file; null (the default) keeps the cache in memory.</summary>
    public string? CachePath { get; set; }

    /// <summary>Run the proactive refresh as a hosted service (C-06; default true when registered with <c>AddMtaSts</c>).</summary>
    public bool ProactiveRefresh { get; set; } = true;

    /// <summary>Re-fetch a cached policy this long after its fetch, or at half its max_age if sooner (default one day, §3.3).</summary>
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromDays(1);

    /// <summary>Each refresh comes up to this much earlier, at random, so that a fleet does not fetch in step (default 1 h).</summary>
    public TimeSpan RefreshJitter { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How often the refresh service looks for due entries (default 5 minutes).</summary>
    public TimeSpan RefreshCheckInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Policies fetched at once by a refresh pass (default 4).</summary>
    public int RefreshConcurrency { get; set; } = 4;
}
