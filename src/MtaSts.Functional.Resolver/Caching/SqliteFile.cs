using System.Globalization;
using Microsoft.Data.Sqlite;

namespace MtaSts.Functional.Resolver;

/// <summary>
/// The file conventions of this project's SQLite stores (the policy cache and the TLSRPT store): WAL journal,
/// a 30-second busy timeout, pooled connections, one fresh connection per operation; the first storage error
/// makes the file unusable for the process, is reported once, and is kept as <see cref="Problem"/> (the store
/// then carries on in memory).
/// </summary>
internal sealed class SqliteFile
{
    private readonly string connectionString;
    private readonly Action<string> reportOnce;
    private volatile string? problem;

    /// <summary>Opens (or creates) the file and applies <paramref name="schema"/>.</summary>
    /// <param name="path">The file.</param>
    /// <param name="schema">The statements that create the tables (idempotent).</param>
    /// <param name="reportOnce">Told the problem, once, when the file becomes unusable.</param>
    public SqliteFile(string path, string schema, Action<string> reportOnce)
    {
        this.reportOnce = reportOnce;
        connectionString = new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadWriteCreate, Pooling = true, DefaultTimeout = 30 }.ToString();
        TryRun("open", connection =>
        {
            Execute(connection, "PRAGMA journal_mode=WAL;");
            Execute(connection, schema);
            return true;
        }, out _);
    }

    /// <summary>Why the file is not in use, or null when it is.</summary>
    public string? Problem => problem;

    /// <summary>Runs one statement without results.</summary>
    public static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    /// <summary>Runs one operation on a fresh (pooled) connection; false once the file is unusable.</summary>
    public bool TryRun<T>(string operation, Func<SqliteConnection, T> body, out T result)
    {
        result = default!;
        if (problem is not null)
        {
            return false;
        }

        try
        {
            using var connection = new SqliteConnection(connectionString);
            connection.Open();
            result = body(connection);
            return true;
        }
        catch (SqliteException e)
        {
            var why = string.Create(CultureInfo.InvariantCulture, $"SQLite error {e.SqliteErrorCode} on {operation}: {e.Message}");
            if (Interlocked.CompareExchange(ref problem, why, null) is null)
            {
                reportOnce(why);
            }

            return false;
        }
    }
}
