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

    public HashSet<Address> Tried { get; } = [];

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

    public LiveTaskRecord ToRecord() => new(Accepted, Attempt, Miner, [.. Tried], QueuedSince);

    public static LiveTask From(LiveTaskRecord record)
    {
        var task = new LiveTask(record.Accepted) { Attempt = record.Attempt, Miner = record.Miner, QueuedSince = record.QueuedSince };
        task.Tried.UnionWith(record.Tried);
        return task;
    }
}
