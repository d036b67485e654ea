using System.Net;
using LanguageExt;
using MtaSts.Functional;
using MtaSts.Functional.Resolver;

namespace MtaSts.MailKit;

/// <summary>Why an MX or address lookup gave nothing.</summary>
/// <param name="Temporary">True for SERVFAIL, a timeout or a network error (try later); false for NXDOMAIN or no such record (C-05).</param>
/// <param name="Detail">What the DNS client said.</param>
public sealed record MxLookupFailure(bool Temporary, string Detail);

/// <summary>The DNS port of the delivery: MX records and the MX hosts' addresses.</summary>
public interface IMxLookup
{
    /// <summary>The MX records of <paramref name="domain"/>; never throws for DNS problems.</summary>
    /// <param name="domain">The recipient domain.</param>
    /// <param name="cancellationToken">Cancels the lookup (the only exception it throws).</param>
    /// <returns>The records (a null MX, RFC 7505, has an empty host), or why there are none.</returns>
    Task<Either<MxLookupFailure, Seq<MxRecord>>> LookupMxAsync(PolicyDomain domain, CancellationToken cancellationToken = default);

    /// <summary>The IPv4 and IPv6 addresses of an MX host; never throws for DNS problems.</summary>
    /// <param name="host">The MX host name.</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    /// <returns>The addresses, or why there are none.</returns>
    Task<Either<MxLookupFailure, Seq<IPAddress>>> LookupAddressesAsync(string host, CancellationToken cancellationToken = default);
}

/// <summary>The resolver's DNS adapter (the same DnsClient settings, CNAME following and name servers as the policy lookup) behind <see cref="IMxLookup"/>.</summary>
internal sealed class ResolverMxLookup(DnsDiscovery dns) : IMxLookup
{
    public async Task<Either<MxLookupFailure, Seq<MxRecord>>> LookupMxAsync(PolicyDomain domain, CancellationToken cancellationToken = default) =>
        (await dns.LookupMxAsync(domain.Value, cancellationToken).ConfigureAwait(false)).MapLeft(Failure);

    public async Task<Either<MxLookupFailure, Seq<IPAddress>>> LookupAddressesAsync(string host, CancellationToken cancellationToken = default) =>
        (await dns.LookupAddressesAsync(host, cancellationToken).ConfigureAwait(false)).MapLeft(Failure);

    private static MxLookupFailure Failure(DnsFailure f) => new(f.Kind == DnsFailureKind.TemporaryFailure, f.Detail);
}
