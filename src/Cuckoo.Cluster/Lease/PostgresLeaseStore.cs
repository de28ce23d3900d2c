using System.Text.RegularExpressions;
using Npgsql;

namespace Cuckoo.Cluster.Lease;

/// <summary>
/// The lease table on PostgreSQL. Every expiry is computed and compared with the database's now(), so the coordinators'
/// own clocks never decide who holds a lease; only the local deadline (<see cref="LeaseHolder"/>) uses the local one.
/// </summary>
internal sealed partial class PostgresLeaseStore : ILeaseStore, IDisposable
{
    public const string DefaultTable = "cuckoo_leases";

    private readonly NpgsqlDataSource _dataSource;
    private readonly string _table;
    private readonly SemaphoreSlim _createGate = new(1, 1);
    private volatile bool _created;

    public PostgresLeaseStore(string connectionString, string table, TimeSpan operationTimeout)
    {
        _table = QuoteTable(table);
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        // The lease's own budget also bounds connecting and each command, so the driver gives up no later than we do.
        var seconds = Math.Max(1, (int)Math.Ceiling(operationTimeout.TotalSeconds));
        builder.Timeout = seconds;
        builder.CommandTimeout = seconds;
        if (string.IsNullOrEmpty(builder.ApplicationName))
        {
            // Visible in pg_stat_activity; never an owner name, so these sessions can never pass the journal fence.
            builder.ApplicationName = "cuckoo-lease";
        }

        _dataSource = NpgsqlDataSource.Create(builder.ConnectionString);
    }

    /// <summary>
    /// The table. owner is null after a release; the row is kept rather than deleted so that token only ever grows
    /// (a deleted row would restart it at 1 and a stale holder's token could become current again).
    /// </summary>
    public static string CreateTableSql(string quotedTable) => $"""
        CREATE TABLE IF NOT EXISTS {quotedTable} (
          name text PRIMARY KEY,
          owner text,
          token bigint NOT NULL,
          expires_at timestamptz NOT NULL)
        """;

    /// <summary>A table name (optionally schema-qualified) as a quoted identifier; anything else is refused, since identifiers cannot be parameters.</summary>
    public static string QuoteTable(string table)
    {
        var parts = table.Split('.');
        if (parts.Length > 2 || !parts.All(p => Identifier().IsMatch(p)))
        {
            throw new ArgumentException($"Lease table '{table}' must be [schema.]name of letters, digits and underscores.", nameof(table));
        }

        return string.Join('.', parts.Select(p => $"\"{p}\""));
    }

    public async Task<long?> TryAcquireAsync(string name, string owner, TimeSpan ttl, CancellationToken ct)
    {
        await EnsureTableAsync(ct);
        // One statement, so two nodes racing for a free or expired row cannot both win: the loser's ON CONFLICT
        // re-reads the winner's row and its WHERE fails. The token moves only when the owner changes (null after a
        // release counts as a change), so a holder re-acquiring keeps its token.
        await using var command = _dataSource.CreateCommand($"""
            INSERT INTO {_table} AS l (name, owner, token, expires_at)
            VALUES (@name, @owner, 1, now() + @ttl)
            ON CONFLICT (name) DO UPDATE
              SET owner = EXCLUDED.owner,
                  token = CASE WHEN l.owner IS NOT DISTINCT FROM EXCLUDED.owner THEN l.token ELSE l.token + 1 END,
                  expires_at = EXCLUDED.expires_at
              WHERE l.expires_at < now() OR l.owner = EXCLUDED.owner
            RETURNING token
            """);
        command.Parameters.AddWithValue("name", name);
        command.Parameters.AddWithValue("owner", owner);
        command.Parameters.AddWithValue("ttl", ttl);
        var token = await command.ExecuteScalarAsync(ct);
        return token is long t ? t : null;
    }

    public async Task<bool> TryRenewAsync(string name, string owner, long token, TimeSpan ttl, CancellationToken ct)
    {
        // A lapsed tenure is not revived even if nobody took it: the node already counts it as lost.
        await using var command = _dataSource.CreateCommand($"""
            UPDATE {_table} SET expires_at = now() + @ttl
            WHERE name = @name AND owner = @owner AND token = @token AND expires_at > now()
            """);
        command.Parameters.AddWithValue("name", name);
        command.Parameters.AddWithValue("owner", owner);
        command.Parameters.AddWithValue("token", token);
        command.Parameters.AddWithValue("ttl", ttl);
        return await command.ExecuteNonQueryAsync(ct) == 1;
    }

    public async Task<bool> ReleaseAsync(string name, string owner, CancellationToken ct)
    {
        await EnsureTableAsync(ct);
        // -infinity rather than now(): a successor's now() could equal ours to the microsecond and fail "expires_at < now()".
        await using var command = _dataSource.CreateCommand($"""
            UPDATE {_table} SET owner = NULL, expires_at = '-infinity'
            WHERE name = @name AND owner = @owner
            """);
        command.Parameters.AddWithValue("name", name);
        command.Parameters.AddWithValue("owner", owner);
        return await command.ExecuteNonQueryAsync(ct) == 1;
    }

    public void Dispose() => _dataSource.Dispose();

    private async Task EnsureTableAsync(CancellationToken ct)
    {
        if (_created)
        {
            return;
        }

        await _createGate.WaitAsync(ct);
        try
        {
            if (!_created)
            {
                await CreateTableAsync(_dataSource, _table, ct);
                _created = true;
            }
        }
        finally
        {
            _createGate.Release();
        }
    }

    internal static async Task CreateTableAsync(NpgsqlDataSource dataSource, string quotedTable, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(CreateTableSql(quotedTable));
        try
        {
            await command.ExecuteNonQueryAsync(ct);
        }
        catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.UniqueViolation or PostgresErrorCodes.DuplicateTable)
        {
            // Two nodes creating it at once: IF NOT EXISTS is not atomic in PostgreSQL, and the other one won.
        }
    }

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]{0,62}$")]
    private static partial Regex Identifier();
}
