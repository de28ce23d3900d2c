using Akka.Actor;
using Cuckoo.Chain;
using Cuckoo.Coordinator.Trust;
using Cuckoo.Staking;

namespace Cuckoo.Simulation;

// The trust keeper the simulation runs, and the figures from what the miners, the app and the chain saw.
public static partial class Simulator
{
    private static Props TrustKeeperProps(StakingTypedData typed, EthKey coordinator, InMemoryTrustChain chain, IActorRef registry) =>
        TrustKeeperStandIn.Props(chain, (settled, accused, at) => EvidenceBuilder.Build(typed, coordinator, settled, accused, at), registry);

    internal static SimulationReport Report(
        SimulationSettings settings, IReadOnlyList<SimMiner> miners, DriverTally app, MinerTallies tallies, IReadOnlyList<InMemorySlash> slashes, TimeSpan took)
    {
        var rows = miners.Select(m =>
        {
            var t = tallies.ByMiner[m.Address];
            return new MinerSummary(
                m.Address, m.Kind, Cai.Format(m.Stake), m.Rate, t.Runs, t.Results, t.Faked, t.Failures + t.Silences,
                t.RunsUntilJailed, t.JailReason, slashes.Count(s => s.Miner == m.Address));
        }).ToList();
        var liars = rows.Where(r => r.Kind is MinerKind.Faker or MinerKind.Colluder).ToList();
        var caught = liars.Where(r => r.TasksUntilJailed is not null).Select(r => r.TasksUntilJailed!.Value).Order().ToList();
        var results = rows.Sum(r => r.Results);
        var kinds = Enum.GetValues<MinerKind>()
            .Select(kind => (kind, of: rows.Where(r => r.Kind == kind).ToList()))
            .Where(k => k.of.Count > 0)
            .Select(k => new KindSummary(k.kind, k.of.Count, k.of.Count(r => r.TasksUntilJailed is not null),
                k.of.Sum(r => r.Runs), k.of.Sum(r => r.Results), k.of.Sum(r => r.Faked), k.of.Sum(r => r.Lost)))
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
