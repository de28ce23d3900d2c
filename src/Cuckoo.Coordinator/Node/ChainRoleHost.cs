using Akka.Actor;
using Cuckoo.ChainWatcher;
using Cuckoo.Cluster.Membership;

namespace Cuckoo.Coordinator.Node;

/// <summary>
/// The coordinator role's chain singleton: runs the chain watcher (under its backoff supervisor) on the oldest coordinator
/// node, and turns every confirmed event that names a candidate into a standing re-check by this node's membership keeper,
/// so that a miner unstaked below the minimum, deregistered, slashed or without consent loses its admission.
/// </summary>
public sealed class ChainRoleHost : ReceiveActor
{
    private readonly ChainWatcherSettings _settings;
    private readonly MinerWeights _weights;
    private IActorRef _watcher = ActorRefs.Nobody;

    public ChainRoleHost(ChainWatcherSettings settings, MinerWeights weights)
    {
        _settings = settings;
        _weights = weights;
        Receive<ChainEventsSubscribed>(_ => { });
        Receive<IChainEvent>(OnEvent);
        Receive<IChainWatcherEvent>(_ => { });
    }

    public static Props Props(ChainWatcherSettings settings, MinerWeights weights) =>
        Akka.Actor.Props.Create(() => new ChainRoleHost(settings, weights));

    protected override void PreStart()
    {
        _watcher = Context.ActorOf(ChainWatcher.ChainWatcher.SupervisedProps(_settings), "watcher");
        // The watcher publishes on this system's event stream; this host lives beside it, so nothing crosses the wire.
        Context.System.EventStream.Subscribe(Self, typeof(IChainEvent));
    }

    protected override void PostStop() => Context.System.EventStream.Unsubscribe(Self);

    private void OnEvent(IChainEvent e)
    {
        var candidate = e switch
        {
            WeightChanged w => w.Candidate,
            CandidateActivationChanged a => a.Candidate,
            CandidateDeregistered d => d.Candidate,
            CandidateSlashed s => s.Candidate,
            ConsentRevoked c => c.Candidate,
            _ => (Cuckoo.Chain.Address?)null,
        };
        if (e is WeightChanged weight)
        {
            _weights.Set(weight.Candidate, weight.Active ? weight.Weight : 0);
        }
        if (candidate is { } address)
        {
            Context.ActorSelection(MembershipPaths.KeeperPath).Tell(new RecheckMiner(address));
        }
    }
}
