using StackExchange.Redis;

namespace MtaSts.Functional.Resolver.Redis;

/// <summary>Settings of the Redis policy cache shared by a fleet of senders.</summary>
public sealed class MtaStsRedisOptions
{
    /// <summary>The StackExchange.Redis connection string (e.g. <c>127.0.0.1:6379</c>); ignored when <see cref="Multiplexer"/> is set.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>A connection the application already has; when set, it is used and not disposed by the cache.</summary>
    public IConnectionMultiplexer? Multiplexer { get; set; }

    /// <summary>
    /// The prefix of every key, used as the Redis Cluster hash tag (<c>{prefix}:…</c>) so that all keys of one
    /// cache live in one slot and every script touches one slot (default <c>mtasts</c>). Fleets that must not
    /// share a cache use different prefixes.
    /// </summary>
    public string KeyPrefix { get; set; } = "mtasts";

    /// <summary>
    /// How long an entry is kept after its policy expired (or after its last failed fetch, when it has no policy):
    /// the key's expiry is that time plus this window (default 7 days). Expired entries are kept for a while for
    /// the TXT <c>id</c> comparison and the refresh list, never forever.
    /// </summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>
    /// How long a node holds the refresh lease on a domain (<c>SET NX PX</c>; default 5 minutes, longer than a
    /// fetch may take). Only the holder fetches; the lease is not released early, so no other node refreshes the
    /// same domain within this time.
    /// </summary>
    public TimeSpan LeaseTime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// The longest a lookup waits for Redis (default 250 ms). Past it the node answers from its own memory
    /// (and SQLite file, when configured) and reports the outage.
    /// </summary>
    public TimeSpan OperationTimeout { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// A lookup that only moves an entry's last-use time writes it to Redis at most this often per domain and node
    /// (default 1 minute), so a warm lookup does not touch the network.
    /// </summary>
    public TimeSpan LastUsedWriteInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>A name for this node in leases and change notices (default: machine name and process id).</summary>
    public string? NodeName { get; set; }
}
