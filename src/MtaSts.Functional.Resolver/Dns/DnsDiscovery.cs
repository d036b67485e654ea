using System.Net;
using System.Net.Sockets;
using DnsClient;
using DnsClient.Protocol;
using LanguageExt;

namespace MtaSts.Functional.Resolver;

/// <summary>Why a DNS lookup gave no records (C-05).</summary>
public enum DnsFailureKind
{
    /// <summary>NXDOMAIN or NODATA: the name or the record type does not exist.</summary>
    NoRecord,

    /// <summary>SERVFAIL, REFUSED, a timeout or a network error.</summary>
    TemporaryFailure,
}

/// <summary>A failed DNS lookup.</summary>
/// <param name="Kind">No record, or a temporary failure.</param>
/// <param name="Detail">What the DNS client said.</param>
public sealed record DnsFailure(DnsFailureKind Kind, string Detail);

/// <summary>
/// The DNS side of discovery through DnsClient: the <c>_mta-sts</c> TXT record (RFC 8461 §3.1),
/// MX records, and the policy host's addresses. CNAME chains are followed (N-09) whether the server
/// answers with the whole chain or only its first link. Every failure is a <see cref="DnsFailure"/>.
/// </summary>
public sealed class DnsDiscovery
{
    /// <summary>Longest CNAME chain followed.</summary>
    internal const int MaxCnameHops = 8;

    private readonly ILookupClient client;

    /// <summary>Creates the lookups from the resolver options: their name servers, or the system's.</summary>
    /// <param name="options">The options.</param>
    public DnsDiscovery(MtaStsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var settings = options.NameServers.Count > 0
            ? new LookupClientOptions(options.NameServers.Select(static e => new NameServer(e)).ToArray())
            : new LookupClientOptions();
        settings.UseCache = false;
        settings.Timeout = options.DnsTimeout;
        settings.Retries = options.DnsRetries;
        settings.ThrowDnsErrors = false;
        settings.ContinueOnDnsError = true;
        settings.ContinueOnEmptyResponse = false;
        client = new LookupClient(settings);
        UsesCustomServers = options.NameServers.Count > 0;
    }

    /// <summary>Whether lookups go to configured servers rather than the system's.</summary>
    public bool UsesCustomServers { get; }

    /// <summary>
    /// Looks up <c>_mta-sts.&lt;domain&gt;</c> and applies the core's record-set rule
    /// (<see cref="StsRecord.FromTxtRecords"/>: strings concatenated, D-11 filter, exactly one record).
    /// </summary>
    /// <param name="domain">The normalised policy domain.</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    /// <returns>The TXT outcome; never throws for DNS problems.</returns>
    public async Task<TxtOutcome> LookupTxtAsync(string domain, CancellationToken cancellationToken = default)
    {
        var answer = await LookupTxtRecordsAsync(domain, cancellationToken).ConfigureAwait(false);
        return answer.Match<TxtOutcome>(
            Right: static records => TxtOutcome.From(StsRecord.FromTxtRecords(records)),
            Left: static f => f.Kind == DnsFailureKind.NoRecord ? TxtOutcome.Absent : new TxtOutcome.TemporaryFailure(f.Detail));
    }

    /// <summary>The TXT records at <c>_mta-sts.&lt;domain&gt;</c> as DNS gave them (each a list of strings), CNAMEs followed.</summary>
    /// <param name="domain">The normalised policy domain.</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    /// <returns>The records, or why there are none.</returns>
    public async Task<Either<DnsFailure, Seq<IReadOnlyList<string>>>> LookupTxtRecordsAsync(string domain, CancellationToken cancellationToken = default)
    {
        var answer = await QueryChainAsync("_mta-sts." + domain, QueryType.TXT, cancellationToken).ConfigureAwait(false);
        return answer.Map(static records => records.OfType<TxtRecord>().Select(static t => (IReadOnlyList<string>)t.Text.ToArray()).ToSeq().Strict());
    }

    /// <summary>Looks up the MX records of <paramref name="domain"/>, in preference order.</summary>
    /// <param name="domain">The domain.</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    /// <returns>The MX records, or why there are none.</returns>
    public async Task<Either<DnsFailure, Seq<MxRecord>>> LookupMxAsync(string domain, CancellationToken cancellationToken = default)
    {
        var answer = await QueryChainAsync(domain, QueryType.MX, cancellationToken).ConfigureAwait(false);
        return answer.Map(static records => records.OfType<DnsClient.Protocol.MxRecord>()
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
        var addresses = v4.RightToSeq().Bind(static r => r.OfType<ARecord>().Select(static a => a.Address).ToSeq())
            + v6.RightToSeq().Bind(static r => r.OfType<AaaaRecord>().Select(static a => a.Address).ToSeq());
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
    private async Task<Either<DnsFailure, Seq<DnsResourceRecord>>> QueryChainAsync(string name, QueryType type, CancellationToken cancellationToken)
    {
        var current = name;
        for (var hop = 0; hop <= MaxCnameHops; hop++)
        {
            var response = await QueryAsync(current, type, cancellationToken).ConfigureAwait(false);
            if (response.Case is DnsFailure failure)
            {
                return failure;
            }

            (current, var records, var complete) = Follow((IReadOnlyList<DnsResourceRecord>)response.Case!, current, type);
            if (complete)
            {
                return records.IsEmpty ? new DnsFailure(DnsFailureKind.NoRecord, $"no {type} record at {current}") : records;
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

    /// <summary>One query; NXDOMAIN and an empty answer are "no record", everything else that fails is temporary (C-05).</summary>
    private async Task<Either<DnsFailure, IReadOnlyList<DnsResourceRecord>>> QueryAsync(string name, QueryType type, CancellationToken cancellationToken)
    {
        try
        {
            var response = await client.QueryAsync(name, type, QueryClass.IN, cancellationToken).ConfigureAwait(false);
            return response.Header.ResponseCode switch
            {
                DnsHeaderResponseCode.NoError => Either<DnsFailure, IReadOnlyList<DnsResourceRecord>>.Right(response.Answers),
                DnsHeaderResponseCode.NotExistentDomain => new DnsFailure(DnsFailureKind.NoRecord, $"NXDOMAIN for {name}"),
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
