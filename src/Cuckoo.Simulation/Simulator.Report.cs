using System.Numerics;
using Akka.Actor;
using Cuckoo.Chain;
using Cuckoo.Coordinator.Trust;
using Cuckoo.Staking;

namespace Cuckoo.Simulation;

// The trust keeper the simulation runs, and the figures from what the miners, the app and the chain saw.
public static partial class Simulator
{
    /// <summary>
    /// The real trust keeper on the in-memory journal and the chain's twin; reward periods of a few seconds, so that a
    /// run sees deposits for its work (the last period is still open at the end, its work not yet paid).
    /// </summary>
    private static Props TrustKeeperProps(StakingTypedData typed, EthKey coordinator, InMemoryTrustChain chain, IActorRef registry) =>
        TrustKeeper.Props(
            new TrustSettings { PersistenceId = "sim-trust", RewardPeriod = RewardPeriod, SlashRetry = TimeSpan.FromSeconds(1), KeepPeriods = 1_000_000 },
            chain, (settled, accused, at) => EvidenceBuilder.Build(typed, coordinator, settled, accused, at), registry, jailBook: null);

    private static readonly TimeSpan RewardPeriod = TimeSpan.FromSeconds(5);

    internal static SimulationReport Report(
        SimulationSettings settings, IReadOnlyList<SimMiner> miners, DriverTally app, MinerTallies tallies, RewardsReport rewards, InMemoryTrustChain chain,
        TimeSpan took)
    {
        var slashes = chain.Slashes;
        var work = rewards.Closed.Append(rewards.Current).SelectMany(p => p.Miners)
            .GroupBy(m => m.Miner).ToDictionary(g => g.Key, g => g.Sum(m => m.Work));
        var rows = miners.Select(m =>
        {
            var t = tallies.ByMiner[m.Address];
            return new MinerSummary(
                m.Address, m.Kind, Cai.Format(m.Stake), m.Rate, t.Runs, t.Results, t.Faked, t.Failures + t.Silences,
                t.RunsUntilJailed, t.JailReason, slashes.Count(s => s.Miner == m.Address), work.GetValueOrDefault(m.Address),
                Cai.Format(chain.RewardsOf(m.Address)));
        }).ToList();
        var liars = rows.Where(r => r.Kind is MinerKind.Faker or MinerKind.Colluder).ToList();
        var caught = liars.Where(r => r.TasksUntilJailed is not null).Select(r => r.TasksUntilJailed!.Value).Order().ToList();
        var results = rows.Sum(r => r.Results);
        var kinds = Enum.GetValues<MinerKind>()
            .Select(kind => (kind, of: rows.Where(r => r.Kind == kind).ToList()))
            .Where(k => k.of.Count > 0)
            .Select(k => new KindSummary(k.kind, k.of.Count, k.of.Count(r => r.TasksUntilJailed is not null),
                k.of.Sum(r => r.Runs), k.of.Sum(r => r.Results), k.of.Sum(r => r.Faked), k.of.Sum(r => r.Lost), k.of.Sum(r => r.VerifiedWork),
                Cai.Format(k.of.Aggregate(BigInteger.Zero, (sum, r) => sum + chain.RewardsOf(r.Miner)))))
            .ToList();
        return new SimulationReport(
            settings,
            app.Submitted,
            app.Completed,
            app.Failed,
            app.FakedOutputs,
            results,
            app.Submitted == 0 ? 0 : (results - app.Submitted) / (double)app.Submitted,
            liars.Count,
            caught.Count,
            liars.Count == 0 ? 1 : caught.Count / (double)liars.Count,
            Median(caught),
            caught.Count == 0 ? null : caught[^1],
            liars.Count - caught.Count,
            rows.Count(r => r.Kind is MinerKind.Honest or MinerKind.Crasher && r.TasksUntilJailed is not null),
            slashes.Count,
            app.FailureSamples,
            Math.Round(took.TotalSeconds, 1),
            kinds,
            rows);
    }

    private static double? Median(List<int> sorted) => sorted.Count switch
    {
        0 => null,
        var n when n % 2 == 1 => sorted[n / 2],
        var n => (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0,
    };
}
