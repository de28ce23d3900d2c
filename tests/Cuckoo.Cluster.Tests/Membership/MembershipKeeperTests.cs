using Akka.Actor;
using Akka.Cluster.Tools.PublishSubscribe;
using Akka.Event;
using Cuckoo.Chain;
using Cuckoo.Cluster.Membership;
using Cuckoo.Cluster.Tests.Transport;
using Cuckoo.Cluster.Transport;
using Xunit;
using static Cuckoo.Cluster.Tests.Membership.KeeperNodes;
using Address = Cuckoo.Chain.Address;

namespace Cuckoo.Cluster.Tests.Membership;

/// <summary>The keepers of a coordinator node and a miner node in one real cluster (<see cref="KeeperCluster"/>).</summary>
public sealed class MembershipKeeperTests(KeeperCluster cluster) : IClassFixture<KeeperCluster>
{
    private TlsNode Coordinator => cluster.Coordinator;

    private TlsNode Follower => cluster.Follower;

    [Fact]
    public async Task Keeper_applies_an_admission_at_the_coordinator_and_the_follower_through_pub_sub()
    {
        var topic = Subscribed(Follower);
        var miner = EthKey.Generate().Address;
        var thumbprint = NewThumbprint();

        var applied = await Admit(miner, thumbprint, "127.0.0.1:1");

        // Applied before the answer: enrolment tells the miner to dial only once this node lets it in.
        Assert.Equal(thumbprint, applied.Thumbprint);
        Assert.True(Coordinator.Peers.IsAllowed(thumbprint));
        Assert.Equal(miner.ToString(), Coordinator.Peers.LabelOf(thumbprint));
        Assert.Contains(cluster.CoordinatorChanges.Last(), a => a.Thumbprint == thumbprint);

        // What the follower's node received on the topic, read back by the wire serializer: signed by the coordinator key.
        var received = topic.FishForMessage<MinerAdmitted>(m => m.Thumbprint == thumbprint, Wait);
        Assert.True(new AdmissionLedger(cluster.Key.Address).Merge(received));
        Assert.Equal(("127.0.0.1:1", miner), (received.NodeAddress, received.MinerAddress));
        Assert.True(received.AdmittedAtMs > 0);

        topic.AwaitCondition(() => Follower.Peers.IsAllowed(thumbprint), Wait, Poll);
        Assert.Equal(miner.ToString(), Follower.Peers.LabelOf(thumbprint));
        var followerView = await cluster.FollowerKeeper.Ask<Admissions>(GetAdmissions.Instance, Wait);
        Assert.Equal(received, followerView.Allowed.Single(a => a.Thumbprint == thumbprint), AdmissionComparer.Instance);
    }

    [Fact]
    public async Task Keeper_revocation_removes_the_miner_from_both_allow_lists()
    {
        var miner = EthKey.Generate().Address;
        var thumbprint = NewThumbprint();
        await Admit(miner, thumbprint, "127.0.0.1:2");
        Follower.Probe().AwaitCondition(() => Follower.Peers.IsAllowed(thumbprint), Wait, Poll);

        cluster.CoordinatorKeeper.Tell(new RevokeMiner(miner, "operator said so"));

        var coordinatorView = await cluster.CoordinatorKeeper.Ask<Admissions>(GetAdmissions.Instance, Wait);
        Assert.Equal("operator said so", coordinatorView.Revoked.Single(r => r.Thumbprint == thumbprint).Reason);
        Assert.DoesNotContain(coordinatorView.Allowed, a => a.Thumbprint == thumbprint);
        Assert.False(Coordinator.Peers.IsAllowed(thumbprint));

        Follower.Probe().AwaitCondition(() => !Follower.Peers.IsAllowed(thumbprint), Wait, Poll);
        var followerView = await cluster.FollowerKeeper.Ask<Admissions>(GetAdmissions.Instance, Wait);
        Assert.Contains(followerView.Revoked, r => r.Thumbprint == thumbprint && r.Reason == "operator said so");
        // Only that miner went: the follower node is still let in.
        Assert.True(Coordinator.Peers.IsAllowed(Follower.Thumbprint));
    }

    [Fact]
    public async Task Follower_ignores_an_admission_signed_by_another_key()
    {
        var topic = Subscribed(Follower);
        var forged = Signed.Admission(EthKey.Generate(), EthKey.Generate().Address, NewThumbprint(), DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), "127.0.0.1:3");
        var genuine = NewThumbprint();

        // Published as any member could; then a genuine one along the same path, which arrives after it.
        cluster.CoordinatorMediator.Tell(new Publish(MembershipPaths.Topic, forged));
        await Admit(EthKey.Generate().Address, genuine, "127.0.0.1:4");

        // Other tests' admissions may still be arriving: pick these two out, in the order they came.
        var first = topic.FishForMessage<MinerAdmitted>(m => m.Thumbprint == forged.Thumbprint || m.Thumbprint == genuine, Wait);
        Assert.Equal(forged.Thumbprint, first.Thumbprint);
        topic.FishForMessage<MinerAdmitted>(m => m.Thumbprint == genuine, Wait);
        topic.AwaitCondition(() => Follower.Peers.IsAllowed(genuine), Wait, Poll);
        Assert.False(Follower.Peers.IsAllowed(forged.Thumbprint));
        Assert.False(Coordinator.Peers.IsAllowed(forged.Thumbprint));
        var followerView = await cluster.FollowerKeeper.Ask<Admissions>(GetAdmissions.Instance, Wait);
        Assert.DoesNotContain(followerView.Allowed, a => a.Thumbprint == forged.Thumbprint);
    }

    [Fact]
    public async Task Follower_ignores_a_revocation_signed_by_another_key()
    {
        var miner = EthKey.Generate().Address;
        var thumbprint = NewThumbprint();
        await Admit(miner, thumbprint, "127.0.0.1:5");
        Follower.Probe().AwaitCondition(() => Follower.Peers.IsAllowed(thumbprint), Wait, Poll);
        var forged = Signed.Revocation(EthKey.Generate(), miner, thumbprint, DateTimeOffset.UtcNow.AddMinutes(1).ToUnixTimeMilliseconds());
        var marker = NewThumbprint();

        cluster.CoordinatorMediator.Tell(new Publish(MembershipPaths.Topic, forged));
        await Admit(EthKey.Generate().Address, marker, "127.0.0.1:6");

        Follower.Probe().AwaitCondition(() => Follower.Peers.IsAllowed(marker), Wait, Poll);
        Assert.True(Follower.Peers.IsAllowed(thumbprint));
        Assert.True(Coordinator.Peers.IsAllowed(thumbprint));
        var followerView = await cluster.FollowerKeeper.Ask<Admissions>(GetAdmissions.Instance, Wait);
        Assert.DoesNotContain(followerView.Revoked, r => r.Thumbprint == thumbprint);
    }

    [Fact]
    public async Task Coordinator_revokes_a_miner_that_the_chain_no_longer_finds_eligible()
    {
        var miner = EthKey.Generate().Address;
        var thumbprint = NewThumbprint();
        await Admit(miner, thumbprint, "127.0.0.1:7");
        Follower.Probe().AwaitCondition(() => Follower.Peers.IsAllowed(thumbprint), Wait, Poll);
        cluster.Eligibility.NotEligible(miner, "self-stake 10 CAI is below the minimum");

        cluster.CoordinatorKeeper.Tell(new RecheckMiner(miner));

        var probe = Coordinator.Probe();
        probe.AwaitCondition(() => !Coordinator.Peers.IsAllowed(thumbprint), Wait, Poll);
        Assert.Equal(1, cluster.Eligibility.CallsFor(miner));
        var coordinatorView = await cluster.CoordinatorKeeper.Ask<Admissions>(GetAdmissions.Instance, Wait);
        Assert.Equal("self-stake 10 CAI is below the minimum", coordinatorView.Revoked.Single(r => r.Thumbprint == thumbprint).Reason);
        Follower.Probe().AwaitCondition(() => !Follower.Peers.IsAllowed(thumbprint), Wait, Poll);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Coordinator_keeps_a_miner_that_is_eligible_or_whose_standing_cannot_be_read(bool chainAnswers)
    {
        var miner = EthKey.Generate().Address;
        var thumbprint = NewThumbprint();
        await Admit(miner, thumbprint, "127.0.0.1:8");
        if (!chainAnswers)
        {
            cluster.Eligibility.Unreachable(miner);
        }

        // A second check starts only once the first one's answer was handled; a revocation that answer caused would
        // have been queued at the keeper before that, so the Ask below would see it.
        var probe = Coordinator.Probe();
        probe.AwaitCondition(() =>
        {
            cluster.CoordinatorKeeper.Tell(new RecheckMiner(miner));
            return cluster.Eligibility.CallsFor(miner) >= 2;
        }, Wait, TimeSpan.FromMilliseconds(100));
        var coordinatorView = await cluster.CoordinatorKeeper.Ask<Admissions>(GetAdmissions.Instance, Wait);

        Assert.Contains(coordinatorView.Allowed, a => a.Thumbprint == thumbprint);
        Assert.DoesNotContain(coordinatorView.Revoked, r => r.Thumbprint == thumbprint);
        Assert.True(Coordinator.Peers.IsAllowed(thumbprint));
    }

    [Fact]
    public async Task Coordinator_does_not_ask_the_chain_about_a_miner_it_never_admitted()
    {
        var stranger = EthKey.Generate().Address;
        var admitted = EthKey.Generate().Address;
        await Admit(admitted, NewThumbprint(), "127.0.0.1:9");

        cluster.CoordinatorKeeper.Tell(new RecheckMiner(stranger));
        cluster.CoordinatorKeeper.Tell(new RecheckMiner(admitted));

        // Handled in order: once the admitted miner was asked about, the stranger's recheck is past.
        Coordinator.Probe().AwaitCondition(() => cluster.Eligibility.CallsFor(admitted) == 1, Wait, Poll);
        Assert.Equal(0, cluster.Eligibility.CallsFor(stranger));
    }

    [Fact]
    public async Task Follower_learns_the_admissions_made_before_it_joined_from_a_snapshot()
    {
        // Its own admission was made (and published) before it was a member: only the snapshot brings it.
        Follower.Probe().AwaitCondition(() => Follower.Peers.IsAllowed(Follower.Thumbprint), Wait, Poll);
        var followerView = await cluster.FollowerKeeper.Ask<Admissions>(GetAdmissions.Instance, Wait);
        Assert.Equal(cluster.FollowerAdmission, followerView.Allowed.Single(a => a.Thumbprint == Follower.Thumbprint), AdmissionComparer.Instance);
    }

    [Fact]
    public async Task Keeper_of_a_miner_that_joins_a_running_cluster_learns_the_earlier_admissions_from_a_snapshot()
    {
        // Pinned as the enrolment answer pins them: the coordinators and the miners admitted by then. Akka shuts a node
        // down when a certificate it dials is refused, so a miner cannot wait for the snapshot to know its peers.
        var late = TlsNode.Start("cuckoo", peers: new PeerAllowList([Coordinator.Thumbprint, Follower.Thumbprint]), extra: ClusterHocon("miner"));
        await using var _ = late;
        var lateKeeper = StartKeeper(late, cluster.Key.Address);
        await Admit(EthKey.Generate().Address, late.Thumbprint, HostPort(late));
        // Admitted after the enrolment answer and before the join: only the snapshot brings this one.
        var earlier = NewThumbprint();
        await Admit(EthKey.Generate().Address, earlier, "127.0.0.1:11");

        ClusterOf(late).Join(Coordinator.Address);

        var probe = late.Probe();
        probe.AwaitCondition(() => late.Peers.IsAllowed(earlier), Wait, Poll);
        var view = await lateKeeper.Ask<Admissions>(GetAdmissions.Instance, Wait);
        Assert.Contains(view.Allowed, a => a.Thumbprint == late.Thumbprint);
        Assert.Contains(view.Allowed, a => a.Thumbprint == Follower.Thumbprint);
        probe.AwaitCondition(() => SeesUp(late, Coordinator, Follower, late) && SeesUp(Follower, Coordinator, Follower, late), Wait, Poll);
        ClusterOf(late).Leave(late.Address);
        probe.AwaitCondition(() => !ClusterOf(Coordinator).State.Members.Any(m => m.Address == late.Address), Wait, Poll);
    }

    [Fact]
    public async Task Coordinator_answers_a_snapshot_request_sent_over_the_wire()
    {
        var probe = Follower.Probe();
        var miner = EthKey.Generate().Address;
        var thumbprint = NewThumbprint();
        await Admit(miner, thumbprint, "127.0.0.1:10");
        cluster.CoordinatorKeeper.Tell(new RevokeMiner(miner, "gone"));
        await cluster.CoordinatorKeeper.Ask<Admissions>(GetAdmissions.Instance, Wait);

        DistributedPubSub.Get(Follower.System).Mediator.Tell(
            new SendToAll(MembershipPaths.KeeperPath, new AllowListRequested(Follower.Address.ToString()), excludeSelf: true), probe.Ref);

        var snapshot = probe.ExpectMsg<AllowListSnapshot>(Wait);
        Assert.Contains(snapshot.Admitted, a => a.Thumbprint == Follower.Thumbprint);
        Assert.Contains(snapshot.Revoked, r => r.Thumbprint == thumbprint && r.Reason == "gone");
        var fresh = new AdmissionLedger(cluster.Key.Address);
        Assert.Equal(snapshot.Admitted.Length + snapshot.Revoked.Length, fresh.Merge(snapshot));
        Assert.False(fresh.IsAllowed(thumbprint));
    }

    [Fact]
    public async Task Keeper_downs_a_miner_member_without_an_admission()
    {
        var warnings = Coordinator.Probe();
        Coordinator.System.EventStream.Subscribe(warnings.Ref, typeof(Warning));
        await using var intruder = TlsNode.Start("cuckoo", cluster.Intruder, new PeerAllowList([Coordinator.Thumbprint, Follower.Thumbprint]),
            extra: ClusterHocon("miner"));
        // Not a keeper's node, but the mediator runs there as on every node, so that pub-sub gossip to it is understood.
        DistributedPubSub.Get(intruder.System);
        var removed = new TaskCompletionSource();
        ClusterOf(intruder).RegisterOnMemberRemoved(() => removed.TrySetResult());

        ClusterOf(intruder).Join(Coordinator.Address);

        var warning = warnings.FishForMessage<Warning>(w => w.Message.ToString()!.Contains("no admission", StringComparison.Ordinal), Wait);
        Assert.Contains(HostPort(intruder), warning.Message.ToString(), StringComparison.Ordinal);
        await removed.Task.WaitAsync(Wait);
        intruder.Probe().AwaitCondition(() => SeesGone(Coordinator, intruder), Wait, Poll);
        // The admitted miner joined earlier under the same grace and is still a member.
        Assert.True(SeesUp(Coordinator, Follower));
    }

    private async Task<MinerAdmissionApplied> Admit(Address miner, string thumbprint, string node) =>
        await cluster.CoordinatorKeeper.Ask<MinerAdmissionApplied>(new AdmitMiner(Signed.Unsigned(miner, thumbprint, node)), Wait);

    /// <summary>Records hold arrays (Models), which compare by reference: compare admissions by their signed fields.</summary>
    private sealed class AdmissionComparer : IEqualityComparer<MinerAdmitted>
    {
        public static AdmissionComparer Instance { get; } = new();

        public bool Equals(MinerAdmitted? x, MinerAdmitted? y) =>
            x is not null && y is not null && AdmissionLedger.AdmissionText(x) == AdmissionLedger.AdmissionText(y) && x.Signature == y.Signature;

        public int GetHashCode(MinerAdmitted obj) => obj.Thumbprint.GetHashCode(StringComparison.Ordinal);
    }
}
