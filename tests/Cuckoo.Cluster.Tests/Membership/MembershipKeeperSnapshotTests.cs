using System.Diagnostics;
using Akka.Actor;
using Akka.Cluster.Tools.PublishSubscribe;
using Cuckoo.Chain;
using Cuckoo.Cluster.Membership;
using Cuckoo.Cluster.Tests.Transport;
using Cuckoo.Cluster.Transport;
using Xunit;
using static Cuckoo.Cluster.Tests.Membership.KeeperNodes;

namespace Cuckoo.Cluster.Tests.Membership;

/// <summary>How a keeper catches up with what was admitted before it came, and notices its own revocation.</summary>
public sealed class MembershipKeeperSnapshotTests
{
    private readonly EthKey _key = EthKey.Generate();

    [Fact]
    public async Task Keeper_asks_for_a_snapshot_until_a_coordinator_answers()
    {
        var minerCertificate = NodeCertificate.CreateSelfSigned("miner");
        await using var coordinator = TlsNode.Start("cuckoo", peers: new PeerAllowList([NodeCertificate.ThumbprintOf(minerCertificate)]),
            extra: ClusterHocon("coordinator"));
        await using var miner = TlsNode.Start("cuckoo", minerCertificate, new PeerAllowList([coordinator.Thumbprint]), extra: ClusterHocon("miner"));
        var sinceStart = Stopwatch.StartNew();
        var keeper = StartKeeper(miner, _key.Address);
        ClusterOf(coordinator).Join(coordinator.Address);
        ClusterOf(miner).Join(coordinator.Address);
        var probe = miner.Probe();
        probe.AwaitCondition(() => SeesUp(miner, coordinator, miner), Wait, Poll);

        // The coordinator's keeper registers only after the miner's first requests (at member-up, and 3 s after its start)
        // went nowhere, as when its pub-sub registry reaches the miner late: the miner must go on asking.
        var late = TimeSpan.FromSeconds(3.5) - sinceStart.Elapsed;
        if (late > TimeSpan.Zero)
        {
            await Task.Delay(late);
        }
        var requests = coordinator.Probe();
        var standIn = coordinator.System.ActorOf(EchoActor.Props(requests.Ref), MembershipPaths.KeeperName);
        DistributedPubSub.Get(coordinator.System).Mediator.Tell(new Put(standIn));

        var request = requests.ExpectMsg<AllowListRequested>(Wait);
        Assert.Equal(miner.Address.ToString(), request.Requester);
        var earlier = Signed.Admission(_key, EthKey.Generate().Address, NewThumbprint(), 100, "127.0.0.1:12");
        requests.LastSender.Tell(new AllowListSnapshot([earlier], []));

        probe.AwaitCondition(() => miner.Peers.IsAllowed(earlier.Thumbprint), Wait, Poll);
        Assert.Equal(earlier.Thumbprint, (await keeper.Ask<Admissions>(GetAdmissions.Instance, Wait)).Allowed.Single().Thumbprint);
        // Answered: no more requests (the retry comes every 3 s while there is none).
        requests.ExpectNoMsg(TimeSpan.FromSeconds(4));
    }

    [Fact]
    public async Task Coordinator_keeper_keeps_its_ledger_when_a_member_sends_it_malformed_entries()
    {
        var minerCertificate = NodeCertificate.CreateSelfSigned("miner");
        await using var coordinator = TlsNode.Start("cuckoo", extra: ClusterHocon("coordinator"));
        await using var miner = TlsNode.Start("cuckoo", minerCertificate, new PeerAllowList([coordinator.Thumbprint]), extra: ClusterHocon("miner"));
        // Reads every admission's miner address, as the coordinator's admin view does.
        var keeper = StartKeeper(coordinator, _key.Address, _key, changed: allowed => _ = allowed.Select(a => a.MinerAddress).ToList());
        await keeper.Ask<MinerAdmissionApplied>(new AdmitMiner(Signed.Unsigned(EthKey.Generate().Address, miner.Thumbprint, HostPort(miner))), Wait);
        ClusterOf(coordinator).Join(coordinator.Address);
        ClusterOf(miner).Join(coordinator.Address);
        var probe = miner.Probe();
        probe.AwaitCondition(() => SeesUp(coordinator, coordinator, miner), Wait, Poll);
        var unseen = Signed.Admission(_key, EthKey.Generate().Address, NewThumbprint(), 100, "127.0.0.1:13");

        // From the miner, as any member can: a snapshot with null entries. It used to throw in the keeper, which restarted
        // with an empty ledger and, finding the miners without admissions, downed them all after the join grace.
        var coordinatorKeeper = miner.System.ActorSelection(new RootActorPath(coordinator.Address) / "user" / MembershipPaths.KeeperName);
        coordinatorKeeper.Tell(new AllowListSnapshot([null!], [null!]), probe.Ref);
        coordinatorKeeper.Tell(new AllowListRequested(miner.Address.ToString()), probe.Ref);
        // A genuine admission recased to a bad checksum: our serializer cannot write it (it reads MinerAddress), a hostile
        // peer's can, so it is handed over here; it threw in the admin view's callback the same way.
        keeper.Tell(unseen with { Miner = Signed.BadChecksum(unseen.MinerAddress) });

        // Answered after the snapshot, from one sender over one connection.
        var snapshot = probe.ExpectMsg<AllowListSnapshot>(Wait);
        Assert.Contains(snapshot.Admitted, a => a.Thumbprint == miner.Thumbprint);
        var view = await keeper.Ask<Admissions>(GetAdmissions.Instance, Wait);
        Assert.Contains(view.Allowed, a => a.Thumbprint == miner.Thumbprint);
        Assert.DoesNotContain(view.Allowed, a => a.Thumbprint == unseen.Thumbprint);
        Assert.True(coordinator.Peers.IsAllowed(miner.Thumbprint));
    }

    [Fact]
    public async Task Keeper_tells_its_node_when_its_own_certificate_is_revoked()
    {
        await using var node = TlsNode.Start("cuckoo", extra: ClusterHocon("miner"));
        var keeper = StartKeeper(node, _key.Address);
        var events = SelfRevocations(node);
        var self = EthKey.Generate().Address;
        keeper.Tell(Signed.Admission(_key, self, node.Thumbprint, 100, HostPort(node)));

        keeper.Tell(Signed.Revocation(_key, self, node.Thumbprint, 200, "deregistered"));

        Assert.Equal("deregistered", events.ExpectMsg<SelfRevoked>(Wait).Reason);
        Assert.False(node.Peers.IsAllowed(node.Thumbprint));
    }

    [Fact]
    public async Task Keeper_tells_its_node_of_its_own_revocation_found_in_a_snapshot()
    {
        await using var node = TlsNode.Start("cuckoo", extra: ClusterHocon("miner"));
        var keeper = StartKeeper(node, _key.Address);
        var events = SelfRevocations(node);
        var self = EthKey.Generate().Address;

        keeper.Tell(new AllowListSnapshot(
            [Signed.Admission(_key, self, node.Thumbprint, 100, HostPort(node))],
            [Signed.Revocation(_key, self, node.Thumbprint, 200, "jailed")]));

        Assert.Equal("jailed", events.ExpectMsg<SelfRevoked>(Wait).Reason);
    }

    [Fact]
    public async Task Keeper_ignores_a_forged_revocation_of_its_own_certificate()
    {
        await using var node = TlsNode.Start("cuckoo", extra: ClusterHocon("miner"));
        var keeper = StartKeeper(node, _key.Address);
        var events = SelfRevocations(node);
        var self = EthKey.Generate().Address;
        keeper.Tell(Signed.Admission(_key, self, node.Thumbprint, 100, HostPort(node)));

        keeper.Tell(Signed.Revocation(EthKey.Generate(), self, node.Thumbprint, 200, "forged"));
        keeper.Tell(new AllowListSnapshot([], [Signed.Revocation(EthKey.Generate(), self, node.Thumbprint, 300, "forged")]));
        var view = await keeper.Ask<Admissions>(GetAdmissions.Instance, Wait);

        // The keeper publishes on the event stream while it handles the message, so anything it published is queued by now.
        Assert.False(events.HasMessages);
        Assert.Empty(view.Revoked);
        Assert.True(node.Peers.IsAllowed(node.Thumbprint));
    }

    private static Akka.TestKit.TestProbe SelfRevocations(TlsNode node)
    {
        var probe = node.Probe();
        node.System.EventStream.Subscribe(probe.Ref, typeof(SelfRevoked));
        return probe;
    }
}
