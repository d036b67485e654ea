using System.Diagnostics;
using LanguageExt;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

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

    /// <summary>A proactive refresh (C-06, N-40): fetches the policy even when the id is unchanged or DNS fails.</summary>
    /// <param name="domain">The policy domain.</param>
    /// <param name="cancellationToken">Cancels the refresh.</param>
    /// <returns>The resolution after the refresh, or a typed error for an invalid domain.</returns>
    Task<Either<MtaStsError, Resolution>> RefreshAsync(string domain, CancellationToken cancellationToken = default);

    /// <summary>Resolves the policy and decides, for each MX record in preference order, what to do (RFC 8461 §5).</summary>
    /// <param name="domain">The policy domain.</param>
    /// <param name="mxRecords">The domain's MX records.</param>
    /// <param name="daneApplies">Whether DANE applies to the domain (M-06).</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    /// <returns>The plan, or a typed error for an invalid domain.</returns>
    Task<Either<MtaStsError, DeliveryPlan>> PlanAsync(string domain, IEnumerable<MxRecord> mxRecords, bool daneApplies = false, CancellationToken cancellationToken = default);
}

/// <summary>
/// The resolver: a thin sandwich (STYLE rule 7). Read the cache, the TXT record and the clock; ask
/// the pure <see cref="Lifecycle.Step"/>; fetch if it says so and ask again; write the cache; log
/// and count the reports.
/// </summary>
public sealed partial class MtaStsResolver : IMtaStsResolver, IDisposable
{
    private readonly IPolicyCache cache;
    private readonly DnsDiscovery dns;
    private readonly PolicyFetcher fetcher;
    private readonly TimeProvider time;
    private readonly LifecycleOptions lifecycle;
    private readonly MtaStsMetrics metrics;
    private readonly ILogger logger;
    private readonly IDisposable[] owned;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(string Domain, LookupKind Kind), Lazy<Task<Resolution>>> inFlight = new();

    /// <summary>Creates a resolver from its parts (as <c>AddMtaSts</c> does).</summary>
    /// <param name="cache">The policy cache.</param>
    /// <param name="dns">DNS lookups.</param>
    /// <param name="fetcher">The policy fetcher.</param>
    /// <param name="time">The clock.</param>
    /// <param name="options">The options (back-off).</param>
    /// <param name="metrics">The instruments.</param>
    /// <param name="logger">The log.</param>
    public MtaStsResolver(IPolicyCache cache, DnsDiscovery dns, PolicyFetcher fetcher, TimeProvider time, MtaStsOptions options, MtaStsMetrics metrics, ILogger<MtaStsResolver>? logger = null)
        : this(cache, dns, fetcher, time, options, metrics, logger, [])
    {
    }

    private MtaStsResolver(IPolicyCache cache, DnsDiscovery dns, PolicyFetcher fetcher, TimeProvider time, MtaStsOptions options, MtaStsMetrics metrics, ILogger? logger, IDisposable[] owned)
    {
        this.cache = cache ?? throw new ArgumentNullException(nameof(cache));
        this.dns = dns ?? throw new ArgumentNullException(nameof(dns));
        this.fetcher = fetcher ?? throw new ArgumentNullException(nameof(fetcher));
        this.time = time ?? throw new ArgumentNullException(nameof(time));
        this.metrics = metrics ?? throw new ArgumentNullException(nameof(metrics));
        ArgumentNullException.ThrowIfNull(options);
        lifecycle = LifecycleOptions.Create(options.FetchBackoff).IfLeft(LifecycleOptions.Default);
        this.logger = logger ?? NullLogger.Instance;
        this.owned = owned;
    }

    /// <summary>The DNS lookups this resolver uses (MX lookups for callers).</summary>
    public DnsDiscovery Dns => dns;

    /// <summary>
    /// A resolver without dependency injection: its own HTTP client, the SQLite cache when
    /// <see cref="MtaStsOptions.CachePath"/> is set (else in memory), the system clock unless given.
    /// Dispose it to release the HTTP client.
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
    public Task<Either<MtaStsError, Resolution>> ResolveAsync(string domain, CancellationToken cancellationToken = default) =>
        RunAsync(domain, LookupKind.Delivery, cancellationToken);

    /// <inheritdoc/>
    public Task<Either<MtaStsError, Resolution>> RefreshAsync(string domain, CancellationToken cancellationToken = default) =>
        RunAsync(domain, LookupKind.Refresh, cancellationToken);

    /// <inheritdoc/>
    public async Task<Either<MtaStsError, DeliveryPlan>> PlanAsync(string domain, IEnumerable<MxRecord> mxRecords, bool daneApplies = false, CancellationToken cancellationToken = default)
    {
        var resolution = await ResolveAsync(domain, cancellationToken).ConfigureAwait(false);
        return resolution.Map(r => new DeliveryPlan(r, Enforcement.Candidates(mxRecords, r.Policy.Map(static p => p.Policy), daneApplies)));
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (var resource in owned)
        {
            resource.Dispose();
        }
    }

    /// <summary>
    /// The policy domain as the cache key and DNS name: lower-case A-labels without the trailing
    /// dot; an address literal, an IP or an invalid name is an error (§3.4, M-07), before any traffic.
    /// </summary>
    /// <param name="domain">The domain as given.</param>
    /// <returns>The normalised domain, or why it cannot have a policy.</returns>
    public static Either<MtaStsError, string> Normalize(string? domain) =>
        Enforcement.PolicyUrl(domain)
            .Map(static url => url.Host["mta-sts.".Length..])
            .Bind(name => TxtName.Length + name.Length <= MaxNameLength
                ? Either<MtaStsError, string>.Right(name)
                : new MtaStsError.InvalidValue("policy domain", domain ?? string.Empty, $"the TXT name '{TxtName}<domain>' would be longer than {MaxNameLength} octets"));

    /// <summary>RFC 8461 §3.1: the record lives at <c>_mta-sts.&lt;domain&gt;</c>.</summary>
    private const string TxtName = "_mta-sts.";

    /// <summary>RFC 1035 §2.3.4 (as text without the root dot): 253 octets.</summary>
    private const int MaxNameLength = 253;

    /// <summary>The sandwich: read cache, TXT and clock; ask the lifecycle; fetch and ask again; write; report.</summary>
    private async Task<Resolution> ResolveNowAsync(string name, LookupKind kind)
    {
        var cached = await cache.GetAsync(name).ConfigureAwait(false);
        var txt = await dns.LookupTxtAsync(name).ConfigureAwait(false);
        var step = Lifecycle.Step(name, cached, time.GetUtcNow(), txt, Option<FetchOutcome>.None, kind, lifecycle);
        var fetch = Option<FetchOutcome>.None;
        if (step.Fetch.IsSome)
        {
            fetch = await fetcher.FetchAsync(name).ConfigureAwait(false);
            metrics.Fetch((FetchOutcome)fetch.Case!);
            step = Lifecycle.Step(name, cached, time.GetUtcNow(), txt, fetch, kind, lifecycle);
        }

        if (step.Store.Case is CacheEntry entry)
        {
            await cache.PutAsync(entry).ConfigureAwait(false);
        }

        Record(name, kind, step);
        return new Resolution(name, step.Apply, step.Source, txt, fetch, step.Reports);
    }

    /// <summary>
    /// Concurrent lookups of one domain share one run (a burst of mail to a new domain makes one DNS
    /// query and one fetch, and the cache is written before the next run starts). The shared run is
    /// bounded by the DNS and fetch timeouts, not by any one caller's token; each caller stops
    /// waiting when its own token is cancelled.
    /// </summary>
    private async Task<Either<MtaStsError, Resolution>> RunAsync(string domain, LookupKind kind, CancellationToken cancellationToken)
    {
        var normalized = Normalize(domain);
        if (normalized.Case is not string name)
        {
            return (MtaStsError)normalized.Case!;
        }

        var key = (name, kind);
        var shared = inFlight.GetOrAdd(key, k => new Lazy<Task<Resolution>>(() => RunOnceAsync(k.Domain, k.Kind)));
        return await shared.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<Resolution> RunOnceAsync(string name, LookupKind kind)
    {
        try
        {
            return await ResolveNowAsync(name, kind).ConfigureAwait(false);
        }
        finally
        {
            inFlight.TryRemove((name, kind), out _);
        }
    }

    private void Record(string domain, LookupKind kind, LifecycleStep step)
    {
        metrics.Lookup(step.Source);
        foreach (var report in step.Reports)
        {
            switch (report)
            {
                case LifecycleReport.DnsTemporaryFailure d:
                    metrics.Failure("dns-temporary-failure");
                    LogDnsFailure(logger, domain, d.Detail);
                    break;
                case LifecycleReport.TxtUnusable u:
                    metrics.Failure("txt-unusable");
                    LogTxtUnusable(logger, domain, u.Error.Render());
                    break;
                case LifecycleReport.FetchFailed { Alert: true } f:
                    // RFC 8461 §3.3 (N-39, N-41): alert when a policy other than "none" cannot be refreshed.
                    metrics.Failure(f.Failure.ResultType);
                    LogFetchFailedWithPolicy(logger, kind, domain, f.Id.Value, f.Failure.ResultType, f.Failure.Detail);
                    break;
                case LifecycleReport.FetchFailed f:
                    metrics.Failure(f.Failure.ResultType);
                    LogFetchFailed(logger, domain, f.Id.Value, f.Failure.ResultType, f.Failure.Detail);
                    break;
                case LifecycleReport.BackedOff b:
                    LogBackedOff(logger, domain, b.Id.Value, b.Until);
                    break;
                default:
                    throw new UnreachableException();
            }
        }
    }

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
