using System.Collections.Concurrent;
using System.Security.Cryptography;
using Akka.Actor;
using Akka.Cluster;
using Akka.TestKit;
using Cuckoo.Chain;
using Cuckoo.Cluster.Enrolment;
using Cuckoo.Cluster.Membership;
using Cuckoo.Cluster.Tests.Transport;
using AkkaCluster = Akka.Cluster.Cluster;
using Address = Cuckoo.Chain.Address;

namespace Cuckoo.Cluster.Tests.Membership;

/// <summary>Cluster nodes for the keeper tests: <see cref="TlsNode"/> (pinned TLS, wire serializers) with the cluster on.</summary>
public static class KeeperNodes
{
    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    // AwaitCondition otherwise polls every tenth of its timeout.
    public static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(50);

    /// <summary>The cluster settings of hocon/coordinator.conf and miner.conf that matter here, with faster gossip for brief tests.</summary>
    public static string ClusterHocon(string role) => $$"""
        akka.actor.provider = cluster
        akka.cluster {
          roles = [{{role}}]
          downing-provider-class = "Cuckoo.Cluster.Downing.CoordinatorDowningProvider, Cuckoo.Cluster"
          # A downed test node keeps its actor system, so that the test can look at what it saw.
          run-coordinated-shutdown-when-down = off
          gossip-interval = 300ms
        }
        akka.cluster.pub-sub.gossip-interval = 300ms
        """;

    public static IActorRef StartKeeper(TlsNode node, Address coordinator, EthKey? authority = null, IMinerEligibility? eligibility = null,
        TimeSpan? joinGrace = null, Action<IReadOnlyList<MinerAdmitted>>? changed = null) =>
        node.System.ActorOf(MembershipKeeper.Props(new MembershipKeeperSettings
        {
            Coordinator = coordinator,
            AllowList = node.Peers,
            OwnThumbprint = node.Thumbprint,
            Authority = authority,
            Eligibility = eligibility,
            JoinGrace = joinGrace ?? TimeSpan.FromSeconds(1),
            Changed = changed,
        }), MembershipPaths.KeeperName);

    public static string HostPort(TlsNode node) => MembershipKeeper.HostPort(node.Address);

    public static AkkaCluster ClusterOf(TlsNode node) => AkkaCluster.Get(node.System);

    public static bool SeesUp(TlsNode observer, params TlsNode[] nodes)
    {
        var members = ClusterOf(observer).State.Members;
        return nodes.All(n => members.Any(m => m.Address == n.Address && m.Status == MemberStatus.Up));
    }

    /// <summary>True once the observer no longer counts the node as a live member (downed, or downed and removed).</summary>
    public static bool SeesGone(TlsNode observer, TlsNode node) =>
        ClusterOf(observer).State.Members.All(m => m.Address != node.Address || m.Status is MemberStatus.Down or MemberStatus.Removed);

    public static TestProbe Subscribed(TlsNode node, string topic = MembershipPaths.Topic)
    {
        var probe = node.Probe();
        Akka.Cluster.Tools.PublishSubscribe.DistributedPubSub.Get(node.System).Mediator.Tell(
            new Akka.Cluster.Tools.PublishSubscribe.Subscribe(topic, probe.Ref), probe.Ref);
        probe.ExpectMsg<Akka.Cluster.Tools.PublishSubscribe.SubscribeAck>(Wait);
        return probe;
    }

    /// <summary>A thumbprint no test has used: each test admits its own miners into the shared cluster.</summary>
    public static string NewThumbprint() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
}

/// <summary>The chain's answer per miner, set by the test: eligible unless told otherwise. Counts the questions.</summary>
public sealed class ScriptedEligibility : IMinerEligibility
{
    private readonly ConcurrentDictionary<Address, Func<MinerStanding>> _answers = new();
    private readonly ConcurrentDictionary<Address, int> _calls = new();

    public void NotEligible(Address miner, string detail) =>
        _answers[miner] = () => MinerStanding.Refused(miner, RefusalReason.UnderStaked, detail);

    public void Unreachable(Address miner) => _answers[miner] = () => throw new HttpRequestException("the chain's RPC endpoint did not answer");

    public int CallsFor(Address miner) => _calls.GetValueOrDefault(miner);

    public Task<MinerStanding> CheckAsync(Address miner, CancellationToken cancellationToken)
    {
        _calls.AddOrUpdate(miner, 1, (_, n) => n + 1);
        try
        {
            return Task.FromResult(_answers.TryGetValue(miner, out var answer)
                ? answer()
                : new MinerStanding(miner, true, null, "eligible", 1, 1));
        }
        catch (Exception e)
        {
            return Task.FromException<MinerStanding>(e);
        }
    }
}
