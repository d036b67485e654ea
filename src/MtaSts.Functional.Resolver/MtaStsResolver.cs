using System.Diagnostics;
using LanguageExt;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using MtaSts.Functional.Lifecycle;

namespace MtaSts.Functional.Resolver;

/// <summary>Policy discovery for a sending MTA (RFC 8461 §3, §5.1).</summary>
public interface IMtaStsResolver
{
    /// <summary>
    /// The policy to apply to mail for <paramref name="domain"/> now: looks up the TXT record, fetches
    /// the policy when its id is new, and falls back to the cache as RFC 8461 §3.3 requires.
    /// </summary>
    /// <param name="domain">The policy domain (next-hop domain), in any case, U- or A-labels, one trailing dot allowed.</param>
    /// <param name="cancellationToken">Stops waiting (an <see cref="OperationCanceledException"/>, the only exception it throws); a lookup shared with other callers runs on, within its timeouts.</param>
    /// <returns>The resolution, or a typed error for a domain that cannot have a policy (no network traffic then).</returns>
    Task<Either<MtaStsError, Resolution>> ResolveAsync(string domain, CancellationToken cancellationToken = default);

    /// <summary>As <see cref="ResolveAsync(string, CancellationToken)"/> for a domain already normalised; cannot fail.</summary>
    /// <param name="domain">The policy domain.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>The resolution.</returns>
    ValueTask<Resolution> ResolveAsync(PolicyDomain domain, CancellationToken cancellationToken = default);

    /// <summary>A proactive refresh (C-06, N-40): fetches the policy even when the id is unchanged or DNS fails.</summary>
    /// <param name="domain">The policy domain.</param>
    /// <param name="cancellationToken">Cancels the refresh.</param>
    /// <returns>The resolution after the refresh, or a typed error for an invalid domain.</returns>
    Task<Either<MtaStsError, Resolution>> RefreshAsync(string domain, CancellationToken cancellationToken = default);

    /// <summary>As <see cref="RefreshAsync(string, CancellationToken)"/> for a domain already normalised.</summary>
    /// <param name="domain">The policy domain.</param>
    /// <param name="cancellationToken">Cancels the refresh.</param>
    /// <returns>The resolution after the refresh.</returns>
    Task<Resolution> RefreshAsync(PolicyDomain domain, CancellationToken cancellationToken = default);

    /// <summary>Resolves the policy and decides, for each MX record in preference order, what to do (RFC 8461 §5).</summary>
    /// <param name="domain">The policy domain.</param>
    /// <param name="mxRecords">The domain's MX records.</param>
    /// <param name="daneApplies">Whether DANE applies to the domain (M-06).</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    /// <returns>The plan, or a typed error for an invalid domain.</returns>
    Task<Either<MtaStsError, DeliveryPlan>> PlanAsync(string domain, IEnumerable<MxRecord> mxRecords, bool daneApplies = false, CancellationToken cancellationToken = default);
}

/// <summary>
/// The resolver: a thin sandwich (STYLE rule 7) over three ports — the storage (<see cref="IPolicyCache"/>),
/// the TXT lookup (<see cref="ITxtLookup"/>) and the policy fetch (<see cref="IPolicyFetcher"/>) — and the
/// clock. Read the entry and the TXT answer; ask the pure <see cref="PolicyLifecycle.Plan"/>; when it
/// needs a fetch, fetch and <see cref="LifecyclePlan.NeedsFetch.Resume"/>; write; log and count.
/// A warm lookup (the entry in the in-memory front, the TXT answer inside <see cref="MtaStsOptions.TxtGrace"/>)
/// does no I/O and no parse: it runs the plan on what the front holds and completes synchronously.
/// </summary>
public sealed partial class MtaStsResolver : IMtaStsResolver, IDisposable
{
    private readonly IPolicyCache cache;
    private readonly ITxtLookup txt;
    private readonly IPolicyFetcher fetcher;
    private readonly TimeProvider time;
    private readonly LifecycleOptions lifecycle;
    private readonly TimeSpan txtGrace;
    private readonly TimeSpan txtFailureGrace;
    private readonly TimeSpan lastUsedInterval;
    private readonly MtaStsMetrics metrics;
    private readonly ILogger logger;
    private readonly IDisposable[] owned;
    private readonly PolicyFront front = new();
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(PolicyDomain Domain, LookupKind Kind), Lazy<Task<Resolution>>> inFlight = new();
    private long nextFlushTicks;
    private int flushing;
    private int problemLogged;
    private Task lastFlush = Task.CompletedTask;

    /// <summary>The longest reuse of a TXT temporary failure (RFC 2308 §7.1: a server failure is cached at most 5 minutes).</summary>
    internal static readonly TimeSpan MaxTxtFailureGrace = TimeSpan.FromMinutes(5);

    /// <summary>Creates a resolver from its ports (as <c>AddMtaSts</c> does; tests pass in-memory ones).</summary>
    /// <param name="cache">The storage.</param>
    /// <param name="txt">The TXT lookup.</param>
    /// <param name="fetcher">The policy fetch.</param>
    /// <param name="time">The clock.</param>
    /// <param name="options">The options (back-off, TXT grace, LastUsed interval).</param>
    /// <param name="metrics">The instruments; a meter of its own when null.</param>
    /// <param name="logger">The log.</param>
    public MtaStsResolver(IPolicyCache cache, ITxtLookup txt, IPolicyFetcher fetcher, TimeProvider time, MtaStsOptions options, MtaStsMetrics? metrics = null, ILogger<MtaStsResolver>? logger = null)
        : this(cache, txt, fetcher, time, options, metrics, logger, [])
    {
    }

    private MtaStsResolver(IPolicyCache cache, ITxtLookup txt, IPolicyFetcher fetcher, TimeProvider time, MtaStsOptions options, MtaStsMetrics? metrics, ILogger? logger, IDisposable[] owned)
    {
        this.cache = cache ?? throw new ArgumentNullException(nameof(cache));
        this.txt = txt ?? throw new ArgumentNullException(nameof(txt));
        this.fetcher = fetcher ?? throw new ArgumentNullException(nameof(fetcher));
        this.time = time ?? throw new ArgumentNullException(nameof(time));
        ArgumentNullException.ThrowIfNull(options);
        if (metrics is null)
        {
            metrics = new MtaStsMetrics();
            owned = [.. owned, metrics];
        }

        this.metrics = metrics;
        lifecycle = LifecycleOptions.Create(options.FetchBackoff).IfLeft(LifecycleOptions.Default);
        txtGrace = options.TxtGrace > TimeSpan.Zero ? options.TxtGrace : TimeSpan.Zero;
        txtFailureGrace = options.TxtFailureGrace <= TimeSpan.Zero ? TimeSpan.Zero
            : options.TxtFailureGrace < MaxTxtFailureGrace ? options.TxtFailureGrace : MaxTxtFailureGrace;
        lastUsedInterval = options.LastUsedInterval > TimeSpan.Zero ? options.LastUsedInterval : TimeSpan.Zero;
        this.logger = logger ?? NullLogger.Instance;
        this.owned = owned;
        if (cache is ISharedPolicyCache shared)
        {
            // Another node changed the entry (issue 14): the next lookup reads the storage again.
            shared.Changed += front.Forget;
        }
    }

    /// <summary>
    /// Why the storage cannot be used (a corrupt or unreadable file, a read-only directory, a lost
    /// connection), or null when it can. While it is set the resolver still answers, from memory only;
    /// the first time it is seen, an error is logged (event <c>CacheUnusable</c>).
    /// </summary>
    public string? CacheProblem
    {
        get
        {
            var problem = cache.Problem;
            if (problem is not null && Interlocked.Exchange(ref problemLogged, 1) == 0)
            {
                LogCacheUnusable(logger, problem);
            }

            return problem;
        }
    }

    /// <summary>How many domains the in-memory front holds.</summary>
    public int CachedDomains => front.Count;

    /// <summary>
    /// A resolver without dependency injection: its own HTTP client, the SQLite cache when
    /// <see cref="MtaStsOptions.CachePath"/> is set (else in memory), the system clock unless given.
    /// Dispose it to write pending <c>LastUsed</c> times and release the HTTP client.
    /// </summary>
    /// <param name="options">The options; defaults when null.</param>
    /// <param name="time">The clock; <see cref="TimeProvider.System"/> when null.</param>
    /// <param name="loggerFactory">Logging; none when null.</param>
    /// <returns>The resolver.</returns>
    public static MtaStsResolver Create(MtaStsOptions? options = null, TimeProvider? time = null, ILoggerFactory? loggerFactory = null)
    {
        options ??= new MtaStsOptions();
        loggerFactory ??= NullLoggerFactory.Instance;
        var dns = new DnsDiscovery(options);
        var handler = new PolicyHttpHandler(options, dns);
        var client = new HttpClient(handler.Create(), disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
        var cache = options.CachePath is { Length: > 0 } path
            ? (IPolicyCache)new SqlitePolicyCache(path, loggerFactory.CreateLogger<SqlitePolicyCache>())
            : new InMemoryPolicyCache();
        var metrics = new MtaStsMetrics();
        return new MtaStsResolver(cache, dns, new PolicyFetcher(() => client, handler, options), time ?? TimeProvider.System, options, metrics, loggerFactory.CreateLogger<MtaStsResolver>(), [client, metrics]);
    }

    /// <inheritdoc/>
    public Task<Either<MtaStsError, Resolution>> ResolveAsync(string domain, CancellationToken cancellationToken = default)
    {
        var parsed = PolicyDomain.Parse(domain);
        if (parsed.IsLeft)
        {
            return Task.FromResult(Either<MtaStsError, Resolution>.Left((MtaStsError)parsed));
        }

        var name = (PolicyDomain)parsed;
        cancellationToken.ThrowIfCancellationRequested();
        return TryWarm(name) is { } memo ? memo.Task : Wrap(RunAsync(name, LookupKind.Delivery, cancellationToken));
    }

    /// <inheritdoc/>
    public ValueTask<Resolution> ResolveAsync(PolicyDomain domain, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(domain);
        cancellationToken.ThrowIfCancellationRequested();
        return TryWarm(domain) is { } memo ? new ValueTask<Resolution>(memo.Resolution) : new ValueTask<Resolution>(RunAsync(domain, LookupKind.Delivery, cancellationToken));
    }

    /// <inheritdoc/>
    public Task<Either<MtaStsError, Resolution>> RefreshAsync(string domain, CancellationToken cancellationToken = default)
    {
        var parsed = PolicyDomain.Parse(domain);
        return parsed.IsLeft
            ? Task.FromResult(Either<MtaStsError, Resolution>.Left((MtaStsError)parsed))
            : Wrap(RunAsync((PolicyDomain)parsed, LookupKind.Refresh, cancellationToken));
    }

    /// <inheritdoc/>
    public Task<Resolution> RefreshAsync(PolicyDomain domain, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(domain);
        return RunAsync(domain, LookupKind.Refresh, cancellationToken);
    }

    /// <inheritdoc/>
    public async Task<Either<MtaStsError, DeliveryPlan>> PlanAsync(string domain, IEnumerable<MxRecord> mxRecords, bool daneApplies = false, CancellationToken cancellationToken = default)
    {
        var resolution = await ResolveAsync(domain, cancellationToken).ConfigureAwait(false);
        return resolution.Map(r => new DeliveryPlan(r, Enforcement.Candidates(mxRecords, r.Step.Policy, daneApplies)));
    }

    /// <summary>Writes the pending <c>LastUsed</c> times (as <see cref="Dispose"/> does); a host may call it on shutdown.</summary>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task.</returns>
    public async Task FlushAsync(CancellationToken cancellationToken = default)
    {
        var uses = front.TakeUses();
        if (uses.Count > 0)
        {
            await cache.TouchAsync(uses, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        FlushAsync().GetAwaiter().GetResult();
        if (cache is ISharedPolicyCache shared)
        {
            shared.Changed -= front.Forget;
        }

        foreach (var resource in owned)
        {
            resource.Dispose();
        }
    }

    /// <summary>The last background batch of LastUsed times (tests wait for it).</summary>
    internal Task LastFlush => lastFlush;

    private static async Task<Either<MtaStsError, Resolution>> Wrap(Task<Resolution> run) => await run.ConfigureAwait(false);

    /// <summary>
    /// The warm path: the domain's entry is in the front and its TXT answer is inside the grace window,
    /// and the plan settles without a fetch. Returns null when a lookup must go to the ports.
    /// </summary>
    private PolicyFront.Memo? TryWarm(PolicyDomain domain)
    {
        if (!front.TryGet(domain, out var slot) || slot.Txt is null)
        {
            return null;
        }

        var now = time.GetUtcNow();
        if (now >= slot.TxtUntil)
        {
            return null;
        }

        if (PolicyLifecycle.Plan(domain, slot.Entry, now, slot.Txt, LookupKind.Delivery, lifecycle) is not LifecyclePlan.Settled settled)
        {
            return null;
        }

        var step = settled.Step;
        Touch(domain, slot, now);
        Housekeep(now);
        Record(domain, LookupKind.Delivery, step, fromDns: false);
        if (slot.Memo is { } memo && Same(memo.Resolution, slot.Txt, step))
        {
            return memo;
        }

        var fresh = new PolicyFront.Memo(new Resolution(domain, slot.Txt, step));
        slot.Memo = step.Reports.IsEmpty ? fresh : null;
        return fresh;
    }

    /// <summary>A warm resolution can be handed out again when it says exactly what a new one would.</summary>
    private static bool Same(Resolution memo, TxtOutcome txt, LifecycleStep step) =>
        ReferenceEquals(memo.Txt, txt)
        && memo.Step.Source == step.Source
        && step.Reports.IsEmpty && memo.Step.Reports.IsEmpty
        && step.Store.IsNone && memo.Step.Store.IsNone
        && (memo.Step.Apply.IsNone ? step.Apply.IsNone : step.Apply.IsSome && ReferenceEquals((CachedPolicy)memo.Step.Apply, (CachedPolicy)step.Apply));

    /// <summary>LastUsed reaches the storage at most once per interval per domain, in a batch.</summary>
    private void Touch(PolicyDomain domain, PolicyFront.Slot slot, DateTimeOffset now)
    {
        if (slot.Entry.IsNone || now - slot.LastUsedWritten < lastUsedInterval)
        {
            return;
        }

        front.Used(domain, now);
        front.Set(domain, slot.WithLastUsedWritten(now));
    }

    /// <summary>
    /// At most once per <see cref="MtaStsOptions.LastUsedInterval"/> (and at least once a minute), in the
    /// background: write the batch of LastUsed times and forget TXT answers whose grace has ended.
    /// </summary>
    private void Housekeep(DateTimeOffset now)
    {
        if (now.UtcTicks >= Volatile.Read(ref nextFlushTicks) && Interlocked.Exchange(ref flushing, 1) == 0)
        {
            Volatile.Write(ref nextFlushTicks, (now + (lastUsedInterval < TimeSpan.FromMinutes(1) ? lastUsedInterval : TimeSpan.FromMinutes(1))).UtcTicks);
            lastFlush = HousekeepInBackground(now);
        }
    }

    private async Task HousekeepInBackground(DateTimeOffset now)
    {
        try
        {
            await Task.Yield();
            front.DropExpiredTxt(now);
            await FlushAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A storage must not throw (IPolicyCache); one that does loses this batch of LastUsed times only.
            LogTouchFailed(logger, e.Message);
        }
        finally
        {
            Volatile.Write(ref flushing, 0);
        }
    }

    /// <summary>
    /// Concurrent cold lookups of one domain share one run (a burst of mail to a new domain makes one
    /// DNS query and one fetch, and the cache is written before the next run starts). The shared run is
    /// bounded by the DNS and fetch timeouts, not by any one caller's token; each caller stops waiting
    /// when its own token is cancelled.
    /// </summary>
    private Task<Resolution> RunAsync(PolicyDomain domain, LookupKind kind, CancellationToken cancellationToken)
    {
        var shared = inFlight.GetOrAdd((domain, kind), k => new Lazy<Task<Resolution>>(() => RunOnceAsync(k.Domain, k.Kind)));
        return shared.Value.WaitAsync(cancellationToken);
    }

    private async Task<Resolution> RunOnceAsync(PolicyDomain domain, LookupKind kind)
    {
        try
        {
            return await ResolveNowAsync(domain, kind).ConfigureAwait(false);
        }
        finally
        {
            inFlight.TryRemove((domain, kind), out _);
        }
    }

    /// <summary>The sandwich: read entry and TXT; plan; fetch and resume when asked; write; report.</summary>
    private async Task<Resolution> ResolveNowAsync(PolicyDomain domain, LookupKind kind)
    {
        var known = front.TryGet(domain, out var slot);
        var entry = known ? slot.Entry : await cache.GetAsync(domain).ConfigureAwait(false);
        var lastUsedWritten = known ? slot.LastUsedWritten : entry.Match(static e => e.LastUsed, static () => DateTimeOffset.MinValue);

        var now = time.GetUtcNow();
        TxtOutcome outcome;
        DateTimeOffset txtUntil;
        var fromDns = false;
        if (kind == LookupKind.Delivery && known && slot.Txt is not null && now < slot.TxtUntil)
        {
            (outcome, txtUntil) = (slot.Txt, slot.TxtUntil);
        }
        else
        {
            // A proactive refresh always asks DNS (C-06); the answer is reused for min(grace, TTL).
            var answer = await txt.LookupTxtAsync(domain).ConfigureAwait(false);
            now = time.GetUtcNow();
            outcome = answer.Outcome;
            txtUntil = now + ReuseFor(answer);
            fromDns = true;
        }

        var plan = PolicyLifecycle.Plan(domain, entry, now, outcome, kind, lifecycle);
        if (plan is LifecyclePlan.NeedsFetch && known)
        {
            // Another process sharing the storage may have fetched this id already: read it once more.
            var stored = await cache.GetAsync(domain).ConfigureAwait(false);
            if (stored != entry)
            {
                entry = stored;
                plan = PolicyLifecycle.Plan(domain, entry, now, outcome, kind, lifecycle);
            }
        }

        LifecycleStep step;
        switch (plan)
        {
            case LifecyclePlan.Settled settled:
                step = settled.Step;
                break;
            case LifecyclePlan.NeedsFetch needs:
                var fetched = await fetcher.FetchAsync(domain).ConfigureAwait(false);
                metrics.Fetch(fetched);
                step = needs.Resume(fetched, time.GetUtcNow());
                break;
            default:
                throw new UnreachableException();
        }

        if (step.Store.IsSome)
        {
            var stored = (CacheEntry)step.Store;
            await cache.PutAsync(stored).ConfigureAwait(false);
            entry = stored;
            lastUsedWritten = stored.LastUsed;
        }

        var fresh = new PolicyFront.Slot(entry.MatchUnsafe(static e => e, static () => null), outcome, txtUntil, lastUsedWritten);
        front.Set(domain, fresh);
        if (kind == LookupKind.Delivery)
        {
            Touch(domain, fresh, now);
        }

        Housekeep(now);

        Record(domain, kind, step, fromDns);
        return new Resolution(domain, outcome, step);
    }

    /// <summary>
    /// How long a TXT answer may be reused by delivery lookups: an answer for min(grace, TTL); a temporary
    /// failure (its TTL is zero) for <see cref="MtaStsOptions.TxtFailureGrace"/> (issue 15), at most 5 minutes.
    /// </summary>
    private TimeSpan ReuseFor(TxtAnswer answer) =>
        answer.Outcome is TxtOutcome.TemporaryFailure ? txtFailureGrace
        : answer.TimeToLive < txtGrace ? (answer.TimeToLive > TimeSpan.Zero ? answer.TimeToLive : TimeSpan.Zero)
        : txtGrace;

    /// <summary>
    /// Counts the lookup and logs its reports. What the TXT answer itself says (a DNS temporary failure,
    /// an unusable record) is logged and counted as a failure once per DNS answer (<paramref name="fromDns"/>),
    /// not again by each lookup that reuses it; every lookup still carries it in its <see cref="Resolution"/>.
    /// </summary>
    private void Record(PolicyDomain domain, LookupKind kind, LifecycleStep step, bool fromDns)
    {
        metrics.Lookup(step.Source);
        if (step.Reports.IsEmpty)
        {
            return;
        }

        foreach (var report in step.Reports)
        {
            switch (report)
            {
                case LifecycleReport.DnsTemporaryFailure when !fromDns:
                case LifecycleReport.TxtUnusable when !fromDns:
                    break;
                case LifecycleReport.DnsTemporaryFailure d:
                    metrics.Failure("dns-temporary-failure");
                    LogDnsFailure(logger, domain.Value, d.Detail);
                    break;
                case LifecycleReport.TxtUnusable u:
                    metrics.Failure("txt-unusable");
                    LogTxtUnusable(logger, domain.Value, u.Error.Render());
                    break;
                case LifecycleReport.FetchFailed { Alert: true } f:
                    // RFC 8461 §3.3 (N-39, N-41): alert when a policy other than "none" cannot be refreshed.
                    metrics.Failure(f.Failure.ResultType);
                    LogFetchFailedWithPolicy(logger, kind, domain.Value, f.Id.Value, f.Failure.ResultType, f.Failure.Detail);
                    break;
                case LifecycleReport.FetchFailed f:
                    metrics.Failure(f.Failure.ResultType);
                    LogFetchFailed(logger, domain.Value, f.Id.Value, f.Failure.ResultType, f.Failure.Detail);
                    break;
                case LifecycleReport.BackedOff b:
                    LogBackedOff(logger, domain.Value, b.Id.Value, b.Until);
                    break;
                default:
                    throw new UnreachableException();
            }
        }
    }

    [LoggerMessage(EventId = 1001, EventName = "CacheUnusable", Level = LogLevel.Error, Message = "MTA-STS cache storage is unusable ({Problem}); answering from memory only")]
    private static partial void LogCacheUnusable(ILogger logger, string problem);

    [LoggerMessage(Level = LogLevel.Warning, Message = "MTA-STS cache: writing LastUsed times failed: {Detail}")]
    private static partial void LogTouchFailed(ILogger logger, string detail);

    [LoggerMessage(Level = LogLevel.Information, Message = "MTA-STS {Domain}: DNS temporary failure for the _mta-sts TXT record: {Detail}")]
    private static partial void LogDnsFailure(ILogger logger, string domain, string detail);

    [LoggerMessage(Level = LogLevel.Information, Message = "MTA-STS {Domain}: no usable _mta-sts TXT record: {Error}")]
    private static partial void LogTxtUnusable(ILogger logger, string domain, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "MTA-STS {Domain}: {Kind} fetch of policy id {Id} failed ({ResultType}: {Detail}); the cached policy stays in force until it expires")]
    private static partial void LogFetchFailedWithPolicy(ILogger logger, LookupKind kind, string domain, string id, string resultType, string detail);

    [LoggerMessage(Level = LogLevel.Information, Message = "MTA-STS {Domain}: fetch of policy id {Id} failed ({ResultType}: {Detail})")]
    private static partial void LogFetchFailed(ILogger logger, string domain, string id, string resultType, string detail);

    [LoggerMessage(Level = LogLevel.Debug, Message = "MTA-STS {Domain}: policy id {Id} not fetched again before {Until} (back-off after a failure)")]
    private static partial void LogBackedOff(ILogger logger, string domain, string id, DateTimeOffset until);
}
