using Akka.Actor;
using Akka.Cluster;
using Akka.Event;
using Cuckoo.Cluster.Work;
using Cuckoo.Coordinator.Registry;
using Cuckoo.Coordinator.Scheduler;
using Address = Cuckoo.Chain.Address;

namespace Cuckoo.Coordinator.Work;

/// <summary>
/// Carries the scheduler's assignments to the miners' work links and their outcomes back. A link says what it serves
/// and how many tasks it can take (<see cref="WorkRequested"/>); the dispatcher checks that the sender is the admitted
/// node of that miner, keeps the registry's models and credits from it, and tells the scheduler when a link goes away
/// (its node unreachable or removed, or its admission revoked) so that its tasks go to other miners. A result is passed
/// on only when it comes from the miner the attempt was given to and its EIP-712 signature recovers to that miner.
/// Messages are in <c>Cuckoo.Cluster.Work.WorkProtocol</c> and <c>DispatcherProtocol.cs</c>.
/// </summary>
public sealed partial class Dispatcher : ReceiveActor, IWithTimers
{
    private readonly DispatcherSettings _settings;
    private readonly IActorRef _registry;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Dictionary<Address, Link> _links = [];
    private readonly Dictionary<(string TaskId, int Attempt), InFlight> _inFlight = [];
    private readonly List<(DispatchTask Task, DateTimeOffset Since)> _held = [];
    private readonly HashSet<Address> _refused = [];
    private IActorRef _scheduler = ActorRefs.Nobody;

    public Dispatcher(DispatcherSettings settings, IActorRef registry)
    {
        _settings = settings;
        _registry = registry;
        Receive<SchedulerReady>(m => { _scheduler = m.Scheduler; });
        Receive<WorkRequested>(OnWorkRequested);
        Receive<CandidateFetched>(OnCandidateFetched);
        Receive<DispatchTask>(OnDispatch);
        Receive<RevokeTask>(OnRevoke);
        Receive<WorkCompleted>(OnCompleted);
        Receive<WorkFailed>(OnFailed);
        Receive<WorkStarted>(OnStarted);
        Receive<ResultAnswered>(OnResultAnswered);
        Receive<StaleResultChecked>(OnStaleChecked);
        Receive<Terminated>(OnTerminated);
        Receive<ClusterEvent.UnreachableMember>(m => OnReachability(m.Member.Address, reachable: false));
        Receive<ClusterEvent.ReachableMember>(m => OnReachability(m.Member.Address, reachable: true));
        Receive<ClusterEvent.IMemberEvent>(_ => { });
        Receive<ClusterEvent.CurrentClusterState>(_ => { });
        Receive<DispatcherTick>(_ => OnTick());
        Receive<GetWorkLinks>(_ => Sender.Tell(new WorkLinks([.. _links.Values.Select(l => l.View(_inFlight.Values.Count(f => f.Miner == l.Miner)))])));
    }

    public ITimerScheduler Timers { get; set; } = null!;

    /// <param name="registry">The <see cref="MinerRegistry"/>: told every link's models, credits and reachability.</param>
    public static Props Props(DispatcherSettings settings, IActorRef registry)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(registry);
        return Akka.Actor.Props.Create(() => new Dispatcher(settings, registry));
    }

    private DateTimeOffset Now => Context.System.Scheduler.Now;

    protected override void PreStart()
    {
        Akka.Cluster.Cluster.Get(Context.System).Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents, typeof(ClusterEvent.IReachabilityEvent));
        Timers.StartPeriodicTimer("tick", DispatcherTick.Instance, _settings.Tick);
    }

    protected override void PostStop() => Akka.Cluster.Cluster.Get(Context.System).Unsubscribe(Self);

    private void OnWorkRequested(WorkRequested m)
    {
        if (!Address.TryParse(m.Miner, out var miner))
        {
            _log.Warning("refused work link {0}: '{1}' is not an address", Sender.Path, m.Miner);
            return;
        }
        if (Refusal(miner, Sender) is { } why)
        {
            // Once per miner until it is accepted: a link repeats itself every heartbeat.
            if (_refused.Add(miner))
            {
                _log.Warning("refused work link {0} claiming miner {1}: {2}", Sender.Path, miner, why);
            }
            return;
        }
        _refused.Remove(miner);
        var admitted = _settings.AdmissionOf(miner)!;
        var models = m.Models.Where(admitted.Models.Contains).Distinct(StringComparer.Ordinal).ToArray();
        if (!_links.TryGetValue(miner, out var link) || !link.Ref.Equals(Sender))
        {
            if (link is not null)
            {
                Context.Unwatch(link.Ref);
            }
            link = new Link(miner, Sender, admitted.NodeAddress);
            _links[miner] = link;
            Context.Watch(Sender);
            _log.Info("work link of miner {0} at {1}: {2}", miner, admitted.NodeAddress, string.Join(", ", models));
            CandidateOfAsync(miner).PipeTo(Self);
            ReleaseHeld(miner);
        }
        link.Models = models;
        link.Capacity = Math.Max(0, m.Capacity);
        var before = link.Free;
        link.Free = (int)Math.Clamp(m.Free - (link.Dispatched - m.Received), 0, Math.Max(0, m.Capacity));
        // AdmitMiner replaces models and credits: the link's last word, less what is on its way to it.
        _registry.Tell(new AdmitMiner(miner, models, link.Free));
        if (link.Reachable)
        {
            _registry.Tell(new SetReachable(miner, true));
        }
        if (link.Free > before)
        {
            // After the registry has the credits (same sender, in order): waiting tasks try now, not at their retry.
            _scheduler.Tell(new CreditsFreed(models, link.Free - before));
        }
    }

    /// <summary>Why a sender may not speak for a miner: not admitted here, or not from the node its admission names.</summary>
    private string? Refusal(Address miner, IActorRef sender)
    {
        if (_settings.AdmissionOf(miner) is not { } admitted)
        {
            return "the miner is not admitted to this cluster";
        }
        var from = _settings.NodeOf(sender);
        return from == admitted.NodeAddress ? null : $"the message came from {from}, but the miner was admitted at {admitted.NodeAddress}";
    }

    private async Task<CandidateFetched> CandidateOfAsync(Address miner)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            return new CandidateFetched(miner, await _settings.CandidateOf(miner, timeout.Token).ConfigureAwait(false), null);
        }
        catch (Exception e)
        {
            return new CandidateFetched(miner, null, e.Message);
        }
    }

    private void OnCandidateFetched(CandidateFetched m)
    {
        if (m.Info is { } info)
        {
            _registry.Tell(UpdateStanding.From(info));
        }
        else if (_links.ContainsKey(m.Miner))
        {
            // The chain watcher's events still reach the registry; the view is asked again at the next new link.
            _log.Warning("could not read miner {0}'s standing from the contract: {1}", m.Miner, m.Error);
        }
    }

    private void OnDispatch(DispatchTask task)
    {
        if (!_links.TryGetValue(task.Miner, out var link))
        {
            // After a failover the scheduler re-sends its assignments before the links have found this leader.
            _held.Add((task, Now));
            return;
        }
        Send(link, task);
    }

    private void Send(Link link, DispatchTask task)
    {
        _inFlight[(task.TaskId, task.Attempt)] = new InFlight(task);
        link.Dispatched++;
        link.Ref.Tell(new WorkAssigned(
            task.TaskId, task.Attempt, task.Model, task.Input,
            task.Parameters is null ? null : new Dictionary<string, string>(task.Parameters, StringComparer.Ordinal),
            (long)task.Deadline.TotalMilliseconds, _settings.Coordinator.ToString()), Self);
    }

    private void ReleaseHeld(Address miner)
    {
        foreach (var held in _held.Where(h => h.Task.Miner == miner).ToList())
        {
            _held.Remove(held);
            Send(_links[miner], held.Task);
        }
    }

    private void OnRevoke(RevokeTask m)
    {
        _inFlight.Remove((m.TaskId, m.Attempt));
        _held.RemoveAll(h => h.Task.TaskId == m.TaskId && h.Task.Attempt == m.Attempt);
        if (_links.TryGetValue(m.Miner, out var link))
        {
            link.Ref.Tell(new WorkRevoked(m.TaskId, m.Attempt, m.Reason), Self);
        }
    }

    private void OnTerminated(Terminated m)
    {
        if (_links.Values.FirstOrDefault(l => l.Ref.Equals(m.ActorRef)) is { } link)
        {
            Lose(link, "its work link stopped");
        }
    }

    private void OnReachability(Akka.Actor.Address node, bool reachable)
    {
        foreach (var link in _links.Values.Where(l => l.Ref.Path.Address == node).ToList())
        {
            link.Reachable = reachable;
            _registry.Tell(new SetReachable(link.Miner, reachable));
            if (!reachable)
            {
                // Its tasks go elsewhere now rather than at their deadline; a result it still sends is refused.
                _scheduler.Tell(new MinerLost(link.Miner));
                DropInFlight(link.Miner);
            }
        }
    }

    private void OnTick()
    {
        foreach (var link in _links.Values.Where(l => _settings.AdmissionOf(l.Miner) is null).ToList())
        {
            Lose(link, "its admission was revoked");
        }
        var now = Now;
        foreach (var held in _held.Where(h => now - h.Since >= _settings.LinkGrace).ToList())
        {
            _held.Remove(held);
            _scheduler.Tell(new ReportFailure(held.Task.TaskId, held.Task.Miner, held.Task.Attempt,
                $"miner {held.Task.Miner} has no work link to this coordinator"));
        }
    }

    private void Lose(Link link, string why)
    {
        _log.Info("miner {0} lost: {1}", link.Miner, why);
        Context.Unwatch(link.Ref);
        _links.Remove(link.Miner);
        _registry.Tell(new RemoveMiner(link.Miner));
        _scheduler.Tell(new MinerLost(link.Miner));
        DropInFlight(link.Miner);
    }

    private void DropInFlight(Address miner)
    {
        foreach (var key in _inFlight.Where(f => f.Value.Miner == miner).Select(f => f.Key).ToList())
        {
            _inFlight.Remove(key);
        }
    }

    private sealed class Link(Address miner, IActorRef link, string node)
    {
        public Address Miner { get; } = miner;

        public IActorRef Ref { get; } = link;

        public string Node { get; } = node;

        public string[] Models { get; set; } = [];

        public int Capacity { get; set; }

        public int Free { get; set; }

        public long Dispatched { get; set; }

        public bool Reachable { get; set; } = true;

        public WorkLinkView View(int inFlight) => new(Miner, Node, Models, Capacity, Free, inFlight, Reachable);
    }

    private sealed record InFlight(DispatchTask Task)
    {
        public Address Miner => Task.Miner;
    }
}
