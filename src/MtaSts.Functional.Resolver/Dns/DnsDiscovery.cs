using System.Net;
using System.Net.Sockets;
using DnsClient;
using DnsClient.Protocol;
using LanguageExt;
using MtaSts.Functional.Lifecycle;

namespace MtaSts.Functional.Resolver;

/// <summary>Why a DNS lookup gave no records (C-05).</summary>
internal enum DnsFailureKind
{
    /// <summary>NXDOMAIN or NODATA: the name or the record type does not exist.</summary>
    NoRecord,

    /// <summary>SERVFAIL, REFUSED, a timeout or a network error.</summary>
    TemporaryFailure,
}

/// <summary>A failed DNS lookup.</summary>
/// <param name="Kind">No record, or a temporary failure.</param>
/// <param name="Detail">What the DNS client said.</param>
internal sealed record DnsFailure(DnsFailureKind Kind, string Detail)
{
    /// <summary>How long a negative answer may be reused (the SOA minimum, RFC 2308 §5); zero when unknown or temporary.</summary>
    public TimeSpan TimeToLive { get; init; }
}

/// <summary>
/// The DNS side of discovery through DnsClient: the <c>_mta-sts</c> TXT record (RFC 8461 §3.1),
/// MX records, and the policy host's addresses. CNAME chains are followed (N-09) whether the server
/// answers with the whole chain or only its first link. Every failure is a <see cref="DnsFailure"/>.
/// </summary>
internal sealed partial class DnsDiscovery : ITxtLookup
{
    /// <summary>Longest CNAME chain followed.</summary>
    internal const int MaxCnameHops = 8;

    private readonly ILookupClient client;

    /// <summary>Creates the lookups from the resolver options: their name servers, or the system's.</summary>
    /// <param name="options">The options.</param>
    public DnsDiscovery(MtaStsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        client = new LookupClient(ClientSettings(options));
        UsesCustomServers = options.NameServers.Count > 0;
    }

    /// <summary>The DnsClient settings of every lookup: the configured servers (or the system's), no client cache, the timeouts; errors as values.</summary>
    /// <param name="options">The options.</param>
    /// <returns>New settings (the DANE check of the Postfix server adds the DO bit to its own copy).</returns>
    internal static LookupClientOptions ClientSettings(MtaStsOptions options)
    {
        var settings = options.NameServers.Count > 0
            ? new LookupClientOptions(options.NameServers.Select(static e => new NameServer(e)).ToArray())
            : new LookupClientOptions();
        settings.UseCache = false;
        settings.Timeout = options.DnsTimeout;
        settings.Retries = options.DnsRetries;
        settings.ThrowDnsErrors = false;
        settings.ContinueOnDnsError = true;
        settings.ContinueOnEmptyResponse = false;
        return settings;
    }

    /// <summary>Whether lookups go to configured servers rather than the system's.</summary>
    public bool UsesCustomServers { get; }

    /// <summary>
    /// Looks up <c>_mta-sts.&lt;domain&gt;</c> and applies the core's record-set rule
    /// (<see cref="TxtOutcome.From"/>: strings concatenated, D-11 filter, exactly one record), with the
    /// answer's TTL (the least TTL along the CNAME chain) so that the resolver can reuse it.
    /// </summary>
    /// <param name="domain">The policy domain.</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    /// <returns>The TXT answer; never throws for DNS problems.</returns>
    public async Task<TxtAnswer> LookupTxtAsync(PolicyDomain domain, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(domain);
        var answer = await QueryChainAsync(domain.TxtName, QueryType.TXT, cancellationToken).ConfigureAwait(false);
        return answer.Match(
            Right: static found => new TxtAnswer(
                TxtOutcome.From(found.Records.OfType<TxtRecord>().Select(static t => t.Text.ToArray())),
                found.Ttl),
            Left: static f => f.Kind == DnsFailureKind.NoRecord
                ? new TxtAnswer(TxtOutcome.Absent, f.TimeToLive)
                : new TxtAnswer(new TxtOutcome.TemporaryFailure(f.Detail), TimeSpan.Zero));
    }

    /// <summary>Looks up the MX records of <paramref name="domain"/>, in preference order.</summary>
    /// <param name="domain">The domain.</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    /// <returns>The MX records, or why there are none.</returns>
    public async Task<Either<DnsFailure, Seq<MxRecord>>> LookupMxAsync(string domain, CancellationToken cancellationToken = default)
    {
        var answer = await QueryChainAsync(domain, QueryType.MX, cancellationToken).ConfigureAwait(false);
        return answer.Map(static found => found.Records.OfType<DnsClient.Protocol.MxRecord>()
            .Select(static m => new MtaSts.Functional.MxRecord(m.Preference, m.Exchange.Original.TrimEnd('.')))
            .OrderBy(static m => m.Preference)
            .ToSeq()
            .Strict());
    }

    /// <summary>The IPv4 and IPv6 addresses of <paramref name="host"/>, through the configured servers.</summary>
    /// <param name="host">The host name.</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    /// <returns>The addresses (IPv4 first), or why there are none.</returns>
    public async Task<Either<DnsFailure, Seq<IPAddress>>> LookupAddressesAsync(string host, CancellationToken cancellationToken = default)
    {
        var v4 = await QueryChainAsync(host, QueryType.A, cancellationToken).ConfigureAwait(false);
        var v6 = await QueryChainAsync(host, QueryType.AAAA, cancellationToken).ConfigureAwait(false);
        var addresses = v4.RightToSeq().Bind(static r => r.Records.OfType<ARecord>().Select(static a => a.Address).ToSeq())
            + v6.RightToSeq().Bind(static r => r.Records.OfType<AaaaRecord>().Select(static a => a.Address).ToSeq());
        return addresses.IsEmpty
            ? v4.Match(Right: _ => v6.Match<Either<DnsFailure, Seq<IPAddress>>>(Right: _ => new DnsFailure(DnsFailureKind.NoRecord, $"{host} has no A or AAAA record"), Left: static f => f), Left: static f => f)
            : addresses.Strict();
    }

    /// <summary>
    /// The records of <paramref name="type"/> at the end of the CNAME chain that starts at
    /// <paramref name="name"/> (RFC 8461 §3.1: senders MUST follow CNAMEs), querying again when the
    /// server returned only part of the chain. A loop or a chain over <see cref="MaxCnameHops"/> links
    /// is a temporary failure.
    /// </summary>
    private async Task<Either<DnsFailure, (Seq<DnsResourceRecord> Records, TimeSpan Ttl)>> QueryChainAsync(string name, QueryType type, CancellationToken cancellationToken)
    {
        var current = name;
        var ttl = TimeSpan.MaxValue;
        for (var hop = 0; hop <= MaxCnameHops; hop++)
        {
            var response = await QueryAsync(current, type, cancellationToken).ConfigureAwait(false);
            if (response.IsLeft)
            {
                return response.Match(Right: static _ => throw new System.Diagnostics.UnreachableException(), Left: static f => f);
            }

            var answers = response.Match(Right: static a => a, Left: static _ => throw new System.Diagnostics.UnreachableException());
            foreach (var record in answers)
            {
                ttl = TimeSpan.FromSeconds(Math.Min(ttl.TotalSeconds, Math.Max(0, record.InitialTimeToLive)));
            }

            (current, var records, var complete) = Follow(answers, current, type);
            if (complete)
            {
                return records.IsEmpty
                    ? new DnsFailure(DnsFailureKind.NoRecord, $"no {type} record at {current}")
                    : (records, ttl == TimeSpan.MaxValue ? TimeSpan.Zero : ttl);
            }
        }

        return new DnsFailure(DnsFailureKind.TemporaryFailure, $"CNAME chain from {name} longer than {MaxCnameHops} links, or a loop");
    }

    /// <summary>
    /// Walks the CNAMEs inside one answer: returns the last name reached, the records of the wanted
    /// type there, and whether the answer settled the question (records found, or no CNAME to follow).
    /// </summary>
    internal static (string Name, Seq<DnsResourceRecord> Records, bool Complete) Follow(IReadOnlyList<DnsResourceRecord> answers, string name, QueryType type)
    {
        var current = name;
        for (var hop = 0; hop <= MaxCnameHops; hop++)
        {
            // DnsClient's DnsString.Value turns xn-- labels into U-labels; Original is the wire (A-label) form we query with.
            var here = answers.Where(r => SameName(r.DomainName.Original, current)).ToSeq().Strict();
            var wanted = here.Filter(r => (int)r.RecordType == (int)type);
            if (!wanted.IsEmpty)
            {
                return (current, wanted, true);
            }

            var cname = here.OfType<CNameRecord>().FirstOrDefault();
            if (cname is null)
            {
                return (current, Seq<DnsResourceRecord>.Empty, hop == 0);
            }

            current = cname.CanonicalName.Original.TrimEnd('.');
        }

        return (current, Seq<DnsResourceRecord>.Empty, false);
    }

    private static bool SameName(string a, string b) =>
        string.Equals(a.TrimEnd('.'), b.TrimEnd('.'), StringComparison.OrdinalIgnoreCase);

    /// <summary>RFC 2308 §5: a negative answer lives for the lesser of the SOA's TTL and its MINIMUM field.</summary>
    private static TimeSpan NegativeTtl(IDnsQueryResponse response) =>
        response.Authorities.OfType<SoaRecord>().Select(static soa => TimeSpan.FromSeconds(Math.Min(Math.Max(0, soa.InitialTimeToLive), (long)soa.Minimum))).DefaultIfEmpty(TimeSpan.Zero).Min();

    /// <summary>One query; NXDOMAIN and an empty answer are "no record", everything else that fails is temporary (C-05).</summary>
    private async Task<Either<DnsFailure, IReadOnlyList<DnsResourceRecord>>> QueryAsync(string name, QueryType type, CancellationToken cancellationToken)
    {
        try
        {
            var response = await client.QueryAsync(name, type, QueryClass.IN, cancellationToken).ConfigureAwait(false);
            return response.Header.ResponseCode switch
            {
                DnsHeaderResponseCode.NoError when response.Answers.Count > 0 => Either<DnsFailure, IReadOnlyList<DnsResourceRecord>>.Right(response.Answers),
                DnsHeaderResponseCode.NoError => new DnsFailure(DnsFailureKind.NoRecord, $"no {type} record at {name}") { TimeToLive = NegativeTtl(response) },
                DnsHeaderResponseCode.NotExistentDomain => new DnsFailure(DnsFailureKind.NoRecord, $"NXDOMAIN for {name}") { TimeToLive = NegativeTtl(response) },
                var code => new DnsFailure(DnsFailureKind.TemporaryFailure, $"{code} for {name} {type}"),
            };
        }
        catch (DnsResponseException e)
        {
            return new DnsFailure(DnsFailureKind.TemporaryFailure, $"{e.Code} for {name} {type}: {e.Message}");
        }
        catch (ArgumentException e)
        {
            // A name DNS cannot carry (e.g. a CNAME target over 253 octets): there can be no such record.
            return new DnsFailure(DnsFailureKind.NoRecord, $"{name} cannot be queried: {e.Message}");
        }
        catch (SocketException e)
        {
            return new DnsFailure(DnsFailureKind.TemporaryFailure, $"network error for {name} {type}: {e.Message}");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new DnsFailure(DnsFailureKind.TemporaryFailure, $"timeout for {name} {type}");
        }
    }
}
