using Akka.Actor;
using Address = Cuckoo.Chain.Address;

namespace Cuckoo.Simulation;

// The simulated cluster's messages, besides the scheduler's DispatchTask and RevokeTask and the trust keeper's MinerJailed.

/// <summary>The scheduler the simulated miners report to (sent once, after it is started).</summary>
internal sealed record SchedulerStarted(IActorRef Scheduler);

/// <summary>Replied with <see cref="MinerTallies"/>.</summary>
internal sealed record GetMinerTallies
{
    public static GetMinerTallies Instance { get; } = new();
}

internal sealed record MinerTallies(IReadOnlyDictionary<Address, MinerTally> ByMiner);

/// <summary>What one simulated miner did.</summary>
/// <param name="Runs">Runs given to it (its tasks).</param>
/// <param name="Results">Runs it answered with an output, faked or not: the work a result costs.</param>
/// <param name="Faked">Results whose bytes were not the model's.</param>
/// <param name="Failures">Runs it reported as failed.</param>
/// <param name="Silences">Runs it never answered, taken away at the deadline.</param>
/// <param name="RunsUntilJailed">Its runs when it was jailed; null while free.</param>
/// <param name="JailReason">The trust keeper's reason; null while free.</param>
internal sealed record MinerTally(int Runs, int Results, int Faked, int Failures, int Silences, int? RunsUntilJailed, string? JailReason);
