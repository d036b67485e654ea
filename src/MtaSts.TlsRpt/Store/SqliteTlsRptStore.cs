using System.Globalization;
using System.Text.Json;
using LanguageExt;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using MtaSts.Functional.Resolver;
using MtaSts.MailKit;

namespace MtaSts.TlsRpt;

/// <summary>
/// The TLSRPT store in one SQLite file, with the policy cache's file conventions (<c>SqlitePolicyCache</c>):
/// WAL journal (readers never block the writer; several processes may share the file), a 30-second busy
/// timeout (concurrent writers wait for each other instead of failing), pooled connections, <c>STRICT</c>
/// tables, times as Unix milliseconds. Every write is one committed transaction, so a process killed after
/// <see cref="RecordAsync"/> or <see cref="RecordAttemptAsync"/> returned loses nothing. Sessions are kept
/// one row each and merged on read with <see cref="DailyResults.Add"/> (the same merge as in memory). When
/// the file is unusable, the problem is logged once, <see cref="Problem"/> says what it is, and the store
/// carries on in memory for the rest of the process.
/// </summary>
public sealed class SqliteTlsRptStore : ITlsRptStore
{
    private const string Schema = """
        CREATE TABLE IF NOT EXISTS tlsrpt_session (
            id              INTEGER PRIMARY KEY,
            policy_domain   TEXT NOT NULL,
            day             TEXT NOT NULL,
            report_delivery INTEGER NOT NULL,
            session         TEXT NOT NULL
        ) STRICT;
        CREATE INDEX IF NOT EXISTS tlsrpt_session_day ON tlsrpt_session (day, policy_domain);
        CREATE TABLE IF NOT EXISTS tlsrpt_report (
            policy_domain TEXT NOT NULL,
            day           TEXT NOT NULL,
            state         TEXT NOT NULL,
            attempts      INTEGER NOT NULL,
            first_attempt INTEGER,
            next_attempt  INTEGER,
            detail        TEXT NOT NULL,
            PRIMARY KEY (policy_domain, day)
        ) STRICT;
        CREATE TABLE IF NOT EXISTS tlsrpt_attempt (
            id            INTEGER PRIMARY KEY,
            policy_domain TEXT NOT NULL,
            day           TEXT NOT NULL,
            at            INTEGER NOT NULL,
            state_after   TEXT NOT NULL,
            next_attempt  INTEGER,
            detail        TEXT NOT NULL,
            destinations  TEXT NOT NULL
        ) STRICT;
        """;

    private readonly ILogger logger;
    private readonly InMemoryTlsRptStore fallback = new();
    private readonly SqliteFile file;

    /// <summary>Opens (or creates) the store file.</summary>
    /// <param name="path">The file.</param>
    /// <param name="logger">Where problems are reported.</param>
    public SqliteTlsRptStore(string path, ILogger<SqliteTlsRptStore>? logger = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        Path = path;
        this.logger = (ILogger?)logger ?? NullLogger.Instance;
        file = new SqliteFile(path, Schema, why => this.logger.LogError("TLSRPT store {Path} is unusable ({Problem}); continuing in memory", path, why));
    }

    /// <summary>The file.</summary>
    public string Path { get; }

    /// <summary>Why the file is not in use, or null when it is.</summary>
    public string? Problem => file.Problem;

    /// <inheritdoc/>
    public ValueTask RecordAsync(TlsSession session, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        var (domain, day) = DailyResults.KeyOf(session);
        var delivery = TlsRptDeliveryScope.IsActive; // RFC 8460 §3: kept apart, never counted
        return file.TryRun("record", connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = "INSERT INTO tlsrpt_session (policy_domain, day, report_delivery, session) VALUES ($domain, $day, $delivery, $session);";
            command.Parameters.AddWithValue("$domain", domain);
            command.Parameters.AddWithValue("$day", Day(day));
            command.Parameters.AddWithValue("$delivery", delivery ? 1 : 0);
            command.Parameters.AddWithValue("$session", SessionCodec.Write(session));
            return command.ExecuteNonQuery();
        }, out _) ? ValueTask.CompletedTask : fallback.RecordAsync(session, cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask<Option<DailyResults>> GetAsync(string policyDomain, DateOnly day, CancellationToken cancellationToken = default) =>
        file.TryRun("read", connection => Results(connection, day, policyDomain), out var found)
            ? ValueTask.FromResult(found.HeadOrNone())
            : fallback.GetAsync(policyDomain, day, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<Seq<DailyResults>> DayAsync(DateOnly day, CancellationToken cancellationToken = default) =>
        file.TryRun("read", connection => Results(connection, day, null), out var found) ? ValueTask.FromResult(found) : fallback.DayAsync(day, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<Seq<ReportStatus>> PendingAsync(DateOnly throughDay, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var last = throughDay < today ? throughDay : today.AddDays(-1);
        return file.TryRun("pending", connection => Statuses(connection, "s.day <= $day", Day(last)).Filter(s => TlsRptStores.IsDue(s, now)).Strict(), out var found)
            ? ValueTask.FromResult(found)
            : fallback.PendingAsync(throughDay, now, cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask<Seq<ReportStatus>> ReportsAsync(DateOnly day, CancellationToken cancellationToken = default) =>
        file.TryRun("reports", connection => Statuses(connection, "s.day = $day", Day(day)), out var found) ? ValueTask.FromResult(found) : fallback.ReportsAsync(day, cancellationToken);

    /// <inheritdoc/>
    public ValueTask RecordAttemptAsync(ReportKey report, DeliveryAttempt attempt, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(attempt);
        return file.TryRun("attempt", connection =>
        {
            using var transaction = connection.BeginTransaction(); // BEGIN IMMEDIATE: the read-modify-write below is serialised across processes
            var before = ReadStatus(connection, transaction, report);
            var after = TlsRptStores.After(before, attempt);
            using (var upsert = connection.CreateCommand())
            {
                upsert.Transaction = transaction;
                upsert.CommandText = "INSERT OR REPLACE INTO tlsrpt_report (policy_domain, day, state, attempts, first_attempt, next_attempt, detail) VALUES ($domain, $day, $state, $attempts, $first, $next, $detail);";
                upsert.Parameters.AddWithValue("$domain", report.PolicyDomain);
                upsert.Parameters.AddWithValue("$day", Day(report.Day));
                upsert.Parameters.AddWithValue("$state", after.State.ToString());
                upsert.Parameters.AddWithValue("$attempts", after.Attempts);
                upsert.Parameters.AddWithValue("$first", Millis(after.FirstAttempt));
                upsert.Parameters.AddWithValue("$next", Millis(after.NextAttempt));
                upsert.Parameters.AddWithValue("$detail", after.Detail);
                upsert.ExecuteNonQuery();
            }

            using (var insert = connection.CreateCommand())
            {
                insert.Transaction = transaction;
                insert.CommandText = "INSERT INTO tlsrpt_attempt (policy_domain, day, at, state_after, next_attempt, detail, destinations) VALUES ($domain, $day, $at, $state, $next, $detail, $destinations);";
                insert.Parameters.AddWithValue("$domain", report.PolicyDomain);
                insert.Parameters.AddWithValue("$day", Day(report.Day));
                insert.Parameters.AddWithValue("$at", attempt.At.ToUnixTimeMilliseconds());
                insert.Parameters.AddWithValue("$state", attempt.StateAfter.ToString());
                insert.Parameters.AddWithValue("$next", Millis(attempt.NextAttempt));
                insert.Parameters.AddWithValue("$detail", attempt.Detail);
                insert.Parameters.AddWithValue("$destinations", WriteDestinations(attempt.Destinations));
                insert.ExecuteNonQuery();
            }

            transaction.Commit();
            return true;
        }, out _) ? ValueTask.CompletedTask : fallback.RecordAttemptAsync(report, attempt, cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask<Seq<DeliveryAttempt>> AttemptsAsync(ReportKey report, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(report);
        return file.TryRun("attempts", connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT at, state_after, next_attempt, detail, destinations FROM tlsrpt_attempt WHERE policy_domain = $domain AND day = $day ORDER BY id;";
            command.Parameters.AddWithValue("$domain", report.PolicyDomain);
            command.Parameters.AddWithValue("$day", Day(report.Day));
            using var r = command.ExecuteReader();
            var list = new List<DeliveryAttempt>();
            while (r.Read())
            {
                list.Add(new DeliveryAttempt(Time(r.GetInt64(0)), ReadDestinations(r.GetString(4)), State(r.GetString(1)), OptionalTime(r, 2), r.GetString(3)));
            }

            return list.ToSeq().Strict();
        }, out var found) ? ValueTask.FromResult(found) : fallback.AttemptsAsync(report, cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask<long> ReportDeliverySessionsAsync(string policyDomain, DateOnly day, CancellationToken cancellationToken = default) =>
        file.TryRun("read", connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT count(*) FROM tlsrpt_session WHERE policy_domain = $domain AND day = $day AND report_delivery = 1;";
            command.Parameters.AddWithValue("$domain", policyDomain);
            command.Parameters.AddWithValue("$day", Day(day));
            return (long)command.ExecuteScalar()!;
        }, out var n) ? ValueTask.FromResult(n) : fallback.ReportDeliverySessionsAsync(policyDomain, day, cancellationToken);

    private Seq<DailyResults> Results(SqliteConnection connection, DateOnly day, string? domain)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT policy_domain, session FROM tlsrpt_session WHERE day = $day AND report_delivery = 0"
            + (domain is null ? string.Empty : " AND policy_domain = $domain") + " ORDER BY id;";
        command.Parameters.AddWithValue("$day", Day(day));
        if (domain is not null)
        {
            command.Parameters.AddWithValue("$domain", domain);
        }

        using var r = command.ExecuteReader();
        var results = new SortedDictionary<string, DailyResults>(StringComparer.Ordinal);
        while (r.Read())
        {
            var name = r.GetString(0);
            var session = SessionCodec.Read(r.GetString(1)).Filter(s => DailyResults.KeyOf(s) == (name, day));
            if (session.IsNone)
            {
                logger.LogWarning("TLSRPT store {Path}: a session row of {Domain} on {Day} is not readable; ignoring it", Path, name, day);
                continue;
            }

            results[name] = (results.TryGetValue(name, out var old) ? old : DailyResults.Empty(name, day)).Add((TlsSession)session);
        }

        return results.Values.ToSeq().Strict();
    }

    /// <summary>Every (domain, day) with counted sessions matching <paramref name="dayCondition"/>, with its state, by day then domain.</summary>
    private static Seq<ReportStatus> Statuses(SqliteConnection connection, string dayCondition, string day)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT s.policy_domain, s.day, r.state, r.attempts, r.first_attempt, r.next_attempt, r.detail
            FROM (SELECT DISTINCT policy_domain, day FROM tlsrpt_session WHERE report_delivery = 0) AS s
            LEFT JOIN tlsrpt_report AS r ON r.policy_domain = s.policy_domain AND r.day = s.day
            WHERE {dayCondition}
            ORDER BY s.day, s.policy_domain;
            """;
        command.Parameters.AddWithValue("$day", day);
        using var r = command.ExecuteReader();
        var list = new List<ReportStatus>();
        while (r.Read())
        {
            var key = new ReportKey(r.GetString(0), DateOnly.ParseExact(r.GetString(1), "yyyy-MM-dd", CultureInfo.InvariantCulture));
            list.Add(r.IsDBNull(2) ? ReportStatus.New(key) : new ReportStatus(key, State(r.GetString(2)), r.GetInt32(3), OptionalTime(r, 4), OptionalTime(r, 5), r.GetString(6)));
        }

        return list.ToSeq().Strict();
    }

    private static ReportStatus ReadStatus(SqliteConnection connection, SqliteTransaction transaction, ReportKey report)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT state, attempts, first_attempt, next_attempt, detail FROM tlsrpt_report WHERE policy_domain = $domain AND day = $day;";
        command.Parameters.AddWithValue("$domain", report.PolicyDomain);
        command.Parameters.AddWithValue("$day", Day(report.Day));
        using var r = command.ExecuteReader();
        return r.Read() ? new ReportStatus(report, State(r.GetString(0)), r.GetInt32(1), OptionalTime(r, 2), OptionalTime(r, 3), r.GetString(4)) : ReportStatus.New(report);
    }

    private static string WriteDestinations(Seq<DestinationResult> destinations)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartArray();
            foreach (var d in destinations)
            {
                w.WriteStartObject();
                w.WriteString("uri", d.Uri);
                w.WriteString("outcome", d.Outcome.ToString());
                w.WriteString("detail", d.Detail);
                w.WriteEndObject();
            }

            w.WriteEndArray();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static Seq<DestinationResult> ReadDestinations(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.EnumerateArray()
            .Select(static d => new DestinationResult(d.GetProperty("uri").GetString()!, Enum.Parse<DestinationOutcome>(d.GetProperty("outcome").GetString()!), d.GetProperty("detail").GetString()!))
            .ToSeq().Strict();
    }

    private static ReportState State(string text) => Enum.Parse<ReportState>(text);

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static object Millis(Option<DateTimeOffset> t) => t.Match(static v => (object)v.ToUnixTimeMilliseconds(), static () => DBNull.Value);

    private static DateTimeOffset Time(long unixMilliseconds) => DateTimeOffset.FromUnixTimeMilliseconds(unixMilliseconds);

    private static Option<DateTimeOffset> OptionalTime(SqliteDataReader r, int i) => r.IsDBNull(i) ? Option<DateTimeOffset>.None : Time(r.GetInt64(i));
}
