using Akka.Actor;
using Cuckoo.Cluster.Work;
using Cuckoo.Coordinator.Registry;
using Cuckoo.Coordinator.Scheduler;
using Cuckoo.Coordinator.Trust;
using Cuckoo.Staking;
using Address = Cuckoo.Chain.Address;

namespace Cuckoo.Simulation;

/// <summary>
/// Stands in for the cluster and its miners: takes the scheduler's <see cref="DispatchTask"/> and
/// <see cref="RevokeTask"/>, runs each simulated miner's behaviour at once, and answers as the real dispatcher would:
/// a <see cref="ReportResult"/> with the miner's EIP-712 signature over <see cref="WorkTask.For"/>, or a
/// <see cref="ReportFailure"/>, or nothing (the deadline). As the miners' work links do, it gives each miner's credits
/// back to the registry when a run ends and tells the scheduler <see cref="CreditsFreed"/>, and repeats every miner's
/// credits at each heartbeat, which sets right the credits of picks the scheduler dropped. It also keeps what every
/// miner did, and how many runs a miner had when the trust keeper jailed it.
/// </summary>
internal sealed class SimDispatcher : ReceiveActor, IWithTimers
{
    private readonly StakingTypedData _typed;
    private readonly Address _coordinator;
    private readonly IActorRef _registry;
    private readonly int _capacity;
    private readonly Dictionary<Address, Miner> _miners;
    private readonly Dictionary<(string TaskId, int Attempt), (Address Miner, string Model)> _silent = [];
    private IActorRef _scheduler = ActorRefs.Nobody;

    public SimDispatcher(IReadOnlyList<SimMiner> miners, StakingTypedData typed, Address coordinator, IActorRef registry, int capacity)
    {
        _typed = typed;
        _coordinator = coordinator;
        _registry = registry;
        _capacity = capacity;
        _miners = miners.ToDictionary(m => m.Address, m => new Miner(m) { Free = capacity });

        Receive<SchedulerStarted>(m => { _scheduler = m.Scheduler; });
        Receive<DispatchTask>(OnDispatch);
        Receive<RevokeTask>(OnRevoke);
        Receive<MinerJailed>(OnJailed);
        Receive<ResultAccepted>(_ => { });
        Receive<ResultRefused>(_ => { });
        Receive<Heartbeat>(_ =>
        {
            foreach (var miner in _miners.Values)
            {
                _registry.Tell(new SetCredits(miner.Sim.Address, miner.Free));
            }
        });
        Receive<GetMinerTallies>(_ => Sender.Tell(new MinerTallies(_miners.ToDictionary(p => p.Key, p => p.Value.Tally()))));
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(IReadOnlyList<SimMiner> miners, StakingTypedData typed, Address coordinator, IActorRef registry, int capacity) =>
        Akka.Actor.Props.Create(() => new SimDispatcher(miners, typed, coordinator, registry, capacity));

    protected override void PreStart() => Timers.StartPeriodicTimer("heartbeat", Heartbeat.Instance, TimeSpan.FromMilliseconds(200));

    private void OnDispatch(DispatchTask task)
    {
        if (!_miners.TryGetValue(task.Miner, out var miner))
        {
            _scheduler.Tell(new ReportFailure(task.TaskId, task.Miner, task.Attempt, "not a simulated miner"));
            return;
        }
        miner.Runs++;
        miner.Free = Math.Max(0, miner.Free - 1);
        switch (miner.Sim.Run(task.TaskId, task.Model, task.Input))
        {
            case RunOutcome.Output output:
                miner.Results++;
                miner.Faked += output.Faked ? 1 : 0;
                var digest = SimModel.DigestOf(output.Bytes);
                var signature = Sign(miner.Sim, task, digest);
                // Credits first, as a work link reports them: a task the result wakes finds the miner free again.
                Release(miner);
                _scheduler.Tell(new ReportResult(task.TaskId, task.Miner, task.Attempt, digest, output.Bytes, signature));
                _scheduler.Tell(new CreditsFreed([task.Model], 1));
                break;
            case RunOutcome.Failure:
                miner.Failures++;
                Release(miner);
                _scheduler.Tell(new ReportFailure(task.TaskId, task.Miner, task.Attempt, "the simulated miner crashed"));
                _scheduler.Tell(new CreditsFreed([task.Model], 1));
                break;
            case RunOutcome.Silence:
                miner.Silences++;
                _silent[(task.TaskId, task.Attempt)] = (task.Miner, task.Model);
                break;
        }
    }

    private void OnRevoke(RevokeTask m)
    {
        // Only a silent run still holds its credit; a revoke of one already answered is the scheduler tidying up.
        if (_silent.Remove((m.TaskId, m.Attempt), out var run) && _miners.TryGetValue(run.Miner, out var miner))
        {
            Release(miner);
            _scheduler.Tell(new CreditsFreed([run.Model], 1));
        }
    }

    private void OnJailed(MinerJailed m)
    {
        if (_miners.TryGetValue(m.Miner, out var miner) && miner.RunsUntilJailed is null)
        {
            miner.RunsUntilJailed = miner.Runs;
            miner.JailReason = m.Reason;
        }
    }

    /// <summary>Gives a run's credit back and tells the registry the miner's count, as a work link's report does.</summary>
    private void Release(Miner miner)
    {
        miner.Free = Math.Min(_capacity, miner.Free + 1);
        _registry.Tell(new SetCredits(miner.Sim.Address, miner.Free));
    }

    private string Sign(SimMiner miner, DispatchTask task, string digest)
    {
        var work = new WorkAssigned(task.TaskId, task.Attempt, task.Model, task.Input, null, (long)task.Deadline.TotalMilliseconds, _coordinator.ToString());
        return WorkTask.SignResult(_typed, miner.Key, work, digest);
    }

    private sealed class Miner(SimMiner sim)
    {
        public SimMiner Sim { get; } = sim;

        public int Free { get; set; }

        public int Runs { get; set; }

        public int Results { get; set; }

        public int Faked { get; set; }

        public int Failures { get; set; }

        public int Silences { get; set; }

        public int? RunsUntilJailed { get; set; }

        public string? JailReason { get; set; }

        public MinerTally Tally() => new(Runs, Results, Faked, Failures, Silences, RunsUntilJailed, JailReason);
    }

    private sealed class Heartbeat
    {
        public static readonly Heartbeat Instance = new();
    }
}
