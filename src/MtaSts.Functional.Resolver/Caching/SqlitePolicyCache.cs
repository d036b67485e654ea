using LanguageExt;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using MtaSts.Functional.Lifecycle;

namespace MtaSts.Functional.Resolver;

/// <summary>
/// A persistent cache in one SQLite file (WAL journal, so readers and one writer do not block each
/// other, and several processes may share the file). Each write is one committed transaction: a
/// process killed after a write loses nothing. Policies are stored as the text fetched and parsed
/// again on read, so the file never holds a policy the grammar rejects. When the file is corrupt or
/// unreadable, the problem is logged once, <see cref="Problem"/> says what it is, and the cache carries
/// on in memory for the rest of the process.
/// </summary>
public sealed class SqlitePolicyCache : IPolicyCache
{
    private const string Schema = """
        CREATE TABLE IF NOT EXISTS policy_cache (
            domain         TEXT PRIMARY KEY NOT NULL,
            policy_id      TEXT,
            policy_text    TEXT,
            fetched_at     INTEGER,
            expires_at     INTEGER,
            failure_id     TEXT,
            failure_at     INTEGER,
            failure_kind   TEXT,
            failure_detail TEXT,
            last_used      INTEGER NOT NULL
        ) STRICT;
        """;

    private const string Columns = "domain, policy_id, policy_text, fetched_at, expires_at, failure_id, failure_at, failure_kind, failure_detail, last_used";

    private readonly ILogger logger;
    private readonly InMemoryPolicyCache fallback = new();
    private readonly SqliteFile file;

    /// <summary>Opens (or creates) the cache file.</summary>
    /// <param name="path">The file.</param>
    /// <param name="logger">Where problems are reported.</param>
    public SqlitePolicyCache(string path, ILogger<SqlitePolicyCache>? logger = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        Path = path;
        this.logger = (ILogger?)logger ?? NullLogger.Instance;
        file = new SqliteFile(path, Schema, why => this.logger.LogError("MTA-STS cache {Path} is unusable ({Problem}); continuing with an in-memory cache", path, why));
    }

    /// <summary>The file.</summary>
    public string Path { get; }

    /// <summary>Why the file is not in use, or null when it is.</summary>
    public string? Problem => file.Problem;

    /// <inheritdoc/>
    public async ValueTask<Option<CacheEntry>> GetAsync(PolicyDomain domain, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(domain);
        return file.TryRun("read", connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = $"SELECT {Columns} FROM policy_cache WHERE domain = $domain;";
            command.Parameters.AddWithValue("$domain", domain.Value);
            using var reader = command.ExecuteReader();
            return reader.Read() ? Read(reader) : Option<CacheEntry>.None;
        }, out var found) ? found : await fallback.GetAsync(domain, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask PutAsync(CacheEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var written = file.TryRun("write", connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = $"INSERT OR REPLACE INTO policy_cache ({Columns}) VALUES ($domain, $policy_id, $policy_text, $fetched_at, $expires_at, $failure_id, $failure_at, $failure_kind, $failure_detail, $last_used);";
            var policy = entry.Policy.MatchUnsafe(static p => p, static () => null);
            var failure = entry.LastFailure.MatchUnsafe(static f => f, static () => null);
            command.Parameters.AddWithValue("$domain", entry.Domain.Value);
            command.Parameters.AddWithValue("$policy_id", (object?)policy?.Id.Value ?? DBNull.Value);
            command.Parameters.AddWithValue("$policy_text", (object?)policy?.Text ?? DBNull.Value);
            command.Parameters.AddWithValue("$fetched_at", (object?)policy?.FetchedAt.ToUnixTimeMilliseconds() ?? DBNull.Value);
            command.Parameters.AddWithValue("$expires_at", (object?)policy?.ExpiresAt.ToUnixTimeMilliseconds() ?? DBNull.Value);
            command.Parameters.AddWithValue("$failure_id", (object?)failure?.Id.Value ?? DBNull.Value);
            command.Parameters.AddWithValue("$failure_at", (object?)failure?.At.ToUnixTimeMilliseconds() ?? DBNull.Value);
            command.Parameters.AddWithValue("$failure_kind", (object?)failure?.Failure.Kind.ToString() ?? DBNull.Value);
            command.Parameters.AddWithValue("$failure_detail", (object?)failure?.Failure.Detail ?? DBNull.Value);
            command.Parameters.AddWithValue("$last_used", entry.LastUsed.ToUnixTimeMilliseconds());
            return command.ExecuteNonQuery();
        }, out _);
        if (!written)
        {
            await fallback.PutAsync(entry, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc/>
    public async ValueTask<bool> RemoveAsync(PolicyDomain domain, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(domain);
        var inMemory = await fallback.RemoveAsync(domain, cancellationToken).ConfigureAwait(false);
        var ran = file.TryRun("remove", connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = "DELETE FROM policy_cache WHERE domain = $domain;";
            command.Parameters.AddWithValue("$domain", domain.Value);
            return command.ExecuteNonQuery() > 0;
        }, out var onDisk);
        return inMemory || ran && onDisk;
    }

    /// <inheritdoc/>
    public async ValueTask<Seq<CacheEntry>> ListAsync(CancellationToken cancellationToken = default)
    {
        var listed = file.TryRun("list", connection =>
            {
                using var command = connection.CreateCommand();
                command.CommandText = $"SELECT {Columns} FROM policy_cache ORDER BY domain;";
                using var reader = command.ExecuteReader();
                var entries = new List<CacheEntry>();
                while (reader.Read())
                {
                    Read(reader).IfSome(entries.Add);
                }

                return entries.ToSeq().Strict();
            }, out var onDisk);
        return listed ? onDisk : await fallback.ListAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask TouchAsync(IReadOnlyCollection<KeyValuePair<PolicyDomain, DateTimeOffset>> uses, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(uses);
        var written = file.TryRun("touch", connection =>
        {
            using var transaction = connection.BeginTransaction();
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = "UPDATE policy_cache SET last_used = $last_used WHERE domain = $domain AND last_used < $last_used;";
            var domain = command.Parameters.Add("$domain", SqliteType.Text);
            var at = command.Parameters.Add("$last_used", SqliteType.Integer);
            foreach (var (name, used) in uses)
            {
                domain.Value = name.Value;
                at.Value = used.ToUnixTimeMilliseconds();
                command.ExecuteNonQuery();
            }

            transaction.Commit();
            return true;
        }, out _);
        if (!written)
        {
            await ((IPolicyCache)fallback).TouchAsync(uses, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>A row back into an entry; a row whose policy no longer parses keeps only its bookkeeping; a row whose domain is not a policy domain is skipped.</summary>
    private Option<CacheEntry> Read(SqliteDataReader r)
    {
        var parsedDomain = PolicyDomain.Parse(r.GetString(0));
        if (parsedDomain.IsLeft)
        {
            logger.LogWarning("MTA-STS cache {Path}: the row for '{Domain}' is not a policy domain; ignoring it", Path, r.GetString(0));
            return Option<CacheEntry>.None;
        }

        var domain = (PolicyDomain)parsedDomain;
        var policy = Option<CachedPolicy>.None;
        if (!r.IsDBNull(1) && !r.IsDBNull(2))
        {
            var text = r.GetString(2);
            policy = from id in PolicyId.Create(r.GetString(1)).ToOption()
                     from parsed in Policy.Parse(text).ToOption()
                     select new CachedPolicy(id, parsed, text, Time(r.GetInt64(3)), Time(r.GetInt64(4)));
            if (policy.IsNone)
            {
                logger.LogWarning("MTA-STS cache {Path}: the stored policy of {Domain} is not valid any more; ignoring it", Path, domain);
            }
        }

        var failure = Option<FailedFetch>.None;
        if (!r.IsDBNull(5) && Enum.TryParse<FetchFailureKind>(r.GetString(7), out var kind))
        {
            failure = PolicyId.Create(r.GetString(5)).ToOption().Map(id => new FailedFetch(id, Time(r.GetInt64(6)), new FetchFailure(kind, r.IsDBNull(8) ? string.Empty : r.GetString(8))));
        }

        return new CacheEntry(domain, policy, failure, Time(r.GetInt64(9)));
    }

    private static DateTimeOffset Time(long unixMilliseconds) => DateTimeOffset.FromUnixTimeMilliseconds(unixMilliseconds);
}
