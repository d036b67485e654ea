using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using LanguageExt;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using MtaSts.Functional.Lifecycle;
using StackExchange.Redis;

namespace MtaSts.Functional.Resolver.Redis;

/// <summary>
/// One policy cache for a fleet of senders, on Redis (layout in the README, "Run a fleet"). Writes are atomic
/// "put if newer" scripts (the newest fetch wins whatever order writers arrive in; a failed fetch's back-off is
/// written the same way, so it is fleet-wide), each updating the refresh index and the key's expiry (policy
/// expiry plus <see cref="MtaStsRedisOptions.Retention"/>) and publishing a change notice.
/// <para>
/// Each node keeps what it read or wrote in memory. A lookup answered from there touches no network; a change
/// notice from another node (pub/sub) makes the next lookup read Redis again. When Redis is down or slow, no
/// call waits longer than <see cref="MtaStsRedisOptions.OperationTimeout"/>: lookups are answered from memory
/// (then from the node's own <see cref="IPolicyCache"/>, e.g. its SQLite file, when one is given), the outage is
/// logged and counted, and what the node wrote meanwhile is written to Redis once it answers again.
/// Like every <see cref="IPolicyCache"/>, it never throws for storage problems; a corrupt or foreign value under
/// an entry key is reported and treated as a miss.
/// </para>
/// </summary>
public sealed partial class RedisPolicyCache : ISharedPolicyCache, IDisposable
{
    /// <summary>How often a node that saw Redis fail tries it again on a lookup (others are answered from memory meanwhile).</summary>
    private static readonly TimeSpan ProbeInterval = TimeSpan.FromSeconds(1);

    private readonly IConnectionMultiplexer redis;
    private readonly bool ownsConnection;
    private readonly RedisKeys keys;
    private readonly MtaStsRedisOptions options;
    private readonly TimeSpan refreshInterval;
    private readonly TimeSpan refreshJitter;
    private readonly IPolicyCache? local;
    private readonly TimeProvider time;
    private readonly ILogger logger;
    private readonly RedisCacheMetrics metrics;
    private readonly ConcurrentDictionary<string, Near> near = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<CacheEntry>> pending = new(StringComparer.Ordinal);
    private readonly Action<RedisChannel, RedisValue> onNotice;
    private long generation;
    private long lastProbe;
    private volatile bool down;
    private volatile string? lastProblem;
    private int flushing;
    private int disposed;

    /// <summary>Creates the cache on a connection the caller owns.</summary>
    /// <param name="redis">The connection (its <c>AbortOnConnectFail</c> should be false, so it reconnects by itself).</param>
    /// <param name="options">Prefix, retention, lease, timeouts; defaults when null.</param>
    /// <param name="resolverOptions">The resolver's refresh interval and jitter, for the refresh index; defaults when null.</param>
    /// <param name="local">This node's own cache (e.g. <see cref="SqlitePolicyCache"/>): written through, read during an outage.</param>
    /// <param name="time">The clock; <see cref="TimeProvider.System"/> when null.</param>
    /// <param name="logger">Where outages and invalid values are reported.</param>
    /// <param name="meterFactory">The host's meter factory, if any.</param>
    public RedisPolicyCache(IConnectionMultiplexer redis, MtaStsRedisOptions? options = null, MtaStsOptions? resolverOptions = null, IPolicyCache? local = null, TimeProvider? time = null, ILogger<RedisPolicyCache>? logger = null, IMeterFactory? meterFactory = null)
        : this(redis, ownsConnection: false, options, resolverOptions, local, time, logger, meterFactory)
    {
    }

    internal RedisPolicyCache(IConnectionMultiplexer redis, bool ownsConnection, MtaStsRedisOptions? options, MtaStsOptions? resolverOptions, IPolicyCache? local, TimeProvider? time, ILogger? logger, IMeterFactory? meterFactory)
    {
        this.redis = redis ?? throw new ArgumentNullException(nameof(redis));
        this.ownsConnection = ownsConnection;
        this.options = options ?? new MtaStsRedisOptions();
        keys = new RedisKeys(this.options.KeyPrefix);
        var resolver = resolverOptions ?? new MtaStsOptions();
        refreshInterval = resolver.RefreshInterval;
        refreshJitter = resolver.RefreshJitter;
        this.local = local;
        this.time = time ?? TimeProvider.System;
        this.logger = logger ?? NullLogger.Instance;
        Node = this.options.NodeName is { Length: > 0 } name ? name : string.Create(CultureInfo.InvariantCulture, $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}");
        if (Node.Contains(' ', StringComparison.Ordinal))
        {
            throw new ArgumentException("the node name may not contain spaces", nameof(options));
        }

        metrics = new RedisCacheMetrics(meterFactory, () => !down && redis.IsConnected, () => PendingCount);
        onNotice = OnNotice;
        redis.ConnectionFailed += OnConnectionFailed;
        redis.ConnectionRestored += OnConnectionRestored;
        Subscribed = SubscribeAsync();
    }

    /// <summary>Raised when another node changed or removed the entry of a domain (after this node forgot its copy); the resolver then forgets its own.</summary>
    public event Action<PolicyDomain>? Changed;

    /// <inheritdoc/>
    public string? Problem => IsDown ? $"the Redis cache is unreachable ({lastProblem ?? "not connected"}); lookups are answered from this node's memory" : null;

    /// <summary>This node's name in leases and notices.</summary>
    public string Node { get; }

    /// <summary>Whether the last Redis operation failed (the node is answering from its own memory).</summary>
    public bool IsDown => down || !redis.IsConnected;

    /// <summary>Entries written while Redis was unreachable, not yet written to it.</summary>
    public int PendingCount
    {
        get
        {
            lock (pending)
            {
                return pending.Count;
            }
        }
    }

    internal RedisKeys Keys => keys;

    internal RedisCacheMetrics Metrics => metrics;

    internal MtaStsRedisOptions Options => options;

    internal IConnectionMultiplexer Connection => redis;

    /// <summary>Completes when the change-notice subscription is in place (or failed; it is renewed on reconnect).</summary>
    internal Task Subscribed { get; }

    /// <summary>
    /// Connects to <paramref name="connectionString"/> and creates a cache that owns the connection. Without
    /// <paramref name="requireConnection"/> an unreachable server is not an error: the cache starts in an outage and
    /// the connection keeps retrying.
    /// </summary>
    /// <param name="connectionString">The StackExchange.Redis connection string.</param>
    /// <param name="options">Cache options (the connection string in them is ignored).</param>
    /// <param name="resolverOptions">The resolver's options.</param>
    /// <param name="requireConnection">Fail when the server cannot be reached now (the CLI does).</param>
    /// <param name="local">This node's own cache.</param>
    /// <param name="time">The clock.</param>
    /// <param name="loggerFactory">Logging.</param>
    /// <returns>The cache, or one line saying why there is none.</returns>
    public static async Task<Either<string, RedisPolicyCache>> ConnectAsync(string connectionString, MtaStsRedisOptions? options = null, MtaStsOptions? resolverOptions = null, bool requireConnection = false, IPolicyCache? local = null, TimeProvider? time = null, ILoggerFactory? loggerFactory = null)
    {
        options ??= new MtaStsRedisOptions();
        var connected = await ConnectMultiplexerAsync(connectionString, options, requireConnection).ConfigureAwait(false);
        return connected.Map(connection => new RedisPolicyCache(connection, ownsConnection: true, options, resolverOptions, local, time, loggerFactory?.CreateLogger<RedisPolicyCache>(), meterFactory: null));
    }

    /// <summary>
    /// A connection with the settings the cache wants (see <see cref="ConnectAsync"/>), or one line saying why there is
    /// none: a string that is not a connection string, or (with <paramref name="requireConnection"/>) an unreachable server.
    /// </summary>
    /// <param name="connectionString">The StackExchange.Redis connection string.</param>
    /// <param name="options">Cache options (the timeouts).</param>
    /// <param name="requireConnection">Fail when the server cannot be reached now.</param>
    /// <returns>The connection (the caller disposes it), or why not.</returns>
    public static async Task<Either<string, IConnectionMultiplexer>> ConnectMultiplexerAsync(string connectionString, MtaStsRedisOptions? options = null, bool requireConnection = false)
    {
        var configuration = Configure(connectionString, options ?? new MtaStsRedisOptions());
        if (configuration.IsLeft)
        {
            return (string)configuration;
        }

        var parsed = (ConfigurationOptions)configuration;
        ConnectionMultiplexer connection;
        try
        {
            connection = await ConnectionMultiplexer.ConnectAsync(parsed).ConfigureAwait(false);
        }
        catch (RedisException e)
        {
            return $"cannot connect to Redis at {Endpoints(parsed)}: {FirstLine(e.Message)}";
        }

        if (requireConnection && !connection.IsConnected)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            return $"cannot reach Redis at {Endpoints(parsed)} (is redis-server running there?)";
        }

        return connection;
    }

    /// <summary>
    /// The connection settings the cache wants: reconnect in the background (no abort on a failed first connect),
    /// fail fast instead of queueing while disconnected, and time out at <see cref="MtaStsRedisOptions.OperationTimeout"/>.
    /// </summary>
    /// <param name="connectionString">The StackExchange.Redis connection string.</param>
    /// <param name="options">The cache options.</param>
    /// <returns>The settings, or why the string is not a connection string.</returns>
    internal static Either<string, ConfigurationOptions> Configure(string? connectionString, MtaStsRedisOptions options)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            return "the Redis connection string is empty (expected e.g. 127.0.0.1:6379)";
        }

        ConfigurationOptions parsed;
        try
        {
            parsed = ConfigurationOptions.Parse(connectionString);
        }
        catch (ArgumentException e)
        {
            return $"'{connectionString}' is not a Redis connection string: {FirstLine(e.Message)}";
        }

        if (parsed.EndPoints.Count == 0)
        {
            return $"'{connectionString}' names no Redis server (expected e.g. 127.0.0.1:6379)";
        }

        var timeout = (int)Math.Clamp(options.OperationTimeout.TotalMilliseconds, 50, int.MaxValue);
        parsed.AbortOnConnectFail = false;
        parsed.BacklogPolicy = BacklogPolicy.FailFast;
        parsed.AsyncTimeout = timeout;
        parsed.SyncTimeout = timeout;
        parsed.ConnectTimeout = Math.Max(timeout, 1000);
        parsed.ReconnectRetryPolicy = new LinearRetry(500);
        return parsed;
    }

    /// <inheritdoc/>
    public async ValueTask<Option<CacheEntry>> GetAsync(PolicyDomain domain, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(domain);
        var known = near.TryGetValue(domain.Value, out var n) ? n : null;
        if (known is { Fresh: true })
        {
            return known.Entry;
        }

        var unsent = PendingLatest(domain.Value);
        if (unsent.IsSome)
        {
            return (CacheEntry)unsent;
        }

        if (ShouldTry() || known is null)
        {
            var before = Interlocked.Read(ref generation);
            var read = await TryAsync("read", db => ReadEntryAsync(db, domain)).ConfigureAwait(false);
            if (read.IsSome)
            {
                return Learn(domain, (Either<string, Option<CacheEntry>>)read, before);
            }
        }

        // Redis is down or slow: the best this node knows, then its own cache.
        if (known is not null)
        {
            return known.Entry;
        }

        return local is null ? Option<CacheEntry>.None : await local.GetAsync(domain, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask PutAsync(CacheEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (local is not null)
        {
            await local.PutAsync(entry, cancellationToken).ConfigureAwait(false);
        }

        // A lookup that only moved the last use: remembered here, written to Redis at most once per interval.
        if (near.TryGetValue(entry.Domain.Value, out var n) && n.Fresh && n.Entry with { LastUsed = entry.LastUsed } == entry
            && entry.LastUsed - n.UsedWritten < options.LastUsedWriteInterval)
        {
            near.TryUpdate(entry.Domain.Value, n with { Entry = entry.LastUsed > n.Entry.LastUsed ? entry : n.Entry }, n);
            return;
        }

        if (!await WriteAsync(entry).ConfigureAwait(false))
        {
            AddPending(entry);
            near[entry.Domain.Value] = new Near(entry, Fresh: false, UsedWritten: DateTimeOffset.MinValue);
        }
    }

    /// <inheritdoc/>
    public async ValueTask<bool> RemoveAsync(PolicyDomain domain, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(domain);
        var inMemory = near.TryRemove(domain.Value, out _);
        lock (pending)
        {
            inMemory |= pending.Remove(domain.Value);
        }

        var onDisk = local is not null && await local.RemoveAsync(domain, cancellationToken).ConfigureAwait(false);
        var removed = await TryAsync("remove", db => db.ScriptEvaluateAsync(
            Scripts.Remove,
            [keys.Entry(domain.Value), keys.Due, keys.All],
            [domain.Value, keys.Channel.ToString(), Notice(domain.Value)])).ConfigureAwait(false);
        return removed.IsSome ? (long)(RedisResult)removed > 0 || inMemory || onDisk : inMemory || onDisk;
    }

    /// <inheritdoc/>
    public async ValueTask<Seq<CacheEntry>> ListAsync(CancellationToken cancellationToken = default)
    {
        var members = await TryAsync("list", db => db.SortedSetRangeByRankAsync(keys.All)).ConfigureAwait(false);
        if (members.IsNone)
        {
            return await KnownHereAsync(cancellationToken).ConfigureAwait(false);
        }

        var found = await ReadManyAsync(Domains((RedisValue[])members), cancellationToken).ConfigureAwait(false);
        if (found.IsNone)
        {
            return await KnownHereAsync(cancellationToken).ConfigureAwait(false);
        }

        return ((Seq<CacheEntry>)found).OrderBy(static e => e.Domain.Value, StringComparer.Ordinal).ToSeq().Strict();
    }

    /// <inheritdoc/>
    public async ValueTask TouchAsync(IReadOnlyCollection<KeyValuePair<PolicyDomain, DateTimeOffset>> uses, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(uses);
        if (local is not null)
        {
            await local.TouchAsync(uses, cancellationToken).ConfigureAwait(false);
        }

        foreach (var (domain, at) in uses)
        {
            if (near.TryGetValue(domain.Value, out var n) && n.Entry.LastUsed < at)
            {
                near.TryUpdate(domain.Value, n with { Entry = n.Entry with { LastUsed = at } }, n);
            }
        }

        // One pipelined batch; a use that does not reach Redis only leaves an older last use there.
        await TryAsync("touch", db => Task.WhenAll(uses.Select(u => db.ScriptEvaluateAsync(Scripts.Touch, [keys.Entry(u.Key.Value)], [EntryCodec.Version, u.Value.ToUnixTimeMilliseconds()]))), Bound(uses.Count)).ConfigureAwait(false);
    }

    /// <summary>Writes what this node wrote during an outage; the put-if-newer script makes the replay safe in any order.</summary>
    /// <returns>The number of entries written.</returns>
    public async Task<int> FlushPendingAsync()
    {
        if (Interlocked.Exchange(ref flushing, 1) == 1)
        {
            return 0;
        }

        var written = 0;
        try
        {
            KeyValuePair<string, List<CacheEntry>>[] snapshot;
            lock (pending)
            {
                snapshot = [.. pending.Select(static p => KeyValuePair.Create(p.Key, new List<CacheEntry>(p.Value)))];
            }

            foreach (var (domain, entries) in snapshot)
            {
                foreach (var entry in entries)
                {
                    if (!await WriteAsync(entry).ConfigureAwait(false))
                    {
                        return written;
                    }
                }

                lock (pending)
                {
                    if (pending.TryGetValue(domain, out var now))
                    {
                        now.RemoveRange(0, Math.Min(entries.Count, now.Count));
                        if (now.Count == 0)
                        {
                            pending.Remove(domain);
                        }
                    }
                }

                written++;
            }

            if (written > 0)
            {
                LogFlushed(logger, written);
            }

            return written;
        }
        finally
        {
            Volatile.Write(ref flushing, 0);
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 1)
        {
            return;
        }

        redis.ConnectionFailed -= OnConnectionFailed;
        redis.ConnectionRestored -= OnConnectionRestored;
        metrics.Dispose();
        if (ownsConnection)
        {
            redis.Dispose();
            return;
        }

        // The connection is the application's: stop listening without waiting for the server (it may be down).
        redis.GetSubscriber().UnsubscribeAsync(keys.Channel, onNotice, CommandFlags.FireAndForget).ContinueWith(static t => _ = t.Exception, TaskScheduler.Default);
    }

    /// <summary>Takes the refresh lease of <paramref name="domain"/> and reads its entry, in one script.</summary>
    /// <returns>None when another node holds the lease, the entry is gone, or Redis did not answer; else the entry (none when invalid).</returns>
    internal async Task<Option<Option<CacheEntry>>> LeaseAsync(PolicyDomain domain)
    {
        var before = Interlocked.Read(ref generation);
        var result = await TryAsync("lease", db => db.ScriptEvaluateAsync(
            Scripts.LeaseAndRead,
            [keys.Lease(domain.Value), keys.Entry(domain.Value), keys.Due],
            [Node, (long)options.LeaseTime.TotalMilliseconds, domain.Value])).ConfigureAwait(false);
        if (result.IsNone || ((RedisResult)result).IsNull)
        {
            return Option<Option<CacheEntry>>.None;
        }

        return Prelude.Some(Learn(domain, EntryCodec.Decode(domain, (RedisValue[])((RedisResult)result)!), before));
    }

    /// <summary>The domains whose refresh is due at <paramref name="now"/>, in due order (the whole due part of the index, read in pages).</summary>
    internal async Task<Option<PolicyDomain[]>> DueAsync(DateTimeOffset now, int pageSize = 10_000)
    {
        var due = new List<PolicyDomain>();
        var until = now.ToUnixTimeMilliseconds();
        for (var skip = 0L; ; skip += pageSize)
        {
            var page = await TryAsync("due", db => db.SortedSetRangeByScoreAsync(keys.Due, double.NegativeInfinity, until, skip: skip, take: pageSize)).ConfigureAwait(false);
            if (page.IsNone)
            {
                return Option<PolicyDomain[]>.None;
            }

            var members = (RedisValue[])page;

            due.AddRange(Domains(members));
            if (members.Length < pageSize)
            {
                return due.ToArray();
            }
        }
    }

    /// <summary>Forgets this node's copy of an entry (benchmarks: the first lookup of a domain another node cached).</summary>
    internal void ForgetLocal(PolicyDomain domain) => near.TryRemove(domain.Value, out _);

    /// <summary>Takes a domain out of the refresh index (its policy expired).</summary>
    internal Task NotDueAsync(PolicyDomain domain) => TryAsync("due", db => db.SortedSetRemoveAsync(keys.Due, domain.Value));

    private static async Task<Either<string, Option<CacheEntry>>> ReadEntryAsync(IDatabaseAsync db, PolicyDomain domain, RedisKey key)
    {
        try
        {
            return EntryCodec.Decode(domain, await db.HashGetAsync(key, EntryCodec.Fields).ConfigureAwait(false));
        }
        catch (RedisServerException e) when (e.Message.StartsWith("WRONGTYPE", StringComparison.Ordinal))
        {
            return "the value is not a hash (another program's key?)";
        }
    }

    private static string Endpoints(ConfigurationOptions options) => string.Join(",", options.EndPoints.Select(static e => e is System.Net.DnsEndPoint d ? $"{d.Host}:{d.Port}" : e.ToString()));

    private static string FirstLine(string text)
    {
        var line = text.AsSpan().Trim();
        var end = line.IndexOfAny('\r', '\n');
        return (end < 0 ? line : line[..end]).ToString();
    }

    private Task<Either<string, Option<CacheEntry>>> ReadEntryAsync(IDatabaseAsync db, PolicyDomain domain) => ReadEntryAsync(db, domain, keys.Entry(domain.Value));

    /// <summary>Index members back into domains; a member that is not a policy domain (another program's write) is reported and skipped.</summary>
    private PolicyDomain[] Domains(RedisValue[] members)
    {
        var domains = new List<PolicyDomain>(members.Length);
        foreach (var m in members)
        {
            PolicyDomain.Parse((string?)m).Match(
                Right: domains.Add,
                Left: e => ReportInvalid((string?)m ?? string.Empty, "the index names something that is not a policy domain"));
        }

        return [.. domains];
    }

    private async Task<Option<Seq<CacheEntry>>> ReadManyAsync(PolicyDomain[] domains, CancellationToken cancellationToken)
    {
        const int Page = 1000;
        var found = new List<CacheEntry>(domains.Length);
        for (var start = 0; start < domains.Length; start += Page)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var slice = domains.AsMemory(start, Math.Min(Page, domains.Length - start));
            var page = await TryAsync("list", db => Task.WhenAll(MemoryMarshalSelect(slice, d => ReadEntryAsync(db, d))), Bound(slice.Length)).ConfigureAwait(false);
            if (page.IsNone)
            {
                return Option<Seq<CacheEntry>>.None;
            }

            var answers = (Either<string, Option<CacheEntry>>[])page;

            for (var i = 0; i < answers.Length; i++)
            {
                var domain = slice.Span[i];
                answers[i].Match(
                    Right: e => e.IfSome(found.Add),
                    Left: problem => ReportInvalid(domain.Value, problem));
            }
        }

        return found.ToSeq().Strict();
    }

    private static IEnumerable<Task<T>> MemoryMarshalSelect<T>(ReadOnlyMemory<PolicyDomain> items, Func<PolicyDomain, Task<T>> f)
    {
        for (var i = 0; i < items.Length; i++)
        {
            yield return f(items.Span[i]);
        }
    }

    /// <summary>A batch gets more time than one lookup (a list or refresh pass is not on the delivery path).</summary>
    private TimeSpan Bound(int operations) => options.OperationTimeout + TimeSpan.FromMilliseconds(operations);

    private Option<CacheEntry> Learn(PolicyDomain domain, Either<string, Option<CacheEntry>> answer, long before) =>
        answer.Match(
            Right: found =>
            {
                found.Match(
                    Some: e => near[domain.Value] = new Near(e, Fresh: Interlocked.Read(ref generation) == before, UsedWritten: e.LastUsed),
                    None: () => near.TryRemove(domain.Value, out _));
                return found;
            },
            Left: problem =>
            {
                ReportInvalid(domain.Value, problem);
                near.TryRemove(domain.Value, out _);
                return Option<CacheEntry>.None;
            });

    private async Task<bool> WriteAsync(CacheEntry entry)
    {
        var replace = string.Empty;
        for (var attempt = 0; ; attempt++)
        {
            var before = Interlocked.Read(ref generation);
            var result = await TryAsync("write", db => db.ScriptEvaluateAsync(Scripts.PutIfNewer, [keys.Entry(entry.Domain.Value), keys.Due, keys.All], Arguments(entry, replace))).ConfigureAwait(false);
            if (result.IsNone)
            {
                return false;
            }

            var values = (RedisValue[])((RedisResult)result)!;
            if ((long)values[1] == 1)
            {
                ReportInvalid(entry.Domain.Value, "a corrupt or foreign value was replaced");
            }

            var stored = values.AsSpan(2);
            var decoded = EntryCodec.Decode(entry.Domain, stored);
            if (decoded.IsLeft && attempt == 0)
            {
                // Valid to the script but not to the grammar (e.g. a policy text that does not parse): replace it if it is still there.
                ReportInvalid(entry.Domain.Value, (string)decoded);
                replace = string.Join('\0', stored.ToArray().Select(static v => (string?)v ?? string.Empty));
                continue;
            }

            Learn(entry.Domain, decoded, before);
            return true;
        }
    }

    private RedisValue[] Arguments(CacheEntry entry, string replace)
    {
        var encoded = EntryCodec.Encode(entry);
        var due = entry.Policy.IsSome
            ? (RedisValue)PolicyLifecycle.RefreshAt((CachedPolicy)entry.Policy, refreshInterval, refreshJitter * Random.Shared.NextDouble()).ToUnixTimeMilliseconds()
            : RedisValue.EmptyString;
        return
        [
            .. encoded,
            due,
            (long)options.Retention.TotalMilliseconds,
            Notice(entry.Domain.Value),
            entry.Domain.Value,
            time.GetUtcNow().ToUnixTimeMilliseconds(),
            keys.Channel.ToString(),
            replace,
        ];
    }

    private string Notice(string domain) => Node + " " + domain;

    private void AddPending(CacheEntry entry)
    {
        lock (pending)
        {
            if (!pending.TryGetValue(entry.Domain.Value, out var list))
            {
                pending[entry.Domain.Value] = list = [];
            }

            // Entries that differ only in the last use coalesce; others are all replayed, in order.
            if (list.Count > 0 && list[^1] with { LastUsed = entry.LastUsed } == entry)
            {
                list[^1] = entry;
            }
            else
            {
                list.Add(entry);
            }
        }
    }

    private Option<CacheEntry> PendingLatest(string domain)
    {
        lock (pending)
        {
            return pending.TryGetValue(domain, out var list) && list.Count > 0 ? list[^1] : Option<CacheEntry>.None;
        }
    }

    private async Task<Seq<CacheEntry>> KnownHereAsync(CancellationToken cancellationToken)
    {
        var all = new Dictionary<string, CacheEntry>(StringComparer.Ordinal);
        if (local is not null)
        {
            foreach (var e in await local.ListAsync(cancellationToken).ConfigureAwait(false))
            {
                all[e.Domain.Value] = e;
            }
        }

        foreach (var (domain, n) in near)
        {
            all[domain] = n.Entry;
        }

        return all.Values.OrderBy(static e => e.Domain.Value, StringComparer.Ordinal).ToSeq().Strict();
    }

    private bool ShouldTry()
    {
        if (!down && redis.IsConnected)
        {
            return true;
        }

        var now = Environment.TickCount64;
        var last = Interlocked.Read(ref lastProbe);
        return now - last >= ProbeInterval.TotalMilliseconds && Interlocked.CompareExchange(ref lastProbe, now, last) == last;
    }

    /// <summary>One Redis operation, bounded; a failure or timeout marks the outage and yields none.</summary>
    private Task<Option<T>> TryAsync<T>(string operation, Func<IDatabase, Task<T>> run) => TryAsync(operation, run, options.OperationTimeout);

    private async Task<Option<T>> TryAsync<T>(string operation, Func<IDatabase, Task<T>> run, TimeSpan bound)
    {
        if (!redis.IsConnected)
        {
            MarkDown(operation, "not connected");
            return Option<T>.None;
        }

        try
        {
            var value = await run(redis.GetDatabase()).WaitAsync(bound).ConfigureAwait(false);
            MarkUp();
            return value is null ? Option<T>.None : Prelude.Some(value);
        }
        catch (Exception e) when (e is RedisException or TimeoutException or ObjectDisposedException)
        {
            metrics.Error(operation);
            MarkDown(operation, FirstLine(e.Message));
            return Option<T>.None;
        }
    }

    private void MarkDown(string operation, string why)
    {
        lastProblem = $"{operation}: {why}";
        if (!down)
        {
            down = true;
            Interlocked.Exchange(ref lastProbe, Environment.TickCount64);
            LogDown(logger, operation, why);
        }
    }

    private void MarkUp()
    {
        if (down)
        {
            down = false;
            LogUp(logger, PendingCount);
        }

        if (PendingCount > 0 && Volatile.Read(ref flushing) == 0)
        {
            _ = FlushPendingAsync();
        }
    }

    private void ReportInvalid(string domain, string problem)
    {
        metrics.Invalid();
        LogInvalid(logger, keys.Entry(domain).ToString(), problem);
    }

    private async Task SubscribeAsync()
    {
        try
        {
            await redis.GetSubscriber().SubscribeAsync(keys.Channel, onNotice).ConfigureAwait(false);
        }
        catch (RedisException e)
        {
            // Renewed by the connection when it comes back; until then notices are missed, and the restore forgets every copy.
            MarkDown("subscribe", FirstLine(e.Message));
        }
    }

    private void OnNotice(RedisChannel channel, RedisValue message)
    {
        var text = (string?)message ?? string.Empty;
        var space = text.IndexOf(' ', StringComparison.Ordinal);
        if (space <= 0 || text.AsSpan(0, space).SequenceEqual(Node))
        {
            return;
        }

        var name = text[(space + 1)..];
        Interlocked.Increment(ref generation);
        if (near.TryGetValue(name, out var n))
        {
            near.TryUpdate(name, n with { Fresh = false }, n);
        }

        metrics.Notice();
        PolicyDomain.Parse(name).IfRight(d => Changed?.Invoke(d));
    }

    private void OnConnectionFailed(object? sender, ConnectionFailedEventArgs e) => MarkDown("connection", e.FailureType.ToString());

    private void OnConnectionRestored(object? sender, ConnectionFailedEventArgs e)
    {
        // Notices sent while the connection was down are lost: forget every copy (kept for outages, not trusted).
        Interlocked.Increment(ref generation);
        foreach (var (domain, n) in near)
        {
            near.TryUpdate(domain, n with { Fresh = false }, n);
        }

        MarkUp();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "MTA-STS Redis cache unreachable ({Operation}: {Why}); lookups are answered from this node's memory until it is back")]
    private static partial void LogDown(ILogger logger, string operation, string why);

    [LoggerMessage(Level = LogLevel.Information, Message = "MTA-STS Redis cache reachable again; {Pending} entries learned meanwhile are being written")]
    private static partial void LogUp(ILogger logger, int pending);

    [LoggerMessage(Level = LogLevel.Information, Message = "MTA-STS Redis cache: wrote {Count} entries learned during the outage")]
    private static partial void LogFlushed(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "MTA-STS Redis cache: the value under {Key} is not a valid entry ({Problem}); treated as a miss")]
    private static partial void LogInvalid(ILogger logger, string key, string problem);

    /// <summary>This node's copy of an entry; <paramref name="Fresh"/> until a change notice or a reconnect says Redis may have a newer one.</summary>
    private sealed record Near(CacheEntry Entry, bool Fresh, DateTimeOffset UsedWritten);
}
