using System.Collections.Concurrent;
using System.Security.Cryptography.X509Certificates;
using Akka.Actor;
using Akka.Cluster.Tools.PublishSubscribe;
using Cuckoo.Chain;
using Cuckoo.Cluster.Membership;
using Cuckoo.Cluster.Tests.Transport;
using Cuckoo.Cluster.Transport;
using Xunit;
using static Cuckoo.Cluster.Tests.Membership.KeeperNodes;
using Address = Cuckoo.Chain.Address;

namespace Cuckoo.Cluster.Tests.Membership;

/// <summary>
/// A coordinator node (the keeper with the coordinator key) and a miner node (a follower keeper) in one cluster over
/// pinned TLS, as production starts them: the miner pins the coordinator's certificate, the coordinator lets the miner
/// in only through its admission. Shared by the tests of one class; each test admits miners of its own.
/// </summary>
public sealed class KeeperCluster : IAsyncLifetime
{
    public EthKey Key { get; } = EthKey.Generate();

    public Address FollowerMiner { get; } = EthKey.Generate().Address;

    public ScriptedEligibility Eligibility { get; } = new();

    /// <summary>What the coordinator's keeper last reported through <see cref="MembershipKeeperSettings.Changed"/>.</summary>
    public ConcurrentQueue<IReadOnlyList<MinerAdmitted>> CoordinatorChanges { get; } = new();

    /// <summary>
    /// The certificate of a node that was never admitted but is pinned on both nodes (as a misconfigured peer list would),
    /// so that its TLS handshakes pass and only the keeper can keep it out.
    /// </summary>
    public X509Certificate2 Intruder { get; } = NodeCertificate.CreateSelfSigned("intruder");

    public TlsNode Coordinator { get; private set; } = null!;

    public TlsNode Follower { get; private set; } = null!;

    public IActorRef CoordinatorKeeper { get; private set; } = null!;

    public IActorRef FollowerKeeper { get; private set; } = null!;

    public MinerAdmitted FollowerAdmission { get; private set; } = null!;

    public IActorRef CoordinatorMediator => DistributedPubSub.Get(Coordinator.System).Mediator;

    public async Task InitializeAsync()
    {
        var intruder = NodeCertificate.ThumbprintOf(Intruder);
        Coordinator = TlsNode.Start("cuckoo", peers: new PeerAllowList([intruder]), extra: ClusterHocon("coordinator"));
        Follower = TlsNode.Start("cuckoo", peers: new PeerAllowList([Coordinator.Thumbprint, intruder]), extra: ClusterHocon("miner"));
        CoordinatorKeeper = StartKeeper(Coordinator, Key.Address, Key, Eligibility, changed: CoordinatorChanges.Enqueue);
        FollowerKeeper = StartKeeper(Follower, Key.Address);

        // Enrolment admits the miner before it dials, so its first handshake already passes.
        await CoordinatorKeeper.Ask<MinerAdmissionApplied>(
            new AdmitMiner(Signed.Unsigned(FollowerMiner, Follower.Thumbprint, HostPort(Follower))), Wait);
        FollowerAdmission = (await CoordinatorKeeper.Ask<Admissions>(GetAdmissions.Instance, Wait)).Allowed.Single();

        ClusterOf(Coordinator).Join(Coordinator.Address);
        ClusterOf(Follower).Join(Coordinator.Address);
        var probe = Follower.Probe();
        probe.AwaitCondition(() => SeesUp(Coordinator, Coordinator, Follower) && SeesUp(Follower, Coordinator, Follower), Wait, Poll);

        // The follower keeper's topic subscription reaches the coordinator's mediator by gossip: publish a forged entry
        // (both keepers refuse it) until a subscriber beside the follower keeper has one, and the topic carries from then on.
        await FollowerKeeper.Ask<Admissions>(GetAdmissions.Instance, Wait);
        var beside = Subscribed(Follower);
        var forged = Signed.Admission(EthKey.Generate(), FollowerMiner, NewThumbprint(), 1, "127.0.0.1:1");
        probe.AwaitCondition(() =>
        {
            CoordinatorMediator.Tell(new Publish(MembershipPaths.Topic, forged));
            return beside.HasMessages;
        }, Wait, TimeSpan.FromMilliseconds(200));
        Follower.System.Stop(beside.Ref);
    }

    public async Task DisposeAsync()
    {
        await Follower.DisposeAsync();
        await Coordinator.DisposeAsync();
    }
}
