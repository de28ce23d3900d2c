using Cuckoo.Persistence;
using Address = Cuckoo.Chain.Address;

namespace Cuckoo.Coordinator.Scheduler;

/// <summary>The task was accepted: from here on it is completed or failed, whatever crashes.</summary>
[EventManifest("scheduler.task-accepted.v1")]
public sealed record TaskAcceptedEvent(
    string TaskId,
    string AppId,
    string Model,
    byte[] Input,
    IReadOnlyDictionary<string, string>? Parameters,
    IReadOnlyList<Address>? PinnedMiners,
    TimeSpan Deadline,
    DateTimeOffset At) : IPersistedEvent;

[EventManifest("scheduler.task-assigned.v1")]
public sealed record TaskAssigned(string TaskId, int Attempt, Address Miner, DateTimeOffset At) : IPersistedEvent;

/// <summary>Attempt <paramref name="Attempt"/> was taken from <paramref name="Miner"/>; the task waits for another.</summary>
[EventManifest("scheduler.task-reassigned.v1")]
public sealed record TaskReassigned(string TaskId, int Attempt, Address Miner, string Reason, DateTimeOffset At) : IPersistedEvent;

/// <summary>The result of the current attempt, recorded once; the task leaves the live state.</summary>
[EventManifest("scheduler.task-completed.v1")]
public sealed record TaskCompleted(
    string TaskId,
    int Attempt,
    Address Miner,
    string OutputDigest,
    byte[] Output,
    string Signature,
    DateTimeOffset At) : IPersistedEvent;

[EventManifest("scheduler.task-failed.v1")]
public sealed record TaskFailed(string TaskId, string Reason, DateTimeOffset At) : IPersistedEvent;

/// <summary>A live task as the snapshot stores it.</summary>
/// <param name="Miner">The current attempt's miner; null while queued.</param>
public sealed record LiveTaskRecord(
    TaskAcceptedEvent Accepted,
    int Attempt,
    Address? Miner,
    IReadOnlyList<Address> Tried,
    DateTimeOffset QueuedSince);

/// <summary>A finished task kept for <see cref="GetTask"/> and for idempotent resubmission; exactly one of Result and FailureReason is set.</summary>
public sealed record TaskOutcome(string TaskId, string AppId, TaskResult? Result, string? FailureReason)
{
    public TaskStatus Status => Result is { } result
        ? new TaskStatus.Completed(TaskId, result)
        : new TaskStatus.Failed(TaskId, FailureReason ?? "failed");
}

/// <summary>The scheduler's whole durable state: live tasks and the recent outcomes, oldest first.</summary>
[EventManifest("scheduler.snapshot.v1")]
public sealed record SchedulerSnapshot(IReadOnlyList<LiveTaskRecord> Live, IReadOnlyList<TaskOutcome> Recent) : IPersistedEvent;
