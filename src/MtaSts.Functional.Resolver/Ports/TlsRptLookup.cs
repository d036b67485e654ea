using System.Collections.Immutable;
using LanguageExt;

namespace MtaSts.Functional.Resolver;

/// <summary>
/// What the <c>_smtp._tls.&lt;domain&gt;</c> TXT lookup gave (RFC 8460 §3), classified by the record-set
/// rule <see cref="TlsRptRecord.FromTxtRecords"/> (T-06). A closed union: <see cref="Found"/>,
/// <see cref="NoRecord"/>, <see cref="Unusable"/>, <see cref="TemporaryFailure"/>; as for the MTA-STS
/// record (C-05), "no record" and a DNS temporary failure are kept apart.
/// </summary>
public abstract record TlsRptOutcome
{
    private TlsRptOutcome(ImmutableArray<ImmutableArray<string>> records) => Records = records;

    /// <summary>The TXT records at the name as DNS gave them (each a list of strings, CNAMEs followed), TLSRPT or not; empty for a temporary failure.</summary>
    public ImmutableArray<ImmutableArray<string>> Records { get; }

    /// <summary>
    /// Classifies the TXT records at <c>_smtp._tls.&lt;domain&gt;</c> with <see cref="TlsRptRecord.FromTxtRecords"/>:
    /// exactly one record is <see cref="Found"/>; none at all (NXDOMAIN, NODATA, or several records none of which begins
    /// with <c>v=TLSRPTv1;</c>) is <see cref="NoRecord"/>; several TLSRPT records or one invalid record is <see cref="Unusable"/>.
    /// </summary>
    /// <param name="records">Each TXT record's strings; null reads as none.</param>
    /// <returns>The outcome, carrying <paramref name="records"/>.</returns>
    public static TlsRptOutcome From(IEnumerable<IEnumerable<string>>? records)
    {
        var raw = (records ?? []).Select(static r => (r ?? []).ToImmutableArray()).ToImmutableArray();
        return TlsRptRecord.FromTxtRecords(raw.Select(static r => (IReadOnlyList<string>)r)).Match<TlsRptOutcome>(
            Right: r => new Found(r, raw),
            Left: e => e is MtaStsError.NoTlsRptRecord { Reason: UnusableRecordReason.None } ? new NoRecord(raw) : new Unusable(e, raw));
    }

    /// <summary>Value equality: the same case, the same fields and the same records, string by string.</summary>
    /// <param name="other">The other outcome.</param>
    /// <returns>Whether they are equal.</returns>
    public virtual bool Equals(TlsRptOutcome? other)
    {
        if (other is null || EqualityContract != other.EqualityContract || Records.Length != other.Records.Length)
        {
            return false;
        }

        for (var i = 0; i < Records.Length; i++)
        {
            if (!Records[i].SequenceEqual(other.Records[i], StringComparer.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(EqualityContract, Records.Length);

    /// <summary>Exactly one TLSRPT record (after CNAMEs, string concatenation and the T-06 filter): the domain implements TLSRPT.</summary>
    public sealed record Found : TlsRptOutcome
    {
        internal Found(TlsRptRecord record, ImmutableArray<ImmutableArray<string>> records)
            : base(records) => Record = record;

        /// <summary>The record.</summary>
        public TlsRptRecord Record { get; }
    }

    /// <summary>NXDOMAIN, NODATA, or no TXT record that is a TLSRPT record: the domain does not implement TLSRPT (§3).</summary>
    public sealed record NoRecord : TlsRptOutcome
    {
        internal NoRecord(ImmutableArray<ImmutableArray<string>> records)
            : base(records)
        {
        }
    }

    /// <summary>Several <c>v=TLSRPTv1;</c> records, or the one record is invalid: the sender MUST assume no TLSRPT (§3, T-06).</summary>
    public sealed record Unusable : TlsRptOutcome
    {
        internal Unusable(MtaStsError error, ImmutableArray<ImmutableArray<string>> records)
            : base(records) => Error = error;

        /// <summary>Why (a <see cref="MtaStsError.NoTlsRptRecord"/>: several, or invalid with its cause).</summary>
        public MtaStsError Error { get; }
    }

    /// <summary>SERVFAIL, REFUSED, a timeout or a network error: DNS could not answer, so whether the domain implements TLSRPT is unknown (C-05).</summary>
    public sealed record TemporaryFailure : TlsRptOutcome
    {
        /// <summary>A temporary failure.</summary>
        /// <param name="detail">What the DNS client said.</param>
        public TemporaryFailure(string detail)
            : base(ImmutableArray<ImmutableArray<string>>.Empty) => Detail = detail ?? throw new ArgumentNullException(nameof(detail));

        /// <summary>What the DNS client said.</summary>
        public string Detail { get; }
    }
}

/// <summary>The port for the <c>_smtp._tls.&lt;domain&gt;</c> TXT lookup (RFC 8460 §3), beside <see cref="ITxtLookup"/>.</summary>
public interface ITlsRptLookup
{
    /// <summary>The record's name for a policy domain: <c>_smtp._tls.</c> and the domain's A-labels (RFC 8460 §3, §4.4).</summary>
    const string NamePrefix = "_smtp._tls.";

    /// <summary>Looks up the domain's TLSRPT TXT records and classifies them; never throws for DNS problems.</summary>
    /// <param name="domain">The policy domain (its A-label form is queried).</param>
    /// <param name="cancellationToken">Cancels the lookup (the only exception it throws).</param>
    /// <returns>The outcome.</returns>
    Task<TlsRptOutcome> LookupTlsRptAsync(PolicyDomain domain, CancellationToken cancellationToken = default);
}

/// <summary>The DNS implementation of <see cref="ITlsRptLookup"/>, for callers outside the resolver (the report sender, the CLI).</summary>
public static class TlsRptLookup
{
    /// <summary>A lookup through DnsClient with the resolver's DNS settings: its name servers (or the system's), timeout and retries; CNAMEs followed.</summary>
    /// <param name="options">The resolver options; the defaults when null.</param>
    /// <returns>The lookup port.</returns>
    public static ITlsRptLookup Create(MtaStsOptions? options = null) => new DnsDiscovery(options ?? new MtaStsOptions());
}
