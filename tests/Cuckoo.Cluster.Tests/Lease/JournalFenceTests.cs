using Akka.Actor;
using Akka.Configuration;
using Akka.Coordination;
using Cuckoo.Cluster.Lease;
using Npgsql;
using Xunit;
using static Cuckoo.Cluster.Tests.Lease.LeaseTestConfig;

namespace Cuckoo.Cluster.Tests.Lease;

/// <summary>
/// The fence at the SQL level, on a table of its own per test (the trigger does not care what the table holds), so
/// that each case can open sessions under chosen application names and hold transactions open.
/// </summary>
[Collection(LeasePostgresCollection.Name)]
public sealed class JournalFenceTests(LeasePostgres server) : IDisposable
{
    private readonly ActorSystem _system = ActorSystem.Create("journal-fence-tests", Postgres(server.ConnectionString));

    public void Dispose() => _system.Terminate().Wait(TimeSpan.FromSeconds(10));

    [Fact]
    public async Task Only_the_current_unexpired_owner_may_insert_update_or_delete()
    {
        var (table, lease) = await FencedTableAsync();
        var a = NewLease(lease, "node-a:2551");
        Assert.True(await a.Acquire());

        Assert.Equal(1, await ExecuteAsOwnerAsync("node-a:2551", $"INSERT INTO {table} VALUES (1)"));
        Assert.Equal(1, await ExecuteAsOwnerAsync("node-a:2551", $"UPDATE {table} SET x = 2"));
        await AssertRefusedAsync(() => ExecuteAsOwnerAsync("node-b:2551", $"INSERT INTO {table} VALUES (3)"));
        await AssertRefusedAsync(() => ExecuteAsOwnerAsync("node-b:2551", $"DELETE FROM {table}"));
        await AssertRefusedAsync(() => server.ExecuteAsync($"INSERT INTO {table} VALUES (4)"));

        Assert.True(await a.Release());
        await AssertRefusedAsync(() => ExecuteAsOwnerAsync("node-a:2551", $"INSERT INTO {table} VALUES (5)"));
        Assert.Equal(2, await server.ScalarAsync<int>($"SELECT x FROM {table}"));
    }

    [Fact]
    public async Task An_expired_holder_is_refused_even_before_anyone_else_takes_the_lease()
    {
        var (table, lease) = await FencedTableAsync();
        var a = NewLease(lease, "node-a:2551");
        Assert.True(await a.Acquire());
        a.Freeze();

        Assert.True(await EventuallyAsync(() => server.ScalarAsync<bool>("SELECT expires_at < now() FROM cuckoo_leases WHERE name = @n", ("n", lease))));

        Assert.Equal("node-a:2551", await server.ScalarAsync<string>("SELECT owner FROM cuckoo_leases WHERE name = @n", ("n", lease)));
        await AssertRefusedAsync(() => ExecuteAsOwnerAsync("node-a:2551", $"INSERT INTO {table} VALUES (1)"));
    }

    [Fact]
    public async Task Owner_names_too_long_for_application_name_map_to_distinct_hashes_on_both_sides()
    {
        var host = new string('h', 70) + ".coordinators.example";
        string first = host + ":2551", second = host + ":2552";
        var (table, lease) = await FencedTableAsync();
        Assert.True(await NewLease(lease, first).Acquire());

        Assert.Equal(63, JournalFence.ApplicationNameFor(first).Length);
        Assert.NotEqual(JournalFence.ApplicationNameFor(first), JournalFence.ApplicationNameFor(second));
        Assert.Equal("node-a:2551", JournalFence.ApplicationNameFor("node-a:2551"));
        Assert.Equal(1, await ExecuteAsOwnerAsync(first, $"INSERT INTO {table} VALUES (1)"));
        await AssertRefusedAsync(() => ExecuteAsOwnerAsync(second, $"INSERT INTO {table} VALUES (2)"));
    }

    [Fact]
    public async Task A_write_that_passed_the_fence_commits_before_a_successor_can_take_the_lease()
    {
        var (table, lease) = await FencedTableAsync();
        var a = NewLease(lease, "node-a:2551");
        var b = NewLease(lease, "node-b:2551", operationTimeout: "20s");
        Assert.True(await a.Acquire());
        await using var session = await OpenAsOwnerAsync("node-a:2551");
        await using var transaction = await session.BeginTransactionAsync();
        Assert.Equal(1, await ExecuteAsync(session, $"INSERT INTO {table} VALUES (1)"));

        a.Freeze();
        Assert.True(await EventuallyAsync(() => server.ScalarAsync<bool>("SELECT expires_at < now() FROM cuckoo_leases WHERE name = @n", ("n", lease))));
        var takeOver = b.Acquire();
        // The successor waits on the row lock the fenced write holds, not on anything in this process.
        Assert.True(await EventuallyAsync(() => server.ScalarAsync<bool>(
            "SELECT count(*) > 0 FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND application_name = 'cuckoo-lease'")));
        Assert.False(takeOver.IsCompleted);

        await transaction.CommitAsync();

        Assert.True(await takeOver);
        Assert.Equal(1L, await server.ScalarAsync<long>($"SELECT count(*) FROM {table}"));
    }

    [Fact]
    public async Task A_session_frozen_inside_a_fenced_write_is_ended_by_the_server_and_its_write_never_lands()
    {
        var (table, lease) = await FencedTableAsync(idleInTransaction: TimeSpan.FromSeconds(3));
        var a = NewLease(lease, "node-a:2551");
        var b = NewLease(lease, "node-b:2551");
        Assert.True(await a.Acquire());
        var session = await OpenAsOwnerAsync("node-a:2551");
        var transaction = await session.BeginTransactionAsync();
        Assert.Equal(1, await ExecuteAsync(session, $"INSERT INTO {table} VALUES (1)"));

        // Lease and session stop together, as in a SIGSTOP between the INSERT and the COMMIT.
        a.Freeze();

        // Past the lease's expiry B's attempts wait on the frozen transaction's lock and time out, until the server
        // ends that session after 3 s idle in transaction.
        Assert.True(await EventuallyAsync(async () =>
        {
            try
            {
                return await b.Acquire();
            }
            catch (LeaseException)
            {
                return false;
            }
        }));
        await Assert.ThrowsAnyAsync<Exception>(() => transaction.CommitAsync());
        await session.DisposeAsync();
        Assert.Equal(0L, await server.ScalarAsync<long>($"SELECT count(*) FROM {table}"));
    }

    [Fact]
    public async Task Installing_again_replaces_the_trigger_and_a_missing_table_is_reported()
    {
        var (table, lease) = await FencedTableAsync();

        await JournalFence.InstallAsync(server.ConnectionString, lease, table);

        Assert.Equal(1L, await server.ScalarAsync<long>(
            "SELECT count(*) FROM pg_trigger WHERE tgrelid = to_regclass(@t) AND tgname = 'cuckoo_fence'", ("t", table)));
        var missing = await Assert.ThrowsAsync<PostgresException>(() => JournalFence.InstallAsync(server.ConnectionString, lease, "no_such_journal"));
        Assert.Equal(PostgresErrorCodes.UndefinedTable, missing.SqlState);
    }

    [Fact]
    public void ForOwner_sets_the_application_name_and_keeps_the_rest()
    {
        var builder = new NpgsqlConnectionStringBuilder(JournalFence.ForOwner(server.ConnectionString, "10.0.0.7:4053"));

        Assert.Equal("10.0.0.7:4053", builder.ApplicationName);
        Assert.Equal(new NpgsqlConnectionStringBuilder(server.ConnectionString).Port, builder.Port);
    }

    private async Task<(string Table, string Lease)> FencedTableAsync(TimeSpan? idleInTransaction = null)
    {
        var table = NewName("fenced").Replace('-', '_');
        var lease = NewName("scheduler");
        await server.ExecuteAsync($"CREATE TABLE {table} (x int)");
        await JournalFence.InstallAsync(server.ConnectionString, lease, table, "cuckoo_leases",
            idleInTransaction ?? JournalFence.DefaultIdleInTransactionTimeout);
        return (table, lease);
    }

    private PostgresLease NewLease(string name, string owner, string operationTimeout = "1s")
    {
        var section = ConfigurationFactory.ParseString($"lease-operation-timeout = {operationTimeout}").WithFallback(Section(_system.Settings.Config));
        return new PostgresLease(LeaseSettings.Create(section, name, owner), (ExtendedActorSystem)_system);
    }

    private async Task<NpgsqlConnection> OpenAsOwnerAsync(string owner)
    {
        // No pooling: a connection the server ended must not go back to a pool another test draws from.
        var connection = new NpgsqlConnection(JournalFence.ForOwner(server.ConnectionString, owner) + ";Pooling=false");
        await connection.OpenAsync();
        return connection;
    }

    private async Task<int> ExecuteAsOwnerAsync(string owner, string sql)
    {
        await using var connection = await OpenAsOwnerAsync(owner);
        return await ExecuteAsync(connection, sql);
    }

    private static async Task<int> ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteNonQueryAsync();
    }

    private static async Task AssertRefusedAsync(Func<Task> write)
    {
        var refused = await Assert.ThrowsAsync<PostgresException>(write);
        Assert.Equal(JournalFence.RefusedSqlState, refused.SqlState);
    }
}
