using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Npgsql;

namespace Cuckoo.Cluster.Lease;

/// <summary>
/// Fencing at the database: a statement trigger on Akka.Persistence.Sql's journal table (PostgreSQL, table-mapping
/// default: <c>journal</c> in the connection's schema, <c>public</c>) that refuses every INSERT, UPDATE or DELETE from a
/// session whose application_name is not the current, unexpired owner of a lease. A coordinator that was frozen past
/// its lease and wakes up still believing it leads has its writes refused there, whatever its own timers think.
/// </summary>
/// <remarks>
/// The check compares owner and expiry. Owner alone fences a node once a successor has taken the row; expiry also
/// fences it in the gap before anyone has, because past expires_at the node's lease is over by contract (its
/// singleton is being told so) and the database should not depend on how quickly a successor shows up. The check
/// locks the lease row FOR SHARE until the write commits, so a successor's acquisition waits for any write that
/// passed the check: each write lands wholly before the hand-over or not at all. A session stopped inside such a
/// transaction would hold that lock; the trigger sets idle_in_transaction_session_timeout for the transaction so the
/// server ends the session and the hand-over goes on. The fencing token is not needed here, since the owner name
/// and row lock already order writers within this database; it is for systems outside it, which cannot see the
/// row but can remember the largest token they were given.
/// </remarks>
public static class JournalFence
{
    /// <summary>SQLSTATE of a refused write (class CK, ours; any five letters or digits are allowed).</summary>
    public const string RefusedSqlState = "CKF01";

    /// <summary>How long a fenced write's transaction may sit idle before PostgreSQL ends the session (see remarks).</summary>
    public static readonly TimeSpan DefaultIdleInTransactionTimeout = TimeSpan.FromSeconds(5);

    /// <summary>PostgreSQL keeps at most 63 bytes of application_name (NAMEDATALEN - 1).</summary>
    private const int MaxApplicationNameBytes = 63;

    private const string HashedPrefix = "lease-";

    // The owner-to-application_name mapping, once in SQL and once in ApplicationNameFor: an owner that fits, printable
    // ASCII of at most 63 bytes, is itself; any other would be truncated or escaped by the server, so both sides use a
    // hash prefix instead (two long owners sharing their first 63 bytes, say host names differing only in the port
    // at the end, must not map to the same name).
    private const string OwnerAsApplicationName =
        "CASE WHEN octet_length(owner) <= 63 AND owner ~ ''^[ -~]*$'' THEN owner "
        + "ELSE ''lease-'' || left(encode(sha256(convert_to(owner, ''UTF8'')), ''hex''), 57) END";

    private const string FunctionSql = $$"""
        CREATE OR REPLACE FUNCTION cuckoo_fence_writes() RETURNS trigger LANGUAGE plpgsql AS $fn$
        DECLARE
          held boolean;
        BEGIN
          -- TG_ARGV: lease table (schema-qualified, quoted), lease name, idle-in-transaction limit in ms.
          EXECUTE format('SELECT true FROM %s WHERE name = $1 AND expires_at > clock_timestamp() AND '
                         || '{{OwnerAsApplicationName}} = $2 FOR SHARE', TG_ARGV[0])
            INTO held USING TG_ARGV[1], current_setting('application_name');
          IF held IS NULL THEN
            RAISE EXCEPTION 'write refused: session "%" does not hold lease "%"', current_setting('application_name'), TG_ARGV[1]
              USING ERRCODE = '{{RefusedSqlState}}';
          END IF;
          PERFORM set_config('idle_in_transaction_session_timeout', TG_ARGV[2], true);
          RETURN NULL;
        END
        $fn$
        """;

    // Identifiers and literals cannot be bind parameters in DDL: they travel as parameters into transaction-local
    // settings and the server quotes them with format(%I, %L).
    private const string TriggerSql = """
        DO $do$
        DECLARE
          journal regclass := to_regclass(current_setting('cuckoo.fence_table'));
          leases regclass := to_regclass(current_setting('cuckoo.fence_lease_table'));
          leases_name text;
        BEGIN
          IF journal IS NULL THEN
            RAISE EXCEPTION 'table % does not exist: start the journal (auto-initialize) before installing the fence',
              current_setting('cuckoo.fence_table') USING ERRCODE = 'undefined_table';
          END IF;
          SELECT format('%I.%I', n.nspname, c.relname) INTO leases_name
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = leases;
          EXECUTE format('DROP TRIGGER IF EXISTS cuckoo_fence ON %s', journal);
          EXECUTE format('CREATE TRIGGER cuckoo_fence BEFORE INSERT OR UPDATE OR DELETE ON %s '
                         || 'FOR EACH STATEMENT EXECUTE FUNCTION cuckoo_fence_writes(%L, %L, %L)',
                         journal, leases_name, current_setting('cuckoo.fence_lease'), current_setting('cuckoo.fence_idle_ms'));
        END
        $do$
        """;

    /// <summary>
    /// Installs the fence on <paramref name="journalTable"/> for <paramref name="leaseName"/> in the default lease
    /// table, replacing an earlier one; safe to run on every start and from several nodes at once. The table must
    /// exist: start the journal (auto-initialize creates it) first.
    /// </summary>
    public static Task InstallAsync(string connectionString, string leaseName, string journalTable = "journal", CancellationToken ct = default) =>
        InstallAsync(connectionString, leaseName, journalTable, PostgresLeaseStore.DefaultTable, DefaultIdleInTransactionTimeout, ct);

    /// <summary>As above, with the lease table of a lease section whose <c>table</c> is not the default.</summary>
    public static async Task InstallAsync(
        string connectionString,
        string leaseName,
        string journalTable,
        string leaseTable,
        TimeSpan idleInTransactionTimeout,
        CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(leaseName);
        ArgumentOutOfRangeException.ThrowIfLessThan(idleInTransactionTimeout, TimeSpan.FromMilliseconds(1));
        var quotedLeases = PostgresLeaseStore.QuoteTable(leaseTable);
        var quotedJournal = PostgresLeaseStore.QuoteTable(journalTable);

        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await PostgresLeaseStore.CreateTableAsync(dataSource, quotedLeases, ct);
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        // Serializes installers: concurrent CREATE OR REPLACE FUNCTION and DROP/CREATE TRIGGER would otherwise collide.
        await ExecuteAsync(connection, "SELECT pg_advisory_xact_lock(hashtext('cuckoo_fence'))", ct);
        await ExecuteAsync(connection, FunctionSql, ct);
        await using (var settings = new NpgsqlCommand(
            "SELECT set_config('cuckoo.fence_table', @journal, true), set_config('cuckoo.fence_lease_table', @leases, true), "
            + "set_config('cuckoo.fence_lease', @lease, true), set_config('cuckoo.fence_idle_ms', @idle, true)", connection))
        {
            settings.Parameters.AddWithValue("journal", quotedJournal);
            settings.Parameters.AddWithValue("leases", quotedLeases);
            settings.Parameters.AddWithValue("lease", leaseName);
            settings.Parameters.AddWithValue("idle", ((long)Math.Ceiling(idleInTransactionTimeout.TotalMilliseconds)).ToString(CultureInfo.InvariantCulture));
            await settings.ExecuteNonQueryAsync(ct);
        }

        await ExecuteAsync(connection, TriggerSql, ct);
        await transaction.CommitAsync(ct);
    }

    /// <summary>
    /// The journal's connection string for the node whose lease owner name is <paramref name="ownerName"/> (see
    /// <see cref="OwnerName"/>): every journal session then names itself as that owner.
    /// </summary>
    public static string ForOwner(string connectionString, string ownerName) =>
        new NpgsqlConnectionStringBuilder(connectionString) { ApplicationName = ApplicationNameFor(ownerName) }.ConnectionString;

    /// <summary>
    /// The owner name Akka.Cluster.Tools' singleton manager and the split-brain resolver's lease-majority give the
    /// lease: the node's <c>Cluster.SelfAddress.HostPort()</c>, which in Akka.NET is "{system}@{host}:{port}" with the
    /// public hostname. Known before the actor system starts only if the port is fixed (not 0), which the journal's
    /// connection string needs.
    /// </summary>
    public static string OwnerName(string actorSystemName, string publicHostname, int port) =>
        $"{actorSystemName}@{publicHostname}:{port.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>The application_name the fence expects of <paramref name="ownerName"/> (the SQL mapping's twin).</summary>
    internal static string ApplicationNameFor(string ownerName)
    {
        ArgumentException.ThrowIfNullOrEmpty(ownerName);
        if (Encoding.UTF8.GetByteCount(ownerName) <= MaxApplicationNameBytes && ownerName.All(c => c is >= ' ' and <= '~'))
        {
            return ownerName;
        }

        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(ownerName)));
        return HashedPrefix + hash[..(MaxApplicationNameBytes - HashedPrefix.Length)];
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(ct);
    }
}
