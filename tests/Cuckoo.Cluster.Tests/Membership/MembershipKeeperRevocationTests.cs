using Akka.Actor;
using Cuckoo.Chain;
using Cuckoo.Cluster.Membership;
using Cuckoo.Cluster.Tests.Transport;
using Cuckoo.Cluster.Transport;
using Xunit;
using static Cuckoo.Cluster.Tests.Membership.KeeperNodes;

namespace Cuckoo.Cluster.Tests.Membership;

/// <summary>A revoked miner that is a member: its own cluster, since the miner goes.</summary>
public sealed class MembershipKeeperRevocationTests
{
    [Fact]
    public async Task Keeper_downs_a_member_whose_admission_is_revoked_and_its_certificate_is_refused_afterwards()
    {
        var key = EthKey.Generate();
        var minerCertificate = NodeCertificate.CreateSelfSigned("miner");
        await using var coordinator = TlsNode.Start("cuckoo", extra: ClusterHocon("coordinator"));
        await using var miner = TlsNode.Start("cuckoo", minerCertificate, new PeerAllowList([coordinator.Thumbprint]), extra: ClusterHocon("miner"));
        var keeper = StartKeeper(coordinator, key.Address, key);
        StartKeeper(miner, key.Address);
        var minerAddress = EthKey.Generate().Address;
        await keeper.Ask<MinerAdmissionApplied>(new AdmitMiner(Signed.Unsigned(minerAddress, miner.Thumbprint, HostPort(miner))), Wait);
        var removed = new TaskCompletionSource();
        ClusterOf(miner).RegisterOnMemberRemoved(() => removed.TrySetResult());
        ClusterOf(coordinator).Join(coordinator.Address);
        ClusterOf(miner).Join(coordinator.Address);
        var probe = coordinator.Probe();
        probe.AwaitCondition(() => SeesUp(coordinator, coordinator, miner) && SeesUp(miner, coordinator, miner), Wait, Poll);

        keeper.Tell(new RevokeMiner(minerAddress, "stake withdrawn"));

        await removed.Task.WaitAsync(Wait);
        probe.AwaitCondition(() => !ClusterOf(coordinator).State.Members.Any(m => m.Address == miner.Address), Wait, Poll);
        Assert.False(coordinator.Peers.IsAllowed(miner.Thumbprint));

        // The same certificate comes back as a new node: the coordinator refuses the handshake and stays up.
        var refusals = coordinator.Peers.Refusals;
        await using var again = TlsNode.Start("cuckoo", minerCertificate, new PeerAllowList([coordinator.Thumbprint]), extra: ClusterHocon("miner"));
        ClusterOf(again).Join(coordinator.Address);
        probe.AwaitCondition(() => coordinator.Peers.Refusals > refusals, Wait, Poll);
        Assert.False(SeesUp(coordinator, again));
        Assert.False(coordinator.System.WhenTerminated.IsCompleted);
        Assert.True(SeesUp(coordinator, coordinator));
    }
}
