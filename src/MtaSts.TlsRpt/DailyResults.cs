using System.Collections.Immutable;
using System.Net;
using LanguageExt;
using MtaSts.MailKit;

namespace MtaSts.TlsRpt;

/// <summary>
/// The sessions of one policy domain on one UTC day, as RFC 8460 §4.4 counts them: per policy (type,
/// strings, domain, <c>mx-host</c>) the successful and failed sessions, and per distinct failure detail
/// its <c>failed-session-count</c>. Immutable; <see cref="Add"/> and <see cref="Merge"/> are
/// commutative and associative, so the order sessions arrive in never changes a report.
/// </summary>
public sealed record DailyResults
{
    private DailyResults(string policyDomain, DateOnly day, ImmutableSortedDictionary<PolicyKey, PolicyCounts> policies)
    {
        PolicyDomain = policyDomain;
        Day = day;
        Policies = policies;
    }

    /// <summary>The policy domain (A-labels, RFC 8460 §4.4).</summary>
    public string PolicyDomain { get; }

    /// <summary>The UTC day (RFC 8460 §4.1: one report per policy domain per day).</summary>
    public DateOnly Day { get; }

    /// <summary>The counts per policy, in the report's order.</summary>
    internal ImmutableSortedDictionary<PolicyKey, PolicyCounts> Policies { get; }

    /// <summary>No sessions yet.</summary>
    public static DailyResults Empty(string policyDomain, DateOnly day) => new(policyDomain, day, ImmutableSortedDictionary<PolicyKey, PolicyCounts>.Empty);

    /// <summary>The UTC day a session belongs to.</summary>
    public static DateOnly DayOf(TlsSession session) => DateOnly.FromDateTime(session.At.UtcDateTime);

    /// <summary>The store key of a session: its policy domain and UTC day.</summary>
    public static (string PolicyDomain, DateOnly Day) KeyOf(TlsSession session) => (session.Policy.PolicyDomain.Value, DayOf(session));

    /// <summary>Counts one session (RFC 8460 §4.2): a failed session counts once, each of its (distinct) details once.</summary>
    /// <param name="session">A session of this policy domain and day.</param>
    /// <returns>The results with the session counted.</returns>
    public DailyResults Add(TlsSession session)
    {
        ArgumentNullException.ThrowIfNull(session);
        if (KeyOf(session) != (PolicyDomain, Day))
        {
            throw new ArgumentException($"the session belongs to {KeyOf(session)}, not ({PolicyDomain}, {Day})", nameof(session));
        }

        var key = PolicyKey.Of(session.Policy);
        var details = session.Failures
            .Map(f => new FailureKey(f.ResultType, Address(session.SendingMtaIp), session.ReceivingMxHostname, session.ReceivingMxHelo ?? string.Empty, Address(session.ReceivingIp), f.FailureReasonCode ?? string.Empty))
            .Distinct()
            .Fold(ImmutableSortedDictionary<FailureKey, long>.Empty, static (d, k) => d.Add(k, 1));
        var counts = new PolicyCounts(session.Successful ? 1 : 0, session.Successful ? 0 : 1, details);
        return new DailyResults(PolicyDomain, Day, Policies.SetItem(key, Policies.TryGetValue(key, out var old) ? old.Merge(counts) : counts));
    }

    /// <summary>The results of both (the same policy domain and day): counts add up.</summary>
    /// <param name="other">More results for the same policy domain and day.</param>
    /// <returns>The merged results.</returns>
    public DailyResults Merge(DailyResults other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if ((other.PolicyDomain, other.Day) != (PolicyDomain, Day))
        {
            throw new ArgumentException("results of another policy domain or day", nameof(other));
        }

        var merged = Policies;
        foreach (var (key, counts) in other.Policies)
        {
            merged = merged.SetItem(key, merged.TryGetValue(key, out var old) ? old.Merge(counts) : counts);
        }

        return new DailyResults(PolicyDomain, Day, merged);
    }

    /// <summary>True when some session failed (mox sends only such days by default).</summary>
    public bool HasFailures => Policies.Values.Any(static p => p.Failed > 0);

    /// <inheritdoc/>
    public bool Equals(DailyResults? other) =>
        other is not null && (PolicyDomain, Day) == (other.PolicyDomain, other.Day) && Policies.SequenceEqual(other.Policies);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(PolicyDomain, Day, Policies.Count);

    /// <summary>RFC 8460 §4.4: IPv4 dotted, IPv6 in RFC 5952 text (.NET's <c>ToString</c> gives both); empty when unknown.</summary>
    private static string Address(IPAddress? ip) => ip is null ? string.Empty : (ip.IsIPv4MappedToIPv6 ? ip.MapToIPv4() : ip).ToString();
}

/// <summary>A policy as the report names it (RFC 8460 §4.4 <c>policy</c>), ordered for a deterministic report.</summary>
internal sealed record PolicyKey(string Type, ImmutableArray<string> Strings, string Domain, ImmutableArray<string> MxHost) : IComparable<PolicyKey>
{
    public static PolicyKey Of(TlsReportPolicy p) => new(p.PolicyType, [.. p.PolicyStrings], p.PolicyDomain.Value, [.. p.MxHost]);

    public bool Equals(PolicyKey? other) => other is not null && CompareTo(other) == 0;

    public override int GetHashCode() => HashCode.Combine(Type, Domain, Strings.Length, MxHost.Length);

    public int CompareTo(PolicyKey? other)
    {
        if (other is null)
        {
            return 1;
        }

        var c = string.CompareOrdinal(Type, other.Type);
        c = c != 0 ? c : string.CompareOrdinal(Domain, other.Domain);
        c = c != 0 ? c : Compare(Strings, other.Strings);
        return c != 0 ? c : Compare(MxHost, other.MxHost);
    }

    private static int Compare(ImmutableArray<string> a, ImmutableArray<string> b)
    {
        for (var i = 0; i < Math.Min(a.Length, b.Length); i++)
        {
            var c = string.CompareOrdinal(a[i], b[i]);
            if (c != 0)
            {
                return c;
            }
        }

        return a.Length.CompareTo(b.Length);
    }
}

/// <summary>One <c>failure-details</c> entry's identity (RFC 8460 §4.4), ordered for a deterministic report; empty = absent.</summary>
internal sealed record FailureKey(string ResultType, string SendingMtaIp, string ReceivingMxHostname, string ReceivingMxHelo, string ReceivingIp, string FailureReasonCode) : IComparable<FailureKey>
{
    public int CompareTo(FailureKey? other) => other is null ? 1
        : string.CompareOrdinal(ResultType, other.ResultType) is var a and not 0 ? a
        : string.CompareOrdinal(ReceivingMxHostname, other.ReceivingMxHostname) is var b and not 0 ? b
        : string.CompareOrdinal(ReceivingMxHelo, other.ReceivingMxHelo) is var h and not 0 ? h
        : string.CompareOrdinal(ReceivingIp, other.ReceivingIp) is var c and not 0 ? c
        : string.CompareOrdinal(SendingMtaIp, other.SendingMtaIp) is var d and not 0 ? d
        : string.CompareOrdinal(FailureReasonCode, other.FailureReasonCode);
}

/// <summary>The counts of one policy: sessions, and sessions per failure detail.</summary>
internal sealed record PolicyCounts(long Successful, long Failed, ImmutableSortedDictionary<FailureKey, long> Details)
{
    public PolicyCounts Merge(PolicyCounts other)
    {
        var details = Details;
        foreach (var (key, n) in other.Details)
        {
            details = details.SetItem(key, details.TryGetValue(key, out var old) ? old + n : n);
        }

        return new PolicyCounts(Successful + other.Successful, Failed + other.Failed, details);
    }

    public bool Equals(PolicyCounts? other) =>
        other is not null && (Successful, Failed) == (other.Successful, other.Failed) && Details.SequenceEqual(other.Details);

    public override int GetHashCode() => HashCode.Combine(Successful, Failed, Details.Count);
}
