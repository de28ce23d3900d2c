using Akka.Actor;
using Address = Cuckoo.Chain.Address;

namespace Cuckoo.Coordinator.Scheduler;

/// <summary>An unfinished task: its durable fields come from events; the rest is the scheduler's bookkeeping, rebuilt after a restart.</summary>
internal sealed class LiveTask(TaskAcceptedEvent accepted)
{
    public TaskAcceptedEvent Accepted { get; } = accepted;

    public string Id => Accepted.TaskId;

    /// <summary>Attempts made so far; the current one while assigned.</summary>
    public int Attempt { get; set; }

    public Address? Miner { get; set; }

    /// <summary>Miners given an attempt so far; null until the first (most tasks need one attempt: no set for them until assigned).</summary>
    public HashSet<Address>? Tried { get; private set; }

    public DateTimeOffset QueuedSince { get; set; } = accepted.At;

    /// <summary>A pick was sent to the registry and not answered yet; answers at other times are stale.</summary>
    public bool PickInFlight { get; set; }

    /// <summary>Why the registry last found no miner, for the failure reason if none is ever found.</summary>
    public string? LastNoMiner { get; set; }

    /// <summary>Bumped whenever the task's deadline or retry changes, so that entries left in the due queue are recognised as stale.</summary>
    public int Version { get; set; }

    public List<IActorRef>? Subscribers { get; set; }

    public TaskStatus Status => Miner is { } miner
        ? new TaskStatus.Assigned(Id, miner, Attempt)
        : new TaskStatus.Queued(Id, Attempt);

    public void AddTried(Address miner) => (Tried ??= []).Add(miner);

    public LiveTaskState ToState() => new()
    {
        Accepted = Accepted,
        Attempt = Attempt,
        Miner = Miner,
        Tried = Tried is { Count: > 0 } tried ? [.. tried] : null,
        QueuedSince = QueuedSince == Accepted.At ? null : QueuedSince,
    };

    public static LiveTask From(LiveTaskState state)
    {
        var task = new LiveTask(state.Accepted) { Attempt = state.Attempt, Miner = state.Miner, QueuedSince = state.QueuedSince ?? state.Accepted.At };
        foreach (var miner in state.Tried ?? [])
        {
            task.AddTried(miner);
        }
        return task;
    }

    public static LiveTask From(LiveTaskRecord record) => From(new LiveTaskState
    {
        Accepted = record.Accepted, Attempt = record.Attempt, Miner = record.Miner, Tried = record.Tried, QueuedSince = record.QueuedSince,
    });
}
