using Akka.Actor;
using Address = Cuckoo.Chain.Address;

namespace Cuckoo.Coordinator.Scheduler;

/// <summary>One attempt running on a miner now.</summary>
internal sealed class Run(int attempt, Address miner)
{
    public int Attempt { get; } = attempt;

    public Address Miner { get; } = miner;

    /// <summary>When it is taken from its miner; not durable: armed again from the deadline after a restart.</summary>
    public DateTimeOffset Due { get; set; }

    /// <summary>The miner's model began it; not durable: the miner says so again when the attempt is dispatched again.</summary>
    public bool Started { get; set; }
}

/// <summary>
/// An unfinished task: its durable fields come from events; the rest is the scheduler's bookkeeping, rebuilt after a
/// restart. Most tasks need one result and run once; a verified or audited task runs on several miners at once, and
/// every attempt is running, has a recorded result, or failed, so the failures need no field of their own.
/// </summary>
internal sealed class LiveTask(TaskAcceptedEvent accepted)
{
    public TaskAcceptedEvent Accepted { get; } = accepted;

    public string Id => Accepted.TaskId;

    /// <summary>Results of distinct miners the task needs before a majority decides: 1, its <c>verify</c>, or 2 for an audit.</summary>
    public int Required => Math.Max(1, Accepted.Required);

    /// <summary>Attempts made so far: the highest attempt number given out.</summary>
    public int Attempt { get; set; }

    /// <summary>Attempts running now, oldest first; null while none (most tasks have at most one).</summary>
    public List<Run>? Runs { get; private set; }

    public int RunCount => Runs?.Count ?? 0;

    /// <summary>Results recorded while the task waits for agreement; null for a task that completes on its first result.</summary>
    public List<TaskResult>? Results { get; private set; }

    public int ResultCount => Results?.Count ?? 0;

    public int Failures => Attempt - RunCount - ResultCount;

    /// <summary>Miners given an attempt so far; null until the first (most tasks need one attempt: no set for them until assigned).</summary>
    public HashSet<Address>? Tried { get; private set; }

    public DateTimeOffset QueuedSince { get; set; } = accepted.At;

    /// <summary>Acceptance order in this incarnation (a restored task's, the snapshot's order): the waiting queue's tie-break.</summary>
    public long Order { get; set; }

    /// <summary>In the scheduler's <see cref="WaitingQueue"/>: the registry found no miner for it, and it waits for credits.</summary>
    public bool Waiting { get; set; }

    /// <summary>A pick was sent to the registry and not answered yet; answers at other times are stale.</summary>
    public bool PickInFlight { get; set; }

    /// <summary>When the task asks the registry again if it still wants a miner then; null: it wants none.</summary>
    public DateTimeOffset? PickRetryAt { get; set; }

    /// <summary>Why the registry last found no miner, for the failure reason if none is ever found.</summary>
    public string? LastNoMiner { get; set; }

    /// <summary>When the first result came in, to stop waiting for an auditor; not durable.</summary>
    public DateTimeOffset? FirstResultAt { get; set; }

    /// <summary>Bumped whenever the task's next due time changes, so that entries left in the due queue are recognised as stale.</summary>
    public int Version { get; set; }

    public List<IActorRef>? Subscribers { get; set; }

    /// <summary>The newest running attempt, as a status shows it.</summary>
    public Run? Latest => Runs is { Count: > 0 } runs ? runs[^1] : null;

    public TaskStatus Status => Latest is { } run
        ? new TaskStatus.Assigned(Id, run.Miner, run.Attempt, run.Started)
        : new TaskStatus.Queued(Id, Attempt);

    public Run? FindRun(int attempt, Address miner) => Runs?.Find(r => r.Attempt == attempt && r.Miner == miner);

    public Run? FindRun(int attempt) => Runs?.Find(r => r.Attempt == attempt);

    public void AddRun(Run run) => (Runs ??= []).Add(run);

    public void RemoveRun(Run run)
    {
        Runs?.Remove(run);
        if (Runs is { Count: 0 })
        {
            Runs = null;
        }
    }

    /// <summary>
    /// The results in groups of agreeing ones, as the scheduler last computed them; null until then and after each new
    /// result. Kept because a comparison may decode two images, and the groups are asked for on every pick and credit.
    /// </summary>
    public List<List<TaskResult>>? Groups { get; set; }

    public void AddResult(TaskResult result)
    {
        (Results ??= []).Add(result);
        Groups = null;
    }

    public void AddTried(Address miner) => (Tried ??= []).Add(miner);

    public LiveTaskState ToState()
    {
        // One run of the latest attempt is written as before runs were several, which older versions read too.
        var single = Runs is [var only] && only.Attempt == Attempt ? only : null;
        return new()
        {
            Accepted = Accepted,
            Attempt = Attempt,
            Miner = single?.Miner,
            Runs = single is null && Runs is { Count: > 0 } runs ? [.. runs.Select(r => new RunState(r.Attempt, r.Miner))] : null,
            Results = Results is { Count: > 0 } results ? [.. results] : null,
            Tried = Tried is { Count: > 0 } tried ? [.. tried] : null,
            QueuedSince = QueuedSince == Accepted.At ? null : QueuedSince,
        };
    }

    public static LiveTask From(LiveTaskState state)
    {
        var task = new LiveTask(state.Accepted) { Attempt = state.Attempt, QueuedSince = state.QueuedSince ?? state.Accepted.At };
        if (state.Miner is { } miner)
        {
            task.AddRun(new Run(state.Attempt, miner));
        }
        foreach (var run in state.Runs ?? [])
        {
            task.AddRun(new Run(run.Attempt, run.Miner));
        }
        foreach (var result in state.Results ?? [])
        {
            task.AddResult(result);
        }
        foreach (var tried in state.Tried ?? [])
        {
            task.AddTried(tried);
        }
        return task;
    }

    public static LiveTask From(LiveTaskRecord record) => From(new LiveTaskState
    {
        Accepted = record.Accepted, Attempt = record.Attempt, Miner = record.Miner, Tried = record.Tried, QueuedSince = record.QueuedSince,
    });
}
