using Akka.Actor;
using Akka.Coordination;
using Akka.Event;
using Akka.Remote;
using Akka.Remote.Transport;
using Akka.TestKit;
using Cuckoo.Cluster.Lease;
using Cuckoo.Cluster.Tests.Transport;
using Cuckoo.Cluster.Transport;
using Xunit;
using AkkaCluster = Akka.Cluster.Cluster;
using MemberStatus = Akka.Cluster.MemberStatus;

namespace Cuckoo.Cluster.Tests.Downing;

/// <summary>
/// <see cref="Cuckoo.Cluster.Downing.CoordinatorDowning"/> in real clusters over pinned TLS. A partition is made with
/// Akka's throttling transport adapter (every frame to and from a peer dropped, the connection kept), so both sides stay
/// alive and each can be seen to act.
/// </summary>
public sealed class CoordinatorDowningTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(100);

    [Fact]
    public async Task Coordinator_downs_an_unreachable_miner_and_the_miner_downs_itself()
    {
        await using var nodes = await DowningCluster.StartAsync("coordinator", "miner");
        var (coordinator, miner) = (nodes[0], nodes[1]);
        var coordinatorLog = Warnings(coordinator);
        var minerLog = Warnings(miner);

        await nodes.PartitionAsync([coordinator], [miner]);

        Expect(coordinatorLog, "Downing 1 unreachable member(s)");
        Expect(minerLog, "No coordinator is reachable");
        await nodes.RemovedAsync(miner);
        nodes.AwaitCondition(() => nodes.Gone(coordinator, miner));
        Assert.Equal(MemberStatus.Up, AkkaCluster.Get(coordinator.System).SelfMember.Status);
    }

    [Fact]
    public async Task Without_a_lease_the_side_with_the_oldest_coordinator_keeps_the_cluster_on_a_tie()
    {
        await using var nodes = await DowningCluster.StartAsync("coordinator", "coordinator", "miner");
        var (oldest, younger, miner) = (nodes[0], nodes[1], nodes[2]);
        var oldestLog = Warnings(oldest);
        var youngerLog = Warnings(younger);
        var minerLog = Warnings(miner);

        await nodes.PartitionAsync([oldest, miner], [younger]);

        Expect(oldestLog, "Downing 1 unreachable member(s)");
        Expect(youngerLog, "This side of the partition gives way");
        await nodes.RemovedAsync(younger);
        nodes.AwaitCondition(() => nodes.Gone(oldest, younger) && nodes.Gone(miner, younger));
        Assert.True(nodes.Up(oldest, oldest, miner) && nodes.Up(miner, oldest, miner));
        // The miner reached a coordinator all along: it decided nothing.
        Assert.DoesNotContain(minerLog.ReceiveWhile(TimeSpan.Zero, m => m as Warning), w => w!.Message.ToString()!.Contains("downs itself", StringComparison.Ordinal));
    }

    [Fact]
    public async Task With_a_lease_the_younger_coordinator_downs_the_oldest_when_the_oldest_dies()
    {
        var lease = "cuckoo-downing-" + Guid.NewGuid().ToString("N");
        await using var nodes = await DowningCluster.StartWithLeaseAsync(lease, "coordinator", "coordinator", "miner");
        var (oldest, younger, miner) = (nodes[0], nodes[1], nodes[2]);
        var youngerLog = Warnings(younger);

        // Killed, not partitioned: its system stops without leaving, as a process that crashed.
        await oldest.System.Terminate();

        Expect(youngerLog, "Downing 1 unreachable member(s)");
        nodes.AwaitCondition(() => nodes.Gone(younger, oldest) && nodes.Gone(miner, oldest));
        Assert.True(nodes.Up(younger, younger, miner) && nodes.Up(miner, younger, miner));
        Assert.True(nodes.HoldsLease(younger, lease));
    }

    [Fact]
    public async Task With_a_lease_the_side_that_gets_it_keeps_the_cluster_and_the_other_downs_itself()
    {
        var lease = "cuckoo-downing-" + Guid.NewGuid().ToString("N");
        await using var nodes = await DowningCluster.StartWithLeaseAsync(lease, "coordinator", "coordinator", "miner");
        var (oldest, younger, miner) = (nodes[0], nodes[1], nodes[2]);
        var oldestLog = Warnings(oldest);
        var youngerLog = Warnings(younger);

        await nodes.PartitionAsync([oldest, miner], [younger]);

        // A tie: the side without the oldest coordinator asks later, so the oldest's side normally gets the lease.
        Expect(oldestLog, "Downing 1 unreachable member(s)");
        Expect(youngerLog, "The downing lease went to the other side");
        await nodes.RemovedAsync(younger);
        nodes.AwaitCondition(() => nodes.Gone(oldest, younger) && nodes.Gone(miner, younger));
        Assert.True(nodes.Up(oldest, oldest, miner));
        Assert.True(nodes.HoldsLease(oldest, lease));
    }

    private static TestProbe Warnings(TlsNode node)
    {
        var probe = node.Probe();
        node.System.EventStream.Subscribe(probe.Ref, typeof(Warning));
        return probe;
    }

    private static void Expect(TestProbe log, string text) =>
        log.FishForMessage<Warning>(w => w.Message.ToString()!.Contains(text, StringComparison.Ordinal), Wait, $"a warning with '{text}'");

    /// <summary>Nodes of one cluster, joined in order (the first is the oldest), with our downing provider on every one.</summary>
    private sealed class DowningCluster : IAsyncDisposable
    {
        private readonly List<TlsNode> _nodes;
        private readonly Dictionary<TlsNode, TaskCompletionSource> _removed = [];

        private DowningCluster(List<TlsNode> nodes)
        {
            _nodes = nodes;
            foreach (var node in nodes)
            {
                var removed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                AkkaCluster.Get(node.System).RegisterOnMemberRemoved(() => removed.TrySetResult());
                _removed[node] = removed;
            }
        }

        public TlsNode this[int index] => _nodes[index];

        public static Task<DowningCluster> StartAsync(params string[] roles) => StartWithLeaseAsync(null, roles);

        public static async Task<DowningCluster> StartWithLeaseAsync(string? lease, params string[] roles)
        {
            var certificates = roles.Select((_, i) => NodeCertificate.CreateSelfSigned("node-" + i)).ToArray();
            var thumbprints = certificates.Select(NodeCertificate.ThumbprintOf).ToArray();
            var cluster = new DowningCluster([.. roles.Select((role, i) => TlsNode.Start("cuckoo", certificates[i], new PeerAllowList(thumbprints), extra: Hocon(role, lease)))]);
            try
            {
                // One at a time, so that the order of the roles is the order of age.
                foreach (var node in cluster._nodes)
                {
                    AkkaCluster.Get(node.System).Join(cluster[0].Address);
                    cluster.AwaitCondition(() => cluster.Up(cluster[0], node));
                }
                cluster.AwaitCondition(() => cluster._nodes.All(n => cluster.Up(n, [.. cluster._nodes])));
                return cluster;
            }
            catch
            {
                await cluster.DisposeAsync();
                throw;
            }
        }

        /// <summary>Drops every frame between the two sides, in both directions, at both ends.</summary>
        public async Task PartitionAsync(TlsNode[] one, TlsNode[] other)
        {
            foreach (var (a, b) in one.SelectMany(a => other.Select(b => (a, b))))
            {
                Assert.True(await TransportOf(a).ManagementCommand(new SetThrottle(b.Address, ThrottleTransportAdapter.Direction.Both, Blackhole.Instance)));
                Assert.True(await TransportOf(b).ManagementCommand(new SetThrottle(a.Address, ThrottleTransportAdapter.Direction.Both, Blackhole.Instance)));
            }
        }

        /// <summary>Completes when the node's own cluster has removed it (downed, it shut its cluster down).</summary>
        public Task RemovedAsync(TlsNode node) => _removed[node].Task.WaitAsync(Wait);

        public bool Up(TlsNode observer, params TlsNode[] nodes)
        {
            var members = AkkaCluster.Get(observer.System).State.Members;
            return nodes.All(n => members.Any(m => m.Address == n.Address && m.Status == MemberStatus.Up));
        }

        public bool Gone(TlsNode observer, TlsNode node) =>
            AkkaCluster.Get(observer.System).State.Members.All(m => m.Address != node.Address || m.Status is MemberStatus.Down or MemberStatus.Removed);

        public bool HoldsLease(TlsNode node, string name) =>
            LeaseProvider.Get(node.System).GetLease(name, InMemoryLease.Path, AkkaCluster.Get(node.System).SelfAddress.HostPort()).CheckLease();

        public void AwaitCondition(Func<bool> condition) =>
            _nodes.First(n => !n.System.WhenTerminated.IsCompleted).Probe().AwaitCondition(condition, Wait, Poll);

        public async ValueTask DisposeAsync()
        {
            foreach (var node in _nodes)
            {
                await node.DisposeAsync();
            }
        }

        private static RemoteTransport TransportOf(TlsNode node) => ((IRemoteActorRefProvider)((ExtendedActorSystem)node.System).Provider).Transport;

        private static string Hocon(string role, string? lease) => $$"""
            akka.actor.provider = cluster
            # The throttler under TLS, so that a test can cut a link without closing it.
            akka.remote.dot-netty.tcp.applied-adapters = [trttl]
            akka.cluster {
              roles = [{{role}}]
              downing-provider-class = "Cuckoo.Cluster.Downing.CoordinatorDowningProvider, Cuckoo.Cluster"
              # A downed test node keeps its actor system, so that the test can look at what it saw.
              run-coordinated-shutdown-when-down = off
              gossip-interval = 300ms
              # Unreachable about 2 s after the last heartbeat; shared.conf waits 3 s at one beat a second.
              failure-detector {
                heartbeat-interval = 300ms
                acceptable-heartbeat-pause = 1500ms
                expected-response-after = 1s
              }
            }
            cuckoo.cluster.downing {
              stable-after = 1s
              # Longer than the two sides' decisions can drift apart on a loaded machine, so that the majority asks first.
              acquire-lease-delay-for-minority = 3s
              lease-implementation = "{{(lease is null ? "" : InMemoryLease.Path)}}"
              lease-name = "{{lease ?? "cuckoo-downing"}}"
            }
            {{InMemoryLease.Hocon}}
            """;
    }
}
