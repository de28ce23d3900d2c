using Akka.Actor;
using Akka.Cluster;
using Akka.Coordination;
using Akka.Event;

namespace Cuckoo.Cluster.Downing;

/// <summary>
/// Runs on every member as a child of the cluster daemon: waits until the set of unreachable members has stayed the same
/// for stable-after, then acts on <see cref="DowningDecision"/>. Coordinators that contest each other ask the downing
/// lease; the winner keeps it (renewed) for as long as it runs, so a deposed or frozen coordinator that wakes up later
/// cannot win a second contest and carry on as a cluster of its own. The unreachable set is kept from the events
/// themselves: the cluster's read view may lag the event that changed it.
/// </summary>
public sealed class CoordinatorDowning : ReceiveActor, IWithTimers
{
    private readonly CoordinatorDowningSettings _settings;
    private readonly Akka.Cluster.Cluster _cluster;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Akka.Coordination.Lease? _lease;
    private readonly HashSet<UniqueAddress> _unreachable = [];
    private bool _decided;

    public CoordinatorDowning(CoordinatorDowningSettings settings, Akka.Cluster.Cluster cluster)
    {
        _settings = settings;
        _cluster = cluster;
        if (settings.LeaseImplementation.Length > 0)
        {
            _lease = LeaseProvider.Get(Context.System).GetLease(settings.LeaseName, settings.LeaseImplementation, cluster.SelfAddress.HostPort());
        }
        Receive<ClusterEvent.CurrentClusterState>(state => Changed(() =>
        {
            _unreachable.Clear();
            _unreachable.UnionWith(state.Unreachable.Where(Counts).Select(m => m.UniqueAddress));
        }));
        Receive<ClusterEvent.UnreachableMember>(e => Changed(() => _unreachable.Add(e.Member.UniqueAddress)));
        Receive<ClusterEvent.ReachableMember>(e => Changed(() => _unreachable.Remove(e.Member.UniqueAddress)));
        Receive<ClusterEvent.MemberDowned>(e => Changed(() => _unreachable.Remove(e.Member.UniqueAddress)));
        Receive<ClusterEvent.MemberRemoved>(e => Changed(() => _unreachable.Remove(e.Member.UniqueAddress)));
        Receive<ClusterEvent.MemberExited>(e => Changed(() => _unreachable.Remove(e.Member.UniqueAddress)));
        Receive<ClusterEvent.IMemberEvent>(_ => { });
        Receive<ClusterEvent.IReachabilityEvent>(_ => { });
        Receive<Stable>(_ => Decide());
        Receive<LeaseAnswered>(OnLease);
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(CoordinatorDowningSettings settings, Akka.Cluster.Cluster cluster) =>
        Akka.Actor.Props.Create(() => new CoordinatorDowning(settings, cluster));

    protected override void PreStart() =>
        _cluster.Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsSnapshot,
            typeof(ClusterEvent.IReachabilityEvent), typeof(ClusterEvent.IMemberEvent));

    protected override void PostStop()
    {
        _cluster.Unsubscribe(Self);
        _lease?.Release();
    }

    private void Changed(Action change)
    {
        var before = _unreachable.ToHashSet();
        change();
        if (before.SetEquals(_unreachable))
        {
            return;
        }
        _decided = false;
        if (_unreachable.Count == 0)
        {
            Timers.Cancel("stable");
            return;
        }
        // Any change restarts the wait: decide only on a view that has stopped moving.
        Timers.StartSingleTimer("stable", Stable.Instance, _settings.StableAfter);
    }

    private void Decide()
    {
        if (_decided || _unreachable.Count == 0)
        {
            return;
        }
        var state = _cluster.State;
        var unreachable = state.Members.Where(m => Counts(m) && _unreachable.Contains(m.UniqueAddress)).ToList();
        var coordinators = state.Members.Where(m => Counts(m) && m.HasRole(_settings.Role)).OrderBy(m => m, Member.AgeOrdering).ToList();
        var reachableCoordinators = coordinators.Where(m => !_unreachable.Contains(m.UniqueAddress)).ToList();
        var self = _cluster.SelfMember;
        var verdict = DowningDecision.Decide(
            self.HasRole(_settings.Role),
            reachableCoordinators.FirstOrDefault()?.UniqueAddress == self.UniqueAddress,
            reachableCoordinators.Count,
            coordinators.Count - reachableCoordinators.Count,
            unreachable.Count,
            coordinators.FirstOrDefault() is { } oldest && !_unreachable.Contains(oldest.UniqueAddress),
            _lease is not null);
        switch (verdict)
        {
            case DowningVerdict.None:
                return;
            case DowningVerdict.AskLease:
                _decided = true;
                var minority = DowningDecision.IsMinority(reachableCoordinators.Count, coordinators.Count - reachableCoordinators.Count,
                    coordinators.FirstOrDefault() is { } o && !_unreachable.Contains(o.UniqueAddress));
                var delay = minority ? _settings.AcquireLeaseDelayForMinority : TimeSpan.Zero;
                _log.Info("Coordinators on both sides of a partition: asking for the downing lease{0}", minority ? $" in {delay} (minority side)" : "");
                AcquireAfter(delay);
                return;
            default:
                _decided = true;
                Act(verdict, unreachable);
                return;
        }
    }

    private void AcquireAfter(TimeSpan delay)
    {
        var lease = _lease!;
        var self = Self;
        Task.Delay(delay)
            .ContinueWith(_ => lease.Acquire(), TaskScheduler.Default)
            .Unwrap()
            .PipeTo(self, success: won => new LeaseAnswered(won, null), failure: e => new LeaseAnswered(false, e));
    }

    private void OnLease(LeaseAnswered answer)
    {
        var unreachable = _cluster.State.Members.Where(m => Counts(m) && _unreachable.Contains(m.UniqueAddress)).ToList();
        if (answer.Won)
        {
            Act(DowningVerdict.DownUnreachable, unreachable);
        }
        else
        {
            _log.Warning("The downing lease went to the other side{0}: downing this side", answer.Error is null ? "" : $" (or could not be asked: {answer.Error.Message})");
            Act(DowningVerdict.DownReachable, unreachable);
        }
    }

    private void Act(DowningVerdict verdict, IReadOnlyList<Member> unreachable)
    {
        switch (verdict)
        {
            case DowningVerdict.DownUnreachable:
                _log.Warning("Downing {0} unreachable member(s): {1}", unreachable.Count, string.Join(", ", unreachable.Select(m => m.Address)));
                foreach (var member in unreachable)
                {
                    _cluster.Down(member.Address);
                }
                break;
            case DowningVerdict.DownReachable:
                var side = _cluster.State.Members.Where(m => Counts(m) && !_unreachable.Contains(m.UniqueAddress)).ToList();
                _log.Warning("This side of the partition gives way: downing {0} member(s), this node last", side.Count);
                foreach (var member in side.Where(m => m.UniqueAddress != _cluster.SelfUniqueAddress))
                {
                    _cluster.Down(member.Address);
                }
                _cluster.Down(_cluster.SelfAddress);
                break;
            case DowningVerdict.DownSelf:
                _log.Warning("No coordinator is reachable: this node downs itself and will enrol again");
                _cluster.Down(_cluster.SelfAddress);
                break;
        }
    }

    /// <summary>Members that count: not already on their way out.</summary>
    private static bool Counts(Member m) => m.Status is not (MemberStatus.Down or MemberStatus.Removed or MemberStatus.Exiting);

    private sealed record Stable
    {
        public static Stable Instance { get; } = new();
    }

    private sealed record LeaseAnswered(bool Won, Exception? Error);
}
