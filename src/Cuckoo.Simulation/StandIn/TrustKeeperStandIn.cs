using Akka.Actor;
using Cuckoo.Coordinator.Registry;
using Cuckoo.Coordinator.Trust;
using Address = Cuckoo.Chain.Address;

namespace Cuckoo.Simulation;

/// <summary>
/// Temporary: the part of the trust keeper (branch wt/trust) the simulation needs, until that branch is merged; then
/// this file goes and the simulation starts the real one. Jails every minority result at once, slashes it through the
/// chain when the evidence has enough witnesses, tells the jail's subscribers, and answers every settlement.
/// </summary>
internal sealed class TrustKeeperStandIn : ReceiveActor
{
    private readonly ITrustChain _chain;
    private readonly IActorRef _registry;
    private readonly Func<TaskSettled, RunResult, DateTimeOffset, MinerEvidence?> _buildEvidence;
    private readonly HashSet<string> _settled = new(StringComparer.Ordinal);
    private readonly HashSet<Address> _jailed = [];
    private readonly List<IActorRef> _subscribers = [];

    public TrustKeeperStandIn(ITrustChain chain, Func<TaskSettled, RunResult, DateTimeOffset, MinerEvidence?> buildEvidence, IActorRef registry)
    {
        _chain = chain;
        _buildEvidence = buildEvidence;
        _registry = registry;
        Receive<TaskSettled>(OnSettled);
        Receive<SubscribeJail>(m => _subscribers.Add(m.Subscriber));
        Receive<GetJail>(_ => Sender.Tell(_jailed.ToList()));
        Receive<ChainOutcome>(_ => { });
    }

    public static Props Props(ITrustChain chain, Func<TaskSettled, RunResult, DateTimeOffset, MinerEvidence?> buildEvidence, IActorRef registry) =>
        Akka.Actor.Props.Create(() => new TrustKeeperStandIn(chain, buildEvidence, registry));

    private void OnSettled(TaskSettled m)
    {
        Sender.Tell(new SettlementRecorded(m.TaskId));
        if (!_settled.Add(m.TaskId))
        {
            return;
        }
        foreach (var suspect in m.Runs.Where(r => !r.Agreed))
        {
            var evidence = _buildEvidence(m, suspect, m.At);
            if (_jailed.Add(suspect.Miner))
            {
                _registry.Tell(new UpdateStanding(suspect.Miner) { Jailed = true });
                var jailed = new MinerJailed(suspect.Miner, $"its result of task {m.TaskId} disagreed with the majority", evidence?.EvidenceId ?? "", m.At);
                _subscribers.ForEach(s => s.Tell(jailed));
            }
            if (evidence is { Witnesses.Count: >= 2 })
            {
                _chain.SlashAsync(evidence, CancellationToken.None).PipeTo(Self);
            }
        }
    }
}
