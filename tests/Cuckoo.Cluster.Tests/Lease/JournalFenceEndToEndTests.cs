using Akka.Actor;
using Akka.Configuration;
using Akka.Coordination;
using Cuckoo.Cluster.Lease;
using Cuckoo.Persistence;
using Npgsql;
using Xunit;
using Xunit.Abstractions;
using static Cuckoo.Cluster.Tests.Lease.LeaseTestConfig;

namespace Cuckoo.Cluster.Tests.Lease;

/// <summary>
/// The SIGSTOP story end to end: two coordinators' actor systems on one PostgreSQL, each writing through a real
/// Akka.Persistence.Sql journal whose sessions carry the node's owner name. The TestKit's system is node A.
/// </summary>
[Collection(LeasePostgresCollection.Name)]
public sealed class JournalFenceEndToEndTests : Akka.TestKit.Xunit2.TestKit
{
    private const string OwnerA = "node-a:2551";
    private const string OwnerB = "node-b:2551";
    private readonly LeasePostgres _server;
    private readonly string _table;
    private readonly string _lease = NewName("scheduler");

    public JournalFenceEndToEndTests(LeasePostgres server, ITestOutputHelper output)
        : this(server, output, NewName("journal").Replace('-', '_'))
    {
    }

    private JournalFenceEndToEndTests(LeasePostgres server, ITestOutputHelper output, string table)
        : base(NodeConfig(server.ConnectionString, OwnerA, table), "fence-a", output)
    {
        _server = server;
        _table = table;
    }

    [Fact]
    public async Task A_frozen_leader_that_wakes_up_cannot_write_and_its_successor_can()
    {
        var pid = NewName("scheduler-state");
        var leaseA = (PostgresLease)LeaseProvider.Get(Sys).GetLease(_lease, PostgresLeaseConfig.Path, OwnerA);
        Assert.True(await leaseA.Acquire());
        var probeA = CreateTestProbe();
        var writerA = Sys.ActorOf(FencedWriter.Props(pid, probeA.Ref));
        // Recovery has run, so auto-initialize has created the journal table the fence goes on.
        probeA.ExpectMsg<WriterRecovered>(r => Assert.Empty(r.Items));
        await JournalFence.InstallAsync(_server.ConnectionString, _lease, _table);
        writerA.Tell("a1", probeA.Ref);
        probeA.ExpectMsg(new ItemPersisted("a1"));
        var tokenA = leaseA.FencingToken;

        leaseA.Freeze();
        var nodeB = ActorSystem.Create("fence-b", NodeConfig(_server.ConnectionString, OwnerB, _table));
        try
        {
            var leaseB = (PostgresLease)LeaseProvider.Get(nodeB).GetLease(_lease, PostgresLeaseConfig.Path, OwnerB);
            Assert.True(await EventuallyAsync(() => leaseB.Acquire()));
            Assert.True(leaseB.FencingToken > tokenA);

            // A wakes up still running its scheduler and writes before its own lease timer has told it anything.
            Watch(writerA);
            writerA.Tell("a2", probeA.Ref);
            var failed = probeA.ExpectMsg<PersistFailed>();
            Assert.Equal("a2", failed.Item);
            Assert.Equal(JournalFence.RefusedSqlState, FindPostgresError(failed.Cause)?.SqlState);
            ExpectTerminated(writerA);

            var probeB = CreateTestProbe(nodeB);
            var writerB = nodeB.ActorOf(FencedWriter.Props(pid, probeB.Ref));
            probeB.ExpectMsg<WriterRecovered>(r => Assert.Equal(["a1"], r.Items));
            writerB.Tell("b1", probeB.Ref);
            probeB.ExpectMsg(new ItemPersisted("b1"));
        }
        finally
        {
            await nodeB.Terminate();
        }

        var stored = await _server.ScalarAsync<string>(
            $"SELECT string_agg(sequence_number || '=' || convert_from(message, 'UTF8'), ' | ' ORDER BY sequence_number) FROM {_table} WHERE persistence_id = @p",
            ("p", pid));
        Assert.Contains("1=", stored);
        Assert.Contains("a1", stored);
        Assert.Contains("2=", stored);
        Assert.Contains("b1", stored);
        Assert.DoesNotContain("a2", stored);
    }

    private static PostgresException? FindPostgresError(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
        {
            if (e is PostgresException pg)
            {
                return pg;
            }

            if (e is AggregateException aggregate && aggregate.InnerExceptions.Select(FindPostgresError).FirstOrDefault(x => x is not null) is { } inner)
            {
                return inner;
            }
        }

        return null;
    }

    private static Config NodeConfig(string connectionString, string owner, string table)
    {
        var journal = PersistenceSettings.PostgreSql(JournalFence.ForOwner(connectionString, owner)) with
        {
            JournalTable = table,
            SnapshotTable = table + "_snapshot",
        };
        return ConfigurationFactory.ParseString("""
                akka.loglevel = WARNING
                akka.test.single-expect-default = 15s
                akka.persistence.journal.sql.warn-on-auto-init-fail = false
                """)
            .WithFallback(Postgres(connectionString))
            .WithFallback(journal.ToConfig());
    }
}
