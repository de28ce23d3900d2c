using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Akka.Actor;
using Akka.Configuration;
using Akka.Coordination;
using Cuckoo.Cluster.Lease;
using Xunit;
using static Cuckoo.Cluster.Tests.Lease.LeaseTestConfig;

namespace Cuckoo.Cluster.Tests.Lease;

/// <summary>What only the PostgreSQL lease has: a table, a database that can vanish, the configuration Akka loads.</summary>
[Collection(LeasePostgresCollection.Name)]
public sealed class PostgresLeaseTests(LeasePostgres server) : IDisposable
{
    /// <summary>lease-operation-timeout of the test config plus scheduling slack on a shared machine.</summary>
    private static readonly TimeSpan FailFast = TimeSpan.FromSeconds(1) + TimeSpan.FromSeconds(3);

    private readonly List<ActorSystem> _systems = [];

    public void Dispose()
    {
        foreach (var system in _systems)
        {
            system.Terminate().Wait(TimeSpan.FromSeconds(10));
        }
    }

    [Fact]
    public async Task Akka_loads_the_lease_from_its_config_section_and_the_row_expires_on_the_database_clock()
    {
        var system = NewSystem(Postgres(server.ConnectionString));
        var name = NewName();

        var lease = LeaseProvider.Get(system).GetLease(name, PostgresLeaseConfig.Path, "node-a:1");

        var postgres = Assert.IsType<PostgresLease>(lease);
        Assert.True(await postgres.Acquire());
        var columns = await server.ScalarAsync<string>(
            "SELECT string_agg(column_name || ' ' || data_type || ' ' || is_nullable, ', ' ORDER BY ordinal_position) "
            + "FROM information_schema.columns WHERE table_name = 'cuckoo_leases'");
        Assert.Equal("name text NO, owner text YES, token bigint NO, expires_at timestamp with time zone NO", columns);
        var remaining = await server.ScalarAsync<TimeSpan>("SELECT expires_at - now() FROM cuckoo_leases WHERE name = @n", ("n", name));
        Assert.InRange(remaining, Ttl - TimeSpan.FromSeconds(1), Ttl);
        Assert.Equal(postgres.FencingToken, await server.ScalarAsync<long>("SELECT token FROM cuckoo_leases WHERE name = @n", ("n", name)));
    }

    [Fact]
    public async Task A_renewal_that_finds_the_row_taken_makes_CheckLease_false_and_fires_the_callback_once()
    {
        var name = NewName();
        var lease = NewLease(name, "node-a:1");
        var lost = 0;
        Assert.True(await lease.Acquire(_ => Interlocked.Increment(ref lost)));

        // An operator (or a bug) hands the row to someone else while we still hold it.
        Assert.Equal(1, await server.ExecuteAsync(
            "UPDATE cuckoo_leases SET owner = 'intruder:1', token = token + 1, expires_at = now() + interval '1 hour' WHERE name = @n",
            ("n", name)));

        Assert.True(await EventuallyAsync(() => Volatile.Read(ref lost) > 0));
        Assert.False(lease.CheckLease());
        Assert.Null(lease.FencingToken);
        Assert.False(await lease.Acquire());
        Assert.Equal(1, lost);
    }

    [Fact]
    public async Task Acquire_fails_at_once_when_nothing_listens_on_the_database_port()
    {
        var lease = NewLease(NewName(), "node-a:1", $"Host=127.0.0.1;Port={FreePort()};Username=postgres;Database=postgres");

        var (acquired, failure, elapsed) = await TimedAcquireAsync(lease);

        Assert.True(failure is LeaseException || acquired == false, $"unexpected outcome: {failure}");
        Assert.True(elapsed < FailFast, $"took {elapsed}");
        Assert.False(lease.CheckLease());
    }

    [Fact]
    public async Task Acquire_times_out_when_the_database_accepts_but_never_answers()
    {
        // A listener that completes TCP handshakes (the backlog does) but never speaks PostgreSQL.
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var port = ((IPEndPoint)silent.LocalEndpoint).Port;
        var lease = NewLease(NewName(), "node-a:1", $"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres;Pooling=false");

        var (_, failure, elapsed) = await TimedAcquireAsync(lease);

        Assert.IsType<LeaseTimeoutException>(failure);
        Assert.True(elapsed < FailFast, $"took {elapsed}");
        Assert.False(lease.CheckLease());
    }

    [Fact]
    public void A_section_without_a_connection_string_or_with_a_bad_table_name_is_refused_at_creation()
    {
        var system = NewSystem(Postgres(server.ConnectionString));
        var empty = ConfigurationFactory.ParseString("connection-string = \"\"").WithFallback(Section(system.Settings.Config));
        var badTable = ConfigurationFactory.ParseString("table = \"leases; DROP TABLE journal\"").WithFallback(Section(system.Settings.Config));

        Assert.Throws<ConfigurationException>(() => new PostgresLease(LeaseSettings.Create(empty, "l", "o"), (ExtendedActorSystem)system));
        Assert.Throws<ArgumentException>(() => new PostgresLease(LeaseSettings.Create(badTable, "l", "o"), (ExtendedActorSystem)system));
    }

    [Fact]
    public void The_shipped_section_parses_with_the_documented_timings()
    {
        var config = ConfigurationFactory.ParseString(PostgresLeaseConfig.Hocon).GetConfig(PostgresLeaseConfig.Path);
        var timeouts = TimeoutSettings.Create(config);

        Assert.Equal("Cuckoo.Cluster.Lease.PostgresLease, Cuckoo.Cluster", config.GetString("lease-class"));
        Assert.Equal(typeof(PostgresLease), Type.GetType(config.GetString("lease-class"), throwOnError: true));
        Assert.Equal(TimeSpan.FromSeconds(12), timeouts.HeartbeatTimeout);
        Assert.Equal(TimeSpan.FromSeconds(2), timeouts.HeartbeatInterval);
        Assert.Equal(TimeSpan.FromSeconds(5), timeouts.OperationTimeout);
        Assert.Equal(TimeSpan.FromSeconds(2), config.GetTimeSpan("safety-margin"));
        Assert.Equal("cuckoo_leases", config.GetString("table"));
    }

    private static async Task<(bool? Acquired, Exception? Failure, TimeSpan Elapsed)> TimedAcquireAsync(Akka.Coordination.Lease lease)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            var acquired = await lease.Acquire();
            return (acquired, null, Stopwatch.GetElapsedTime(started));
        }
        catch (Exception e)
        {
            return (null, e, Stopwatch.GetElapsedTime(started));
        }
    }

    private PostgresLease NewLease(string name, string owner, string? connectionString = null)
    {
        var system = NewSystem(Postgres(connectionString ?? server.ConnectionString));
        return new PostgresLease(LeaseSettings.Create(Section(system.Settings.Config), name, owner), (ExtendedActorSystem)system);
    }

    private ActorSystem NewSystem(Config config)
    {
        var system = ActorSystem.Create("postgres-lease-tests", config);
        _systems.Add(system);
        return system;
    }

    private static int FreePort() => Cuckoo.Staking.Devnet.HardhatNode.FreePort();
}
