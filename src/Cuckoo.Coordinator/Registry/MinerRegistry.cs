using Akka.Actor;
using Akka.Event;
using Cuckoo.ChainWatcher;
using Cuckoo.Coordinator.Metrics;

namespace Cuckoo.Coordinator.Registry;

/// <summary>
/// The coordinator's view of its miners, over a <see cref="MinerDirectory"/>: chain standing from the chain watcher's
/// events, admission, reachability and credits from the cluster, and stake-weighted picks for the scheduler.
/// Messages are in <c>RegistryProtocol.cs</c>.
/// </summary>
public sealed class MinerRegistry : ReceiveActor
{
    private readonly MinerRegistrySettings _settings;
    private readonly MinerDirectory _directory;
    private readonly StandingUndoLog _undo;
    private readonly Random _rng;
    private readonly CoordinatorMetrics? _metrics;
    private readonly ILoggingAdapter _log = Context.GetLogger();

    public MinerRegistry(MinerRegistrySettings settings, CoordinatorMetrics? metrics = null)
    {
        _settings = settings;
        _metrics = metrics;
        _directory = new MinerDirectory(settings.MinimumSelfStake);
        _undo = new StandingUndoLog(settings.ReorgWindow);
        _rng = settings.Seed is { } seed ? new Random(seed) : new Random();

        // Block bodies throughout: a lambda returning bool would bind to Receive's Func<T, bool> overload, where false
        // means unhandled.
        Receive<AdmitMiner>(m => Guarded(m, () => _directory.Admit(m.Miner, m.Models, m.FreeCredits)));
        Receive<RemoveMiner>(m => { _directory.Remove(m.Miner); });
        Receive<UpdateStanding>(m => Guarded(m, () => { _directory.Apply(m); }));
        Receive<SetReachable>(m => { _directory.SetReachable(m.Miner, m.Reachable); });
        Receive<SetCredits>(m => Guarded(m, () => { _directory.SetCredits(m.Miner, m.FreeCredits); }));
        Receive<PickMiner>(m => { Sender.Tell(Pick(m)); });
        Receive<GetMiners>(m => { Sender.Tell(new MinerList(_directory.List(m.Model))); });

        Receive<IChainEvent>(OnChainEvent);
        Receive<ChainReorganized>(OnReorganized);
        Receive<ChainViewStale>(m => { _log.Warning("Chain view stale since {0} ({1}): stakes may be out of date.", m.Since, m.Reason); });
        Receive<ChainViewFresh>(_ => { });
        Receive<ChainEventsSubscribed>(_ => { });
        Receive<ChainEventsUnsubscribed>(_ => { });
    }

    /// <param name="metrics">The node's instruments: the registry keeps <see cref="CoordinatorMetrics.Miners"/> up to date; null: none.</param>
    /// <exception cref="ArgumentOutOfRangeException">invalid settings.</exception>
    public static Props Props(MinerRegistrySettings? settings = null, CoordinatorMetrics? metrics = null)
    {
        settings ??= new MinerRegistrySettings();
        settings.Validate();
        return Akka.Actor.Props.Create(() => new MinerRegistry(settings, metrics));
    }

    protected override bool AroundReceive(Receive receive, object message)
    {
        var handled = base.AroundReceive(receive, message);
        // After every message rather than in each handler: a few field writes, and no state change can miss it.
        _metrics?.SetMiners(_directory.CountsBySlot);
        return handled;
    }

    protected override void PreStart()
    {
        if (_settings.ListenOnEventStream)
        {
            Context.System.EventStream.Subscribe(Self, typeof(IChainWatcherEvent));
        }
    }

    protected override void PostStop() => Context.System.EventStream.Unsubscribe(Self);

    private object Pick(PickMiner m)
    {
        if (string.IsNullOrEmpty(m.Model))
        {
            return new NoMinerAvailable(m.TaskId, m.Model ?? "", NoMinerReason.UnknownModel);
        }
        var pinned = m.Pinned is { Count: > 0 };
        var found = pinned
            ? _directory.TryPickPinned(m.Model, m.Pinned!, m.Exclude, _rng, out var miner, out var reason)
            : _directory.TryPick(m.Model, m.Exclude, _rng, out miner, out reason);
        if (!found)
        {
            return new NoMinerAvailable(m.TaskId, m.Model, reason);
        }
        if (m.TakeCredit)
        {
            _directory.TryTakeCredit(miner);
        }
        var info = _directory.Find(miner)!;
        return new MinerPicked(m.TaskId, m.Model, miner, info.Weight, info.FreeCredits);
    }

    private void OnChainEvent(IChainEvent e)
    {
        if (ChainStanding.From(e, _settings.JailOnSlash) is { } update)
        {
            _undo.Record(e.Position.BlockNumber, _directory.Apply(update));
        }
    }

    private void OnReorganized(ChainReorganized m)
    {
        var undos = _undo.TakeAfter(m.ForkBlock);
        foreach (var undo in undos)
        {
            _directory.Apply(undo);
        }
        _log.Info("Chain reorganized after block {0}: {1} standing changes undone.", m.ForkBlock, undos.Count);
    }

    // A bad command is dropped, not thrown: a restart would lose every miner's state.
    private void Guarded(object command, Action apply)
    {
        try
        {
            apply();
        }
        catch (ArgumentException ex)
        {
            _log.Warning("Ignored {0}: {1}", command, ex.Message);
        }
    }
}
