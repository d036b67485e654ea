using LanguageExt;
using MtaSts.Functional;

namespace MtaSts.TlsRpt.Delivery;

/// <summary>The port for the policy domain's TLSRPT record (<c>_smtp._tls.&lt;domain&gt;</c>, RFC 8460 §3), read when a report is sent.</summary>
public interface ITlsRptRecordLookup
{
    /// <summary>Looks the record up; never throws for DNS problems.</summary>
    /// <param name="domain">The policy domain.</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    /// <returns>The record, its definite absence, or a temporary failure.</returns>
    ValueTask<TlsRptLookup> LookupAsync(PolicyDomain domain, CancellationToken cancellationToken = default);
}

/// <summary>What a TLSRPT record lookup gave.</summary>
public abstract record TlsRptLookup
{
    private TlsRptLookup()
    {
    }

    /// <summary>From the TXT strings of <c>_smtp._tls.&lt;domain&gt;</c> (one list per record) by the record-set rule (T-06).</summary>
    /// <param name="records">The TXT records; an empty list when the name has none.</param>
    /// <returns><see cref="Found"/> or <see cref="NotFound"/>.</returns>
    public static TlsRptLookup FromTxtRecords(IEnumerable<IReadOnlyList<string>> records) =>
        TlsRptRecord.FromTxtRecords(records).Match<TlsRptLookup>(static r => new Found(r), static e => new NotFound(e));

    /// <summary>Exactly one valid record.</summary>
    /// <param name="Record">The record.</param>
    public sealed record Found(TlsRptRecord Record) : TlsRptLookup;

    /// <summary>No usable record (none, several, invalid): the domain does not implement TLSRPT (RFC 8460 §3).</summary>
    /// <param name="Reason">Why.</param>
    public sealed record NotFound(MtaStsError Reason) : TlsRptLookup;

    /// <summary>DNS failed temporarily (SERVFAIL, timeout): try again later.</summary>
    /// <param name="Detail">What failed.</param>
    public sealed record TemporaryFailure(string Detail) : TlsRptLookup;
}

/// <summary>A lookup from a delegate giving the TXT records of a policy domain's <c>_smtp._tls</c> name (tests, fixed configuration).</summary>
/// <param name="records">The TXT records of a domain.</param>
internal sealed class TxtTlsRptRecordLookup(Func<PolicyDomain, CancellationToken, ValueTask<IReadOnlyList<IReadOnlyList<string>>>> records) : ITlsRptRecordLookup
{
    public async ValueTask<TlsRptLookup> LookupAsync(PolicyDomain domain, CancellationToken cancellationToken = default) =>
        TlsRptLookup.FromTxtRecords(await records(domain, cancellationToken).ConfigureAwait(false));
}
