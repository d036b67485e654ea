using System.Diagnostics;
using LanguageExt;

namespace MtaSts.Functional.Lifecycle;

/// <summary>Why the lifecycle is consulted.</summary>
public enum LookupKind
{
    /// <summary>A message is about to be delivered (§5.1): fetch only when the TXT <c>id</c> is new (C-03).</summary>
    Delivery,

    /// <summary>A proactive refresh (C-06, N-40): fetch even when the <c>id</c> is unchanged or DNS failed.</summary>
    Refresh,
}

/// <summary>Where the policy to apply came from.</summary>
public enum PolicySource
{
    /// <summary>No policy applies: deliver as without MTA-STS (N-36).</summary>
    None,

    /// <summary>A valid cached policy (N-37).</summary>
    Cache,

    /// <summary>A policy fetched by this lookup.</summary>
    Live,
}

/// <summary>What a lookup has to tell a log, an administrator or a TLSRPT report (RFC 8461 §6, C-05, C-06).</summary>
public abstract record LifecycleReport
{
    private LifecycleReport()
    {
    }

    /// <summary>The TXT lookup failed temporarily (C-05: reported; "no record" is not).</summary>
    /// <param name="Detail">What DNS said.</param>
    public sealed record DnsTemporaryFailure(string Detail) : LifecycleReport;

    /// <summary>Several MTA-STS TXT records, or an invalid one (N-06).</summary>
    /// <param name="Error">Why.</param>
    public sealed record TxtUnusable(MtaStsError Error) : LifecycleReport;

    /// <summary>The policy fetch for <paramref name="Id"/> failed (N-59: reportable).</summary>
    /// <param name="Id">The id the fetch was for.</param>
    /// <param name="Failure">Why, with the RFC 8460 result type.</param>
    /// <param name="Alert">A valid cached policy other than <c>none</c> exists: alert the administrator (N-39, N-41).</param>
    public sealed record FetchFailed(PolicyId Id, FetchFailure Failure, bool Alert) : LifecycleReport;

    /// <summary>A fetch was due but the C-04 back-off for this id has not elapsed.</summary>
    /// <param name="Id">The id.</param>
    /// <param name="Until">When a fetch for it is allowed again.</param>
    public sealed record BackedOff(PolicyId Id, DateTimeOffset Until) : LifecycleReport;
}

/// <summary>Tunable lifecycle rules.</summary>
public sealed record LifecycleOptions
{
    /// <summary>C-04: the shortest back-off after a failed fetch, five minutes (RFC 8461 §3.3).</summary>
    public static readonly TimeSpan MinimumFetchBackoff = TimeSpan.FromMinutes(5);

    private LifecycleOptions(TimeSpan fetchBackoff) => FetchBackoff = fetchBackoff;

    /// <summary>Five minutes of back-off.</summary>
    public static LifecycleOptions Default { get; } = new(MinimumFetchBackoff);

    /// <summary>No new fetch for the same domain and <c>id</c> for this long after a failure (C-04).</summary>
    public TimeSpan FetchBackoff { get; }

    /// <summary>Options with a back-off of at least five minutes (C-04: never below).</summary>
    /// <param name="fetchBackoff">The back-off.</param>
    /// <returns>The options, or <see cref="MtaStsError.InvalidValue"/> below five minutes.</returns>
    public static Either<MtaStsError, LifecycleOptions> Create(TimeSpan fetchBackoff) =>
        fetchBackoff >= MinimumFetchBackoff
            ? new LifecycleOptions(fetchBackoff)
            : new MtaStsError.InvalidValue("fetch back-off", fetchBackoff.ToString(), "the back-off after a failed fetch is at least 5 minutes (RFC 8461 §3.3, C-04)");
}

/// <summary>A settled lifecycle decision: what to apply, what to cache, what to report.</summary>
/// <param name="Apply">The policy to apply now, with its id and text, or none (deliver as without MTA-STS).</param>
/// <param name="Source">Where <paramref name="Apply"/> came from.</param>
/// <param name="Store">
/// The entry to write to the cache when the policy or the last failure changed, or none to leave the
/// cache as it is. A lookup that changes nothing else does not ask for a write: when an entry was
/// last used (<see cref="CacheEntry.LastUsed"/>) is the shell's bookkeeping, written in batches.
/// </param>
/// <param name="Reports">What to log or report.</param>
public sealed record LifecycleStep(Option<CachedPolicy> Apply, PolicySource Source, Option<CacheEntry> Store, Seq<LifecycleReport> Reports)
{
    /// <summary>The policy to apply, without its bookkeeping.</summary>
    public Option<Policy> Policy => Apply.Map(static a => a.Policy);
}

/// <summary>
/// The first phase of a lookup (STYLE rule 12): either <see cref="Settled"/>, or
/// <see cref="NeedsFetch"/>, which only <see cref="NeedsFetch.Resume"/> with the fetch outcome can
/// finish, so the second phase cannot be called with other inputs than the first.
/// </summary>
public abstract record LifecyclePlan
{
    private LifecyclePlan()
    {
    }

    /// <summary>No fetch is needed (or allowed): the step is final.</summary>
    /// <param name="Step">The step.</param>
    public sealed record Settled(LifecycleStep Step) : LifecyclePlan;

    /// <summary>Fetch the policy for <see cref="Id"/>, then <see cref="Resume"/> with what the fetch gave.</summary>
    public sealed record NeedsFetch : LifecyclePlan
    {
        private readonly CacheEntry used;
        private readonly Seq<LifecycleReport> reports;

        internal NeedsFetch(PolicyId id, CacheEntry used, Seq<LifecycleReport> reports)
        {
            Id = id;
            this.used = used;
            this.reports = reports;
        }

        /// <summary>The TXT id the fetch is for (the fetched policy is cached under it).</summary>
        public PolicyId Id { get; }

        /// <summary>
        /// Finishes the lookup with the fetch outcome. A fetched valid policy (including <c>mode: none</c>)
        /// replaces the cache and restarts its clock at <paramref name="now"/> (C-01, C-02); a failure
        /// leaves a valid cached policy in force, starts the C-04 back-off and is reported (N-36, N-37).
        /// </summary>
        /// <param name="outcome">What the fetch gave.</param>
        /// <param name="now">The time the fetch ended.</param>
        /// <returns>The settled step.</returns>
        public LifecycleStep Resume(FetchOutcome outcome, DateTimeOffset now)
        {
            ArgumentNullException.ThrowIfNull(outcome);
            return outcome switch
            {
                FetchOutcome.Fetched fetched => PolicyLifecycle.Fetched(used, Id, fetched, now),
                FetchOutcome.Failed failed => PolicyLifecycle.Failed(used, reports, Id, failed.Failure, now),
                _ => throw new UnreachableException(),
            };
        }
    }
}

/// <summary>
/// The cache and refresh rules of RFC 8461 §3.3, §5.1 and §10.2 (DECISIONS C-01..C-07, digest §2 H)
/// as pure functions of the cached entry, the time and the outcomes of the lookups. The shell calls
/// <see cref="Plan"/> with the TXT outcome; when the plan needs a fetch, the shell fetches and calls
/// <see cref="LifecyclePlan.NeedsFetch.Resume"/> with the outcome.
/// </summary>
public static class PolicyLifecycle
{
    /// <summary>Decides what to apply, whether to fetch, what to cache and what to report.</summary>
    /// <param name="domain">The policy domain (the cache key).</param>
    /// <param name="cached">The domain's cache entry, if any.</param>
    /// <param name="now">The current time.</param>
    /// <param name="txt">The TXT lookup outcome.</param>
    /// <param name="kind">Delivery lookup or proactive refresh.</param>
    /// <param name="options">The back-off; <see cref="LifecycleOptions.Default"/> when null.</param>
    /// <returns>A settled step, or the fetch to make.</returns>
    public static LifecyclePlan Plan(
        PolicyDomain domain,
        Option<CacheEntry> cached,
        DateTimeOffset now,
        TxtOutcome txt,
        LookupKind kind = LookupKind.Delivery,
        LifecycleOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(domain);
        ArgumentNullException.ThrowIfNull(txt);
        var backoff = (options ?? LifecycleOptions.Default).FetchBackoff;
        // No lambdas on this path: a warm lookup runs it per delivery and allocates only the plan.
        var entry = cached.IsSome ? (CacheEntry)cached : new CacheEntry(domain, Option<CachedPolicy>.None, Option<FailedFetch>.None, now);

        // C-01: an expired policy is never applied; C-02: DNS alone never evicts or downgrades it.
        var valid = entry.ValidAt(now);
        var reports = TxtReports(txt);
        var target = FetchTarget(entry, valid, txt, kind);
        if (target.IsNone)
        {
            return new LifecyclePlan.Settled(new LifecycleStep(valid, valid.IsSome ? PolicySource.Cache : PolicySource.None, Option<CacheEntry>.None, reports));
        }

        var id = (PolicyId)target;

        // C-04: inside the back-off no fetch is asked for.
        var until = BackedOffUntil(entry, id, now, backoff);
        if (until.IsSome)
        {
            var report = new LifecycleReport.BackedOff(id, (DateTimeOffset)until);
            return new LifecyclePlan.Settled(new LifecycleStep(valid, valid.IsSome ? PolicySource.Cache : PolicySource.None, Option<CacheEntry>.None, reports.Add(report)));
        }

        var used = kind == LookupKind.Delivery ? entry with { LastUsed = now } : entry;
        return new LifecyclePlan.NeedsFetch(id, used, reports);
    }

    /// <summary>
    /// C-06: when a proactive refresh of <paramref name="policy"/> is due — after the refresh
    /// interval or half the policy's lifetime, whichever is shorter, brought forward by
    /// <paramref name="jitter"/> (supplied by the caller, so that a fleet does not fetch in step).
    /// </summary>
    /// <param name="policy">The cached policy.</param>
    /// <param name="interval">The refresh interval (RFC 8461 §3.3 suggests a day).</param>
    /// <param name="jitter">How much earlier than that this instance refreshes.</param>
    /// <returns>When to refresh.</returns>
    public static DateTimeOffset RefreshAt(CachedPolicy policy, TimeSpan interval, TimeSpan jitter)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var half = (policy.ExpiresAt - policy.FetchedAt) / 2;
        // Stryker disable Equality : equivalent: at each boundary (interval == half, jitter == 0, wait == 0) both branches give the same time.
        var wait = (interval < half ? interval : half) - (jitter > TimeSpan.Zero ? jitter : TimeSpan.Zero);
        return policy.FetchedAt + (wait > TimeSpan.Zero ? wait : TimeSpan.Zero);

        // Stryker restore Equality
    }

    /// <summary>Whether <paramref name="entry"/> holds a valid policy whose refresh is due at <paramref name="now"/>.</summary>
    /// <param name="entry">The cache entry.</param>
    /// <param name="now">The current time.</param>
    /// <param name="interval">The refresh interval.</param>
    /// <param name="jitter">See <see cref="RefreshAt"/>.</param>
    /// <returns>True when a refresh should run.</returns>
    public static bool RefreshDue(CacheEntry entry, DateTimeOffset now, TimeSpan interval, TimeSpan jitter)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return entry.ValidAt(now).Exists(p => now >= RefreshAt(p, interval, jitter));
    }

    /// <summary>The id to fetch, if any: a new id on delivery (C-03); on refresh also the same id, or the cached one when DNS failed (N-40).</summary>
    private static Option<PolicyId> FetchTarget(CacheEntry entry, Option<CachedPolicy> valid, TxtOutcome txt, LookupKind kind) => (txt, kind) switch
    {
        (TxtOutcome.Found f, LookupKind.Delivery) => valid.IsSome && ((CachedPolicy)valid).Id == f.Record.Id ? Option<PolicyId>.None : f.Record.Id,
        (TxtOutcome.Found f, LookupKind.Refresh) => f.Record.Id,
        (_, LookupKind.Refresh) => entry.Policy.Map(static p => p.Id),
        _ => Option<PolicyId>.None,
    };

    private static Seq<LifecycleReport> TxtReports(TxtOutcome txt) => txt switch
    {
        TxtOutcome.TemporaryFailure t => Prelude.Seq1<LifecycleReport>(new LifecycleReport.DnsTemporaryFailure(t.Detail)),
        TxtOutcome.Unusable u => Prelude.Seq1<LifecycleReport>(new LifecycleReport.TxtUnusable(u.Error)),
        TxtOutcome.Found or TxtOutcome.NoRecord => Seq<LifecycleReport>.Empty,
        _ => throw new UnreachableException(),
    };

    /// <summary>C-04: the end of the back-off when the last failure was for this id and is recent.</summary>
    private static Option<DateTimeOffset> BackedOffUntil(CacheEntry entry, PolicyId id, DateTimeOffset now, TimeSpan backoff) =>
        entry.LastFailure
            .Filter(f => f.Id == id)
            .Map(f => Plus(f.At, backoff))
            .Filter(until => now < until);

    /// <summary>C-01, C-02: a fetched valid policy (including <c>mode: none</c>) replaces the cache and restarts the clock.</summary>
    internal static LifecycleStep Fetched(CacheEntry entry, PolicyId id, FetchOutcome.Fetched fetched, DateTimeOffset now)
    {
        var policy = new CachedPolicy(id, fetched.Policy, fetched.Text, now, Plus(now, fetched.Policy.MaxAge.Duration));
        var stored = entry with { Policy = policy, LastFailure = Option<FailedFetch>.None };
        return new LifecycleStep(policy, PolicySource.Live, stored, Seq<LifecycleReport>.Empty);
    }

    /// <summary>N-36, N-37: a failed fetch leaves the cached policy in force (if still valid at <paramref name="now"/>), starts the back-off and is reported.</summary>
    internal static LifecycleStep Failed(CacheEntry entry, Seq<LifecycleReport> reports, PolicyId id, FetchFailure failure, DateTimeOffset now)
    {
        var valid = entry.ValidAt(now);
        var alert = valid.Exists(static v => v.Policy.Mode != PolicyMode.None);
        return new LifecycleStep(
            valid,
            valid.IsSome ? PolicySource.Cache : PolicySource.None,
            entry with { LastFailure = new FailedFetch(id, now, failure) },
            reports.Add(new LifecycleReport.FetchFailed(id, failure, alert)));
    }

    /// <summary>Addition that stops at <see cref="DateTimeOffset.MaxValue"/> instead of throwing.</summary>
    private static DateTimeOffset Plus(DateTimeOffset at, TimeSpan span) =>
        // Stryker disable once Equality : equivalent: when MaxValue - at == span, at + span is MaxValue too.
        DateTimeOffset.MaxValue - at < span ? DateTimeOffset.MaxValue : at + span;
}
