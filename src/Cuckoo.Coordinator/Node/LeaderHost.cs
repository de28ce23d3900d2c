using Akka.Actor;
using Cuckoo.ChainWatcher;
using Cuckoo.Cluster.Membership;
using Cuckoo.Cluster.Work;
using Cuckoo.Coordinator.Registry;
using Cuckoo.Coordinator.Scheduler;
using Cuckoo.Coordinator.Trust;
using Cuckoo.Coordinator.Work;

namespace Cuckoo.Coordinator.Node;

/// <summary>
/// The coordinator role's cluster singleton (<c>leader</c>), on the oldest coordinator node: the chain watcher, the miner
/// registry, the persistent scheduler, the dispatcher and the trust keeper live under it, so that there is one writer of the scheduler's
/// journal in the cluster and it moves as a whole on a failover. Miners' work messages and the gateway's task messages
/// come in through the singleton proxy and are forwarded to the child that serves them. Every confirmed chain event that
/// names a candidate is also turned into a standing re-check by this node's membership keeper, so that a miner unstaked
/// below the minimum, deregistered, slashed or without consent loses its admission.
/// </summary>
public sealed class LeaderHost : ReceiveActor
{
    private readonly LeaderSettings _settings;
    private IActorRef _registry = ActorRefs.Nobody;
    private IActorRef _scheduler = ActorRefs.Nobody;
    private IActorRef _dispatcher = ActorRefs.Nobody;
    private IActorRef _trust = ActorRefs.Nobody;

    public LeaderHost(LeaderSettings settings)
    {
        _settings = settings;
        Receive<WorkRequested>(m => _dispatcher.Forward(m));
        Receive<WorkCompleted>(m => _dispatcher.Forward(m));
        Receive<WorkFailed>(m => _dispatcher.Forward(m));
        Receive<WorkStarted>(m => _dispatcher.Forward(m));
        Receive<GetWorkLinks>(m => _dispatcher.Forward(m));
        Receive<SubmitTask>(m => _scheduler.Forward(m));
        Receive<GetTask>(m => _scheduler.Forward(m));
        Receive<SubscribeTask>(m => _scheduler.Forward(m));
        Receive<WatchTasks>(m => _scheduler.Forward(m));
        Receive<GetMiners>(m => _registry.Forward(m));
        Receive<GetEvidence>(m => _trust.Forward(m));
        Receive<GetJail>(m => _trust.Forward(m));
        Receive<GetRewards>(m => _trust.Forward(m));
        Receive<SubscribeJail>(m => _trust.Forward(m));
        Receive<ChainEventsSubscribed>(_ => { });
        Receive<IChainEvent>(OnEvent);
        Receive<IChainWatcherEvent>(_ => { });
    }

    public static Props Props(LeaderSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        settings.Scheduler.Validate();
        settings.Registry.Validate();
        return Akka.Actor.Props.Create(() => new LeaderHost(settings));
    }

    protected override void PreStart()
    {
        Context.ActorOf(ChainWatcher.ChainWatcher.SupervisedProps(_settings.Watcher), "watcher");
        // The watcher publishes on this system's event stream; this host and the registry live beside it, so nothing crosses the wire.
        Context.System.EventStream.Subscribe(Self, typeof(IChainEvent));
        _registry = Context.ActorOf(MinerRegistry.Props(_settings.Registry, _settings.Metrics), "registry");
        _dispatcher = Context.ActorOf(Dispatcher.Props(_settings.Dispatcher, _registry), "dispatcher");
        if (_settings.Trust is { } trust)
        {
            _trust = Context.ActorOf(TrustKeeper.SupervisedProps(trust.Settings, trust.Chain, trust.BuildEvidence, _registry, trust.JailBook), "trust");
        }
        _scheduler = Context.ActorOf(
            Scheduler.Scheduler.SupervisedProps(_settings.Scheduler, _registry, _dispatcher, metrics: _settings.Metrics, trust: _trust), "scheduler");
        _dispatcher.Tell(new SchedulerReady(_scheduler));
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
            _settings.Weights.Set(weight.Candidate, weight.Active ? weight.Weight : 0);
        }
        if (candidate is { } address)
        {
            Context.ActorSelection(MembershipPaths.KeeperPath).Tell(new RecheckMiner(address));
        }
    }
}

/// <summary>What the leader singleton's children run with.</summary>
public sealed record LeaderSettings(
    ChainWatcherSettings Watcher,
    MinerWeights Weights,
    SchedulerSettings Scheduler,
    MinerRegistrySettings Registry,
    DispatcherSettings Dispatcher,
    Metrics.CoordinatorMetrics? Metrics = null,
    LeaderTrust? Trust = null);

/// <summary>What the trust keeper runs with: its settings, the chain it slashes and pays through, how it builds evidence, enrolment's jail book.</summary>
public sealed record LeaderTrust(
    TrustSettings Settings,
    ITrustChain Chain,
    Func<TaskSettled, RunResult, DateTimeOffset, MinerEvidence?> BuildEvidence,
    Cuckoo.Cluster.Enrolment.JailBook? JailBook);
