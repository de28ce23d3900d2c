using Cuckoo.Chain;
using Cuckoo.Cluster.Membership;
using Cuckoo.Staking;

namespace Cuckoo.Coordinator.Work;

public sealed record DispatcherSettings
{
    /// <summary>This coordinator's address: miners sign their results for it.</summary>
    public required Address Coordinator { get; init; }

    /// <summary>The staking contract's EIP-712 domain, for checking result signatures.</summary>
    public required StakingTypedData TypedData { get; init; }

    /// <summary>The admission of a miner, as this node's membership keeper holds it; null when it is not admitted (or was revoked).</summary>
    public required Func<Address, MinerAdmitted?> AdmissionOf { get; init; }

    /// <summary>The contract's view of a candidate, to seed the registry when a miner first asks for work.</summary>
    public required Func<Address, CancellationToken, Task<CandidateInfo>> CandidateOf { get; init; }

    /// <summary>
    /// The node (host:port) an actor lives on, as admissions name it: its Akka address. A test can map local probes.
    /// </summary>
    public Func<Akka.Actor.IActorRef, string> NodeOf { get; init; } = actor => $"{actor.Path.Address.Host}:{actor.Path.Address.Port}";

    /// <summary>
    /// How long an assignment for a miner that has no work link here yet is held (default 10 s: a few of the links'
    /// 2 s heartbeats), so that after a failover the recovered scheduler's assignments wait for the miners to find the
    /// new leader rather than failing at once.
    /// </summary>
    public TimeSpan LinkGrace { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How often revoked admissions and held assignments are looked at (default 1 s).</summary>
    public TimeSpan Tick { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How long the scheduler may take to answer a result (default 10 s: a journal write, with margin).</summary>
    public TimeSpan SchedulerTimeout { get; init; } = TimeSpan.FromSeconds(10);
}
