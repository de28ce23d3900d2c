using System.Text;
using Akka.Actor;
using Cuckoo.Coordinator.Scheduler;
using TaskStatus = Cuckoo.Coordinator.Scheduler.TaskStatus;

namespace Cuckoo.Simulation;

/// <summary>How the submitted tasks ended, as the app saw them.</summary>
/// <param name="FakedOutputs">Completed with bytes that are not the model's: fakes that reached the app.</param>
/// <param name="LastCompleted">The task that completed last; null when none did.</param>
/// <param name="FailureSamples">The first few failed tasks with the scheduler's reason.</param>
internal sealed record DriverTally(
    int Submitted, int Completed, int Failed, int FakedOutputs, int Rejections, string? LastCompleted, IReadOnlyList<string> FailureSamples);

/// <summary>
/// The app: submits the simulation's tasks with at most <c>inFlight</c> unfinished at once, follows every task through
/// the scheduler's <see cref="WatchTasks"/> feed, checks each completed output against the model, and completes
/// <c>done</c> once every task has completed or failed.
/// </summary>
internal sealed class SimDriver : ReceiveActor, IWithTimers
{
    private const string AppId = "sim-app";

    private readonly IActorRef _scheduler;
    private readonly int _tasks;
    private readonly int _inFlight;
    private readonly int _verify;
    private readonly int _seed;
    private readonly TaskCompletionSource<DriverTally> _done;
    private readonly HashSet<string> _open = [];
    private readonly Queue<int> _retry = new();
    private int _next;
    private int _completed;
    private int _failed;
    private int _faked;
    private int _rejections;
    private string? _lastCompleted;
    private readonly List<string> _failures = [];

    public SimDriver(IActorRef scheduler, int tasks, int inFlight, int verify, int seed, TaskCompletionSource<DriverTally> done)
    {
        _scheduler = scheduler;
        _tasks = tasks;
        _inFlight = inFlight;
        _verify = verify;
        _seed = seed;
        _done = done;

        Receive<TaskAccepted>(_ => { });
        Receive<TaskRejected>(OnRejected);
        Receive<TaskObserved>(OnObserved);
        Receive<Resubmit>(_ => Fill());
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(IActorRef scheduler, int tasks, int inFlight, int verify, int seed, TaskCompletionSource<DriverTally> done) =>
        Akka.Actor.Props.Create(() => new SimDriver(scheduler, tasks, inFlight, verify, seed, done));

    internal static string TaskIdOf(int seed, int index) => $"sim-{seed}-{index}";

    internal static byte[] InputOf(int seed, int index) => Encoding.UTF8.GetBytes($"input {seed}/{index}");

    protected override void PreStart()
    {
        // Before the first submission, from the same sender: the feed sees every task from its acceptance.
        _scheduler.Tell(new WatchTasks(Self));
        Fill();
    }

    private void Fill()
    {
        while (_open.Count < _inFlight && (_retry.Count > 0 || _next < _tasks))
        {
            var index = _retry.Count > 0 ? _retry.Dequeue() : _next++;
            var id = TaskIdOf(_seed, index);
            _open.Add(id);
            _scheduler.Tell(new SubmitTask(id, AppId, SimModel.Name, InputOf(_seed, index), Verify: _verify));
        }
        if (_open.Count == 0 && _next >= _tasks && _retry.Count == 0)
        {
            _done.TrySetResult(new DriverTally(_tasks, _completed, _failed, _faked, _rejections, _lastCompleted, _failures));
        }
    }

    private void OnRejected(TaskRejected m)
    {
        // A full queue is the scheduler's back-pressure: the task goes again after its Retry-After.
        _rejections++;
        if (_open.Remove(m.TaskId) && int.TryParse(m.TaskId.AsSpan(m.TaskId.LastIndexOf('-') + 1), out var index))
        {
            _retry.Enqueue(index);
            Timers.StartSingleTimer("resubmit", Resubmit.Instance, m.RetryAfter ?? TimeSpan.FromMilliseconds(100));
        }
    }

    private void OnObserved(TaskObserved m)
    {
        switch (m.Status)
        {
            case TaskStatus.Completed completed when _open.Remove(completed.TaskId):
                _completed++;
                _lastCompleted = completed.TaskId;
                var index = int.Parse(completed.TaskId.AsSpan(completed.TaskId.LastIndexOf('-') + 1));
                if (!completed.Result.Output.AsSpan().SequenceEqual(SimModel.Run(SimModel.Name, InputOf(_seed, index))))
                {
                    _faked++;
                }
                Fill();
                break;
            case TaskStatus.Failed failed when _open.Remove(failed.TaskId):
                _failed++;
                if (_failures.Count < 5)
                {
                    _failures.Add($"{failed.TaskId}: {failed.Reason}");
                }
                Fill();
                break;
        }
    }

    private sealed class Resubmit
    {
        public static readonly Resubmit Instance = new();
    }
}
