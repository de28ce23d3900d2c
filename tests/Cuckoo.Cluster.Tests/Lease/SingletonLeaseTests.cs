using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Tools.Singleton;
using Akka.Configuration;
using Akka.Coordination;
using Akka.Event;
using Akka.TestKit;
using Cuckoo.Cluster.Lease;
using Xunit;
using Xunit.Abstractions;
using static Cuckoo.Cluster.Tests.Lease.LeaseTestConfig;

namespace Cuckoo.Cluster.Tests.Lease;

/// <summary>
/// Akka's own ClusterSingletonManager with use-lease pointing at the PostgreSQL lease, in a one-node cluster on real
/// sockets (127.0.0.1, port 0). Also pins down the names Akka passes: lease "{system}-singleton-{manager path}",
/// owner the node's Address.HostPort(), which in Akka.NET is "{system}@{host}:{port}" (not the JVM's bare host:port);
/// that is the owner name the journal fence must be given.
/// </summary>
[Collection(LeasePostgresCollection.Name)]
public sealed class SingletonLeaseTests : Akka.TestKit.Xunit2.TestKit
{
    private const string ManagerName = "scheduler";
    private readonly LeasePostgres _server;

    public SingletonLeaseTests(LeasePostgres server, ITestOutputHelper output)
        : base(NodeConfig(server.ConnectionString), "lease-singleton-" + Guid.NewGuid().ToString("N")[..8], output)
    {
        _server = server;
        var cluster = Akka.Cluster.Cluster.Get(Sys);
        cluster.Join(cluster.SelfAddress);
        AwaitCondition(() => cluster.State.Members.Any(m => m.Status == MemberStatus.Up), Patience);
    }

    private string LeaseName => $"{Sys.Name}-singleton-akka://{Sys.Name}/user/{ManagerName}";

    private string SelfHostPort => Akka.Cluster.Cluster.Get(Sys).SelfAddress.HostPort();

    [Fact]
    public async Task The_singleton_starts_once_its_node_holds_the_lease_under_system_at_host_and_port()
    {
        var probe = CreateTestProbe();

        StartSingleton(probe);

        probe.ExpectMsg("started", Patience);
        var (owner, live) = await LeaseRowAsync();
        Assert.Equal(SelfHostPort, owner);
        Assert.Equal(JournalFence.OwnerName(Sys.Name, "127.0.0.1", Akka.Cluster.Cluster.Get(Sys).SelfAddress.Port!.Value), owner);
        Assert.True(live);
    }

    [Fact]
    public async Task The_singleton_waits_while_another_owner_holds_the_lease_and_starts_when_it_is_released()
    {
        var intruder = (PostgresLease)LeaseProvider.Get(Sys).GetLease(LeaseName, PostgresLeaseConfig.Path, "intruder:1");
        Assert.True(await intruder.Acquire());
        var log = CreateTestProbe();
        Sys.EventStream.Subscribe(log.Ref, typeof(Info));
        var probe = CreateTestProbe();

        StartSingleton(probe);

        // The manager has asked for the lease and been refused: only now is "not started" a fact, not a race.
        log.FishForMessage<Info>(i => i.Message.ToString() == "Acquire lease result False", Patience);
        Assert.False(probe.HasMessages);

        Assert.True(await intruder.Release());
        probe.ExpectMsg("started", Patience);
        Assert.Equal(SelfHostPort, (await LeaseRowAsync()).Owner);
    }

    [Fact]
    public async Task The_singleton_stops_when_its_lease_is_lost_and_starts_again_once_the_lease_is_free()
    {
        var probe = CreateTestProbe();
        StartSingleton(probe);
        probe.ExpectMsg("started", Patience);

        // Another owner takes the row: the next renewal fails, the lease calls back, Akka stops the singleton.
        Assert.Equal(1, await _server.ExecuteAsync(
            "UPDATE cuckoo_leases SET owner = 'intruder:1', token = token + 1, expires_at = now() + interval '1 hour' WHERE name = @n",
            ("n", LeaseName)));
        probe.ExpectMsg("stopped", Patience);

        Assert.Equal(1, await _server.ExecuteAsync(
            "UPDATE cuckoo_leases SET owner = NULL, expires_at = '-infinity' WHERE name = @n", ("n", LeaseName)));
        probe.ExpectMsg("started", Patience);
        Assert.Equal(SelfHostPort, (await LeaseRowAsync()).Owner);
    }

    private void StartSingleton(TestProbe probe) =>
        Sys.ActorOf(
            ClusterSingletonManager.Props(Props.Create(() => new Reporter(probe.Ref)), PoisonPill.Instance, ClusterSingletonManagerSettings.Create(Sys)),
            ManagerName);

    private async Task<(string? Owner, bool Live)> LeaseRowAsync()
    {
        var owner = await _server.ScalarAsync<object>("SELECT owner FROM cuckoo_leases WHERE name = @n", ("n", LeaseName));
        var live = await _server.ScalarAsync<bool>("SELECT expires_at > now() FROM cuckoo_leases WHERE name = @n", ("n", LeaseName));
        return (owner as string, live);
    }

    private static Config NodeConfig(string connectionString) =>
        ConfigurationFactory.ParseString($$"""
            akka.loglevel = INFO
            akka.actor.provider = cluster
            akka.remote.dot-netty.tcp.hostname = "127.0.0.1"
            akka.remote.dot-netty.tcp.port = 0
            akka.cluster.singleton.use-lease = "{{PostgresLeaseConfig.Path}}"
            # Short, so the test does not wait Akka's default 5 s between tries.
            akka.cluster.singleton.lease-retry-interval = 200ms
            """)
            .WithFallback(Postgres(connectionString));

    /// <summary>The singleton: tells the probe when it starts and stops.</summary>
    private sealed class Reporter : ReceiveActor
    {
        private readonly IActorRef _probe;

        public Reporter(IActorRef probe)
        {
            _probe = probe;
            ReceiveAny(_ => { });
        }

        protected override void PreStart() => _probe.Tell("started");

        protected override void PostStop() => _probe.Tell("stopped");
    }
}
