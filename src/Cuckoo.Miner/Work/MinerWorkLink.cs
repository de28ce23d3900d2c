using System.Diagnostics;
using Akka.Actor;
using Akka.Event;
using Cuckoo.Chain;
using Cuckoo.Cluster.Serialization;
using Cuckoo.Cluster.Work;
using Cuckoo.Inference.Catalog;
using Cuckoo.Inference.Models;
using Cuckoo.Inference.Workers;
using Cuckoo.Staking;
using Address = Cuckoo.Chain.Address;

namespace Cuckoo.Miner.Work;

/// <summary>
/// The miner's side of "miners pull work by credits", one per membership. It tells the coordinator's dispatcher (through
/// the leader singleton's proxy) how many tasks it can take, runs what it is assigned on the GPU workers, signs each
/// output with the miner key for the coordinator it was assigned by, and resends every outcome until a dispatcher
/// acknowledges it. A dispatcher that fails over loses nothing: the next one learns the miner's credits from the
/// heartbeat, and outcomes reach it through the proxy.
/// </summary>
public sealed partial class MinerWorkLink : ReceiveActor, IWithTimers
{
    /// <summary>The link's name under /user.</summary>
    public const string Name = "work";

    /// <summary>The coordinators' leader singleton, which hosts the dispatcher (Cuckoo.Coordinator's CoordinatorStore.LeaderSingleton).</summary>
    public const string LeaderSingleton = "leader";

    /// <summary>The role the leader singleton runs on (Cuckoo.Coordinator's CoordinatorNode.Role).</summary>
    public const string CoordinatorRole = "coordinator";

    private const string HeartbeatTimer = "heartbeat";
    private const string ResendTimer = "resend";

    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly EthKey _key;
    private readonly string _miner;
    private readonly Address _coordinator;
    private readonly StakingTypedData _typed;
    private readonly Dictionary<string, ModelTask> _tasks;
    private readonly string[] _models;
    private readonly string _provider;
    private readonly Func<int> _credits;
    private readonly IActorRef _proxy;
    private readonly IReadOnlyDictionary<string, IActorRef> _workers;
    private readonly MinerWorkLinkSettings _settings;
    private readonly Dictionary<AttemptKey, Running> _running = [];
    private readonly Dictionary<AttemptKey, IWireMessage> _unacknowledged = [];
    private readonly Dictionary<AttemptKey, IWireMessage> _finished = [];
    private readonly Queue<AttemptKey> _finishedOrder = new();
    private IActorRef? _dispatcher;
    private long _received;
    private (int Capacity, int Free, long Received)? _advertised;
    private int _lastCredits;
    private bool _draining;
    private long _runs;

    public MinerWorkLink(
        EthKey key, Address coordinator, StakingTypedData typed, ModelCatalog catalog, IReadOnlyList<string> models, string provider,
        Func<int> credits, IActorRef proxy, IReadOnlyDictionary<string, IActorRef> workers, MinerWorkLinkSettings settings)
    {
        _key = key;
        _miner = key.Address.ToString();
        _coordinator = coordinator;
        _typed = typed;
        _tasks = models.ToDictionary(m => m, m => catalog.Get(m).Task);
        _models = [.. models];
        _provider = provider;
        _credits = credits;
        _proxy = proxy;
        _workers = workers;
        _settings = settings;

        Receive<WorkAssigned>(OnAssigned);
        Receive<WorkRevoked>(OnRevoked);
        Receive<WorkAcknowledged>(OnAcknowledged);
        Receive<WorkerAnswer>(OnWorkerAnswer);
        Receive<InferenceStarted>(OnStarted);
        Receive<RetryRun>(OnRetry);
        Receive<Heartbeat>(_ => Advertise(force: true));
        Receive<Resend>(_ => OnResend());
        Receive<DrainWork>(_ =>
        {
            _draining = true;
            _log.Info("taking no more work for coordinator {0}; {1} attempts still run", _coordinator, _running.Count);
            Advertise(force: true);
            Sender.Tell(Status());
        });
        Receive<GetWorkLinkStatus>(_ => Sender.Tell(Status()));
    }

    public ITimerScheduler Timers { get; set; } = null!;

    /// <param name="key">The miner key: signs every result.</param>
    /// <param name="coordinator">The coordinator of this membership: the only one whose assignments the link signs results for.</param>
    /// <param name="typed">The staking contract's typed data (chain id, contract) the results are signed under.</param>
    /// <param name="catalog">Where each served model's task (text-to-image, text detection) is looked up, to convert wire inputs.</param>
    /// <param name="models">The models served; each needs a worker in <paramref name="workers"/>.</param>
    /// <param name="provider">The execution provider advertised ("cpu", "cuda").</param>
    /// <param name="credits">Tasks the link may hold at once for this coordinator; read at every heartbeat, so it may change live.</param>
    /// <param name="proxy">The leader singleton's proxy (role coordinator), through which the dispatcher is reached.</param>
    /// <param name="workers">The GPU worker supervisor of each model.</param>
    public static Props Props(
        EthKey key, Address coordinator, StakingTypedData typed, ModelCatalog catalog, IReadOnlyList<string> models, string provider,
        Func<int> credits, IActorRef proxy, IReadOnlyDictionary<string, IActorRef> workers, MinerWorkLinkSettings? settings = null)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(typed);
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(credits);
        ArgumentNullException.ThrowIfNull(proxy);
        foreach (var model in models.Where(m => !catalog.Contains(m) || !workers.ContainsKey(m)))
        {
            throw new ArgumentException($"model '{model}' needs a catalog entry and a worker", nameof(models));
        }
        var s = settings ?? new MinerWorkLinkSettings();
        return Akka.Actor.Props.Create(() => new MinerWorkLink(key, coordinator, typed, catalog, models, provider, credits, proxy, workers, s));
    }

    protected override void PreStart()
    {
        Timers.StartPeriodicTimer(HeartbeatTimer, Heartbeat.Instance, _settings.Heartbeat);
        Timers.StartPeriodicTimer(ResendTimer, Resend.Instance, _settings.ResendInterval);
        Advertise(force: true);
    }

    private void OnAssigned(WorkAssigned work)
    {
        // A new dispatcher incarnation counts its assignments from zero.
        if (!Equals(Sender, _dispatcher))
        {
            _dispatcher = Sender;
            _received = 0;
        }
        _received++;
        var key = new AttemptKey(work.TaskId, work.Attempt);
        if (_finished.TryGetValue(key, out var outcome))
        {
            // The dispatcher that assigns it again has not recorded it: it is owed an acknowledgement again.
            _log.Info("task {0} was assigned again; answering from the finished attempts", key);
            _unacknowledged[key] = outcome;
            Sender.Tell(outcome);
        }
        else if (_running.TryGetValue(key, out var already))
        {
            // Already running: one run, and its outcome goes to the dispatcher that asked last (it may have failed over).
            already.Dispatcher = Sender;
            if (already.Started)
            {
                Sender.Tell(new WorkStarted(key.TaskId, key.Attempt, _miner));
            }
        }
        else if (_draining)
        {
            Record(key, work, Sender, "this miner is shutting down");
        }
        else if (!Address.TryParse(work.Coordinator, out var coordinator) || coordinator != _coordinator)
        {
            Record(key, work, Sender, $"assigned for coordinator '{work.Coordinator}', but this link serves {_coordinator}");
        }
        else if (!_tasks.TryGetValue(work.Model, out var task))
        {
            Record(key, work, Sender, $"model not served: '{work.Model}' is not among this miner's models ({string.Join(", ", _models)})");
        }
        else if (!WorkInputs.TryConvert(task, work.Input, work.Parameters, out var input, out var problem))
        {
            Record(key, work, Sender, $"bad input: {problem}");
        }
        else
        {
            var running = new Running(work, Sender, ++_runs, $"{work.TaskId}#{work.Attempt}", input!, Stopwatch.GetTimestamp());
            _running[key] = running;
            _log.Info("task {0} started on {1}", key, work.Model);
            Run(key, running);
        }
        Advertise(force: false);
    }

    /// <summary>Hands the attempt to its model's worker with what is left of its deadline; the answer comes back as a <see cref="WorkerAnswer"/>.</summary>
    private void Run(AttemptKey key, Running running)
    {
        var left = TimeSpan.FromMilliseconds(running.Work.DeadlineMs) - Stopwatch.GetElapsedTime(running.AssignedAt);
        if (left <= TimeSpan.Zero)
        {
            Finish(key, running, $"{InferenceFailure.DeadlineExceeded}: the deadline passed before the worker took the task");
            return;
        }
        var seq = running.Seq;
        _workers[running.Work.Model]
            .Ask<object>(new RunInference(running.RunId, running.Work.Model, running.Input, left, StartedTo: Self), left + _settings.WorkerAnswerGrace)
            .PipeTo(Self, success: answer => new WorkerAnswer(key, seq, answer), failure: e => new WorkerAnswer(key, seq, e));
    }

    /// <summary>The worker's session began the attempt: the dispatcher (and through it the app) learns that it runs.</summary>
    private void OnStarted(InferenceStarted started)
    {
        if (_running.Values.FirstOrDefault(r => r.RunId == started.TaskId) is not { Started: false } running)
        {
            return;
        }
        running.Started = true;
        running.Dispatcher.Tell(new WorkStarted(running.Work.TaskId, running.Work.Attempt, _miner));
    }

    private void OnWorkerAnswer(WorkerAnswer answer)
    {
        // Not running any more (revoked) or a stale run of it: its answer, a Cancelled most likely, goes nowhere.
        if (!_running.TryGetValue(answer.Key, out var running) || running.Seq != answer.Seq)
        {
            return;
        }
        switch (answer.Answer)
        {
            case InferenceSucceeded succeeded:
                Complete(answer.Key, running, succeeded);
                break;
            case InferenceFailed failed:
                Finish(answer.Key, running, $"{failed.Reason}: {failed.Message}");
                break;
            case RefusedWhileRestarting when running.Retries < _settings.MaxRestartRetries:
                running.Retries++;
                Timers.StartSingleTimer(RetryTimer(answer.Key), new RetryRun(answer.Key, running.Seq), _settings.RestartRetryDelay);
                break;
            case RefusedWhileRestarting:
                Finish(answer.Key, running, $"{InferenceFailure.WorkerRestarting}: the worker of '{running.Work.Model}' kept restarting");
                break;
            case Exception e:
                _workers[running.Work.Model].Tell(new CancelInference(running.RunId));
                Finish(answer.Key, running, $"the worker of '{running.Work.Model}' did not answer: {e.Message}");
                break;
            default:
                Finish(answer.Key, running, $"the worker of '{running.Work.Model}' answered {answer.Answer.GetType().Name}");
                break;
        }
    }

    private void OnRetry(RetryRun retry)
    {
        if (_running.TryGetValue(retry.Key, out var running) && running.Seq == retry.Seq)
        {
            Run(retry.Key, running);
        }
    }

    /// <summary>Tells the dispatcher the link's credits: always on a heartbeat, otherwise when what it would say changed.</summary>
    private void Advertise(bool force)
    {
        var credits = Math.Max(0, _credits());
        if (credits != _lastCredits)
        {
            _log.Debug("credits for coordinator {0}: {1} (were {2})", _coordinator, credits, _lastCredits);
            _lastCredits = credits;
        }
        var free = _draining ? 0 : Math.Max(0, credits - _running.Count);
        var now = (credits, free, _received);
        if (!force && _advertised == now)
        {
            return;
        }
        _advertised = now;
        _proxy.Tell(new WorkRequested(_miner, _models, credits, free, _received, _provider));
    }

    private WorkLinkStatus Status() => new(_lastCredits, _running.Count, _unacknowledged.Count, _draining);

    private static string RetryTimer(AttemptKey key) => "retry:" + key;

    private readonly record struct AttemptKey(string TaskId, int Attempt)
    {
        public override string ToString() => $"{TaskId}#{Attempt}";
    }

    /// <summary>An attempt given to a worker; <see cref="Seq"/> tells its answers from those of an earlier run of the same attempt.</summary>
    private sealed class Running(WorkAssigned work, IActorRef dispatcher, long seq, string runId, ModelInput input, long assignedAt)
    {
        public WorkAssigned Work { get; } = work;
        public IActorRef Dispatcher { get; set; } = dispatcher;
        public long Seq { get; } = seq;
        public string RunId { get; } = runId;
        public ModelInput Input { get; } = input;
        public long AssignedAt { get; } = assignedAt;
        public int Retries { get; set; }

        /// <summary>The session began it, and the dispatcher was told.</summary>
        public bool Started { get; set; }
    }

    private sealed record WorkerAnswer(AttemptKey Key, long Seq, object Answer);

    private sealed record RetryRun(AttemptKey Key, long Seq);

    private sealed record Heartbeat
    {
        public static readonly Heartbeat Instance = new();
    }

    private sealed record Resend
    {
        public static readonly Resend Instance = new();
    }
}
