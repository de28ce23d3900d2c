using Address = Cuckoo.Chain.Address;

namespace Cuckoo.Simulation;

/// <summary>
/// The figures of one simulation run. Liars are the fakers and colluders; a false accusation is an honest or merely
/// crashing miner jailed. Redundancy overhead is (result runs − tasks) / tasks: the extra work verification cost.
/// </summary>
/// <param name="FakedOutputsDelivered">Tasks completed with a faked output: fakes that reached the app undetected.</param>
/// <param name="ResultRuns">Runs that produced an output (faked or not), each a miner's whole run of the task.</param>
/// <param name="DetectionRate">Liars jailed / liars; 1 when there are none.</param>
/// <param name="MedianTasksUntilJailed">Median over the jailed liars of the tasks each had run when jailed; null when none was.</param>
/// <param name="LiarsNotJailed">Liars still free at the end.</param>
/// <param name="Slashes">Slashes the chain accepted, each with evidence it checked.</param>
/// <param name="FailureSamples">The first few failed tasks, each with the scheduler's reason.</param>
public sealed record SimulationReport(
    SimulationSettings Settings,
    int Tasks,
    int Completed,
    int Failed,
    int FakedOutputsDelivered,
    int ResultRuns,
    double RedundancyOverhead,
    int Liars,
    int LiarsJailed,
    double DetectionRate,
    double? MedianTasksUntilJailed,
    int? MaxTasksUntilJailed,
    int LiarsNotJailed,
    int FalseAccusations,
    int Slashes,
    IReadOnlyList<string> FailureSamples,
    double Seconds,
    IReadOnlyList<KindSummary> Kinds,
    IReadOnlyList<MinerSummary> Miners)
{
    /// <summary>The goal, applied to this run; empty when it is met.</summary>
    public IReadOnlyList<string> GoalMisses(int withinTasks = 1_000, double maxOverhead = 0.10)
    {
        var misses = new List<string>();
        foreach (var liar in Miners.Where(m => m.Kind is MinerKind.Faker or MinerKind.Colluder))
        {
            if (liar.TasksUntilJailed is not { } tasks)
            {
                misses.Add(liar.Runs >= withinTasks
                    ? $"{liar.Kind.ToString().ToLowerInvariant()} {liar.Miner} was not jailed after {liar.Runs} tasks"
                    : $"{liar.Kind.ToString().ToLowerInvariant()} {liar.Miner} ran only {liar.Runs} tasks, not jailed yet: too few to judge (give more --tasks)");
            }
            else if (tasks > withinTasks)
            {
                misses.Add($"{liar.Kind.ToString().ToLowerInvariant()} {liar.Miner} was jailed only after {tasks} tasks");
            }
        }
        if (RedundancyOverhead > maxOverhead)
        {
            misses.Add(FormattableString.Invariant($"redundancy overhead {RedundancyOverhead * 100:0.#}% is above {maxOverhead * 100:0.#}%"));
        }
        if (FalseAccusations > 0)
        {
            misses.Add($"{FalseAccusations} honest or crashing miners were jailed");
        }
        return misses;
    }
}

/// <summary>The miners of one kind together.</summary>
/// <param name="Results">Runs that produced an output; <paramref name="Faked"/> of them faked.</param>
/// <param name="Lost">Runs that produced nothing: reported failures and silences.</param>
/// <param name="VerifiedWork">Results the trust keeper credited: in the majority of a completed task.</param>
/// <param name="Rewards">CAI deposited on chain for their work in the closed reward periods.</param>
public sealed record KindSummary(MinerKind Kind, int Miners, int Jailed, int Runs, int Results, int Faked, int Lost, long VerifiedWork, string Rewards);

/// <summary>One simulated miner.</summary>
/// <param name="Stake">Self-stake in whole CAI.</param>
/// <param name="Rate">Its fake, collusion or crash rate.</param>
/// <param name="TasksUntilJailed">Tasks it had run when jailed; null: never jailed.</param>
/// <param name="Slashed">Slashes of it the chain accepted.</param>
/// <param name="VerifiedWork">Results the trust keeper credited to it: in the majority of a completed task.</param>
/// <param name="Rewards">CAI deposited on chain for its work in the closed reward periods (a jailed miner's work earns nothing).</param>
public sealed record MinerSummary(
    Address Miner,
    MinerKind Kind,
    string Stake,
    double Rate,
    int Runs,
    int Results,
    int Faked,
    int Lost,
    int? TasksUntilJailed,
    string? JailReason,
    int Slashed,
    long VerifiedWork,
    string Rewards);
