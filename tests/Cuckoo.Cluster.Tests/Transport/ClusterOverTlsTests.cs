using Akka.Actor;
using Akka.Cluster.Tools.PublishSubscribe;
using Akka.Cluster.Tools.Singleton;
using Akka.Event;
using Cuckoo.Cluster.Serialization;
using Xunit;
using AkkaCluster = Akka.Cluster.Cluster;

namespace Cuckoo.Cluster.Tests.Transport;

/// <summary>
/// Akka's own cluster traffic still flows with pinned TLS and the refusing serializers in place: membership gossip and
/// heartbeats, distributed pub-sub and a cluster singleton, each carrying one of our wire messages.
/// </summary>
public sealed class ClusterOverTlsTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    private const string ClusterHocon = """
        akka.actor.provider = cluster
        akka.cluster {
          run-coordinated-shutdown-when-down = off
          # Two test nodes on a loaded CI machine: gossip a little faster than the default so the test is brief.
          gossip-interval = 300ms
        }
        akka.cluster.pub-sub.gossip-interval = 300ms
        """;

    [Fact]
    public async Task Two_admitted_nodes_form_a_cluster_and_carry_pub_sub_and_singleton_messages()
    {
        await using var coordinator = TlsNode.Start("cuckoo", extra: ClusterHocon);
        await using var miner = TlsNode.Start("cuckoo", extra: ClusterHocon);
        TlsNode.Admit(coordinator, miner);
        var probe = miner.Probe();
        var errors = new[] { coordinator, miner }.Select(Errors).ToArray();

        AkkaCluster.Get(coordinator.System).Join(coordinator.Address);
        AkkaCluster.Get(miner.System).Join(coordinator.Address);
        probe.AwaitCondition(() => BothUp(coordinator) && BothUp(miner), Wait);

        var subscriber = coordinator.Probe();
        DistributedPubSub.Get(coordinator.System).Mediator.Tell(new Subscribe("work", subscriber.Ref), subscriber.Ref);
        subscriber.ExpectMsg<SubscribeAck>(Wait);
        var mediator = DistributedPubSub.Get(miner.System).Mediator;
        // The subscription reaches the miner by gossip; publish until it has.
        probe.AwaitCondition(() =>
        {
            mediator.Tell(new Publish("work", new Ping("via pub-sub")));
            return subscriber.HasMessages;
        }, Wait, TimeSpan.FromMilliseconds(200));
        Assert.Equal("via pub-sub", subscriber.ExpectMsg<Ping>().Text);

        foreach (var node in new[] { coordinator, miner })
        {
            node.System.ActorOf(ClusterSingletonManager.Props(EchoActor.Props(node.Seen.Ref), PoisonPill.Instance,
                ClusterSingletonManagerSettings.Create(node.System)), "singleton");
        }

        var proxy = miner.System.ActorOf(ClusterSingletonProxy.Props("/user/singleton", ClusterSingletonProxySettings.Create(miner.System)));
        proxy.Tell(new Ping("to the singleton"), probe.Ref);
        Assert.Equal(new Pong("to the singleton"), probe.ExpectMsg<Pong>(Wait));
        Assert.Equal(0, coordinator.Peers.Refusals + miner.Peers.Refusals);
        foreach (var node in new[] { coordinator, miner })
        {
            Assert.All(new[] { typeof(object), typeof(Google.Protobuf.IMessage) },
                bound => Assert.Equal(0, Assert.IsType<RefusingSerializer>(node.System.Serialization.FindSerializerForType(bound)).Refused));
        }

        // Akka logs a message it could not serialize on the way out as an error; none of its own may have hit ours.
        Assert.All(errors, e => Assert.DoesNotContain(e.ReceiveWhile(TimeSpan.Zero, m => m as Error), error => error?.Cause is WireSerializationException));
    }

    private static Akka.TestKit.TestProbe Errors(TlsNode node)
    {
        var probe = node.Probe();
        node.System.EventStream.Subscribe(probe.Ref, typeof(Error));
        return probe;
    }

    private static bool BothUp(TlsNode node)
    {
        var members = AkkaCluster.Get(node.System).State.Members;
        return members.Count == 2 && members.All(m => m.Status == Akka.Cluster.MemberStatus.Up);
    }
}
