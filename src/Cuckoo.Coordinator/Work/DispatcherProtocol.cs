using Akka.Actor;
using Cuckoo.Staking;
using Address = Cuckoo.Chain.Address;

namespace Cuckoo.Coordinator.Work;

/// <summary>Local: the scheduler the dispatcher reports results, failures and losses to (sent once, by the leader host).</summary>
public sealed record SchedulerReady(IActorRef Scheduler);

/// <summary>Local: replied with the <see cref="WorkLinks"/> the dispatcher holds now.</summary>
public sealed record GetWorkLinks
{
    public static GetWorkLinks Instance { get; } = new();
}

public sealed record WorkLinks(IReadOnlyList<WorkLinkView> Links);

/// <param name="Free">Credits the miner reported, less assignments it had not received yet.</param>
public sealed record WorkLinkView(Address Miner, string Node, IReadOnlyList<string> Models, int Capacity, int Free, int InFlight, bool Reachable);

internal sealed record CandidateFetched(Address Miner, CandidateInfo? Info, string? Error);

internal sealed record ResultAnswered(IActorRef Link, string TaskId, int Attempt, object Answer);

internal sealed record StaleResultChecked(IActorRef Link, Address Miner, string TaskId, int Attempt, object Status);

internal sealed record DispatcherTick
{
    public static DispatcherTick Instance { get; } = new();
}
