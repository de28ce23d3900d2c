using System.Text.Json.Serialization;
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
public sealed record TaskAssigned(string TaskId, int Attempt, [property: JsonConverter(typeof(JournalAddressConverter))] Address Miner, DateTimeOffset At) : IPersistedEvent;

/// <summary>Attempt <paramref name="Attempt"/> was taken from <paramref name="Miner"/>; the task waits for another.</summary>
[EventManifest("scheduler.task-reassigned.v1")]
public sealed record TaskReassigned(
    string TaskId, int Attempt, [property: JsonConverter(typeof(JournalAddressConverter))] Address Miner, string Reason, DateTimeOffset At) : IPersistedEvent;

/// <summary>The result of the current attempt, recorded once; the task leaves the live state.</summary>
[EventManifest("scheduler.task-completed.v1")]
public sealed record TaskCompleted(
    string TaskId,
    int Attempt,
    [property: JsonConverter(typeof(JournalAddressConverter))] Address Miner,
    string OutputDigest,
    byte[] Output,
    string Signature,
    DateTimeOffset At) : IPersistedEvent;

[EventManifest("scheduler.task-failed.v1")]
public sealed record TaskFailed(string TaskId, string Reason, DateTimeOffset At) : IPersistedEvent;

/// <summary>
/// The steps of many tasks in one journal row, in the order they happened: what the scheduler writes when one flush
/// holds more than one step, since the journal's cost is per row (about 1,000 rows/s on SQLite when each waits for its
/// own commit) far more than per byte. Journals written before it hold the single events, which still replay.
/// </summary>
[EventManifest("scheduler.steps.v1")]
public sealed record SchedulerSteps(IReadOnlyList<SchedulerStep> Steps) : IPersistedEvent;

/// <summary>One step in <see cref="SchedulerSteps"/>: exactly one property is set, holding the single event it stands for.</summary>
public sealed record SchedulerStep
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public TaskAcceptedEvent? Accepted { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public TaskAssigned? Assigned { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public TaskReassigned? Reassigned { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public TaskCompleted? Completed { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public TaskFailed? Failed { get; init; }

    /// <summary>The single event this step stands for.</summary>
    /// <exception cref="InvalidOperationException">no property is set (a row this version cannot read).</exception>
    public IPersistedEvent Event =>
        (IPersistedEvent?)Accepted ?? (IPersistedEvent?)Assigned ?? (IPersistedEvent?)Reassigned ?? (IPersistedEvent?)Completed ?? Failed
        ?? throw new InvalidOperationException("A scheduler step holds no event.");

    /// <exception cref="ArgumentException">not one of the scheduler's task events.</exception>
    public static SchedulerStep Of(IPersistedEvent e) => e switch
    {
        TaskAcceptedEvent accepted => new() { Accepted = accepted },
        TaskAssigned assigned => new() { Assigned = assigned },
        TaskReassigned reassigned => new() { Reassigned = reassigned },
        TaskCompleted completed => new() { Completed = completed },
        TaskFailed failed => new() { Failed = failed },
        _ => throw new ArgumentException($"{e.GetType().Name} is not a task step.", nameof(e)),
    };
}

/// <summary>A live task as the v1 snapshot stores it (read from older stores; snapshots are written as <see cref="SchedulerSnapshotV2"/>).</summary>
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

/// <summary>The scheduler's whole durable state as v1 stored it: read from older stores, no longer written.</summary>
[EventManifest("scheduler.snapshot.v1")]
public sealed record SchedulerSnapshot(IReadOnlyList<LiveTaskRecord> Live, IReadOnlyList<TaskOutcome> Recent) : IPersistedEvent;

/// <summary>
/// The scheduler's whole durable state: live tasks and the recent outcomes, oldest first. Against v1, a live task
/// leaves out what a first attempt in the queue has anyway and writes addresses without the EIP-55 checksum, which
/// makes a snapshot of 100,000 queued tasks a quarter smaller and its write several times cheaper.
/// </summary>
[EventManifest("scheduler.snapshot.v2")]
public sealed record SchedulerSnapshotV2(IReadOnlyList<LiveTaskState> Live, IReadOnlyList<TaskOutcome> Recent) : IPersistedEvent;

/// <summary>A live task as <see cref="SchedulerSnapshotV2"/> stores it; each property left out has the value a newly accepted task has.</summary>
public sealed record LiveTaskState
{
    public required TaskAcceptedEvent Accepted { get; init; }

    /// <summary>Attempts made so far; the current one while assigned.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public int Attempt { get; init; }

    /// <summary>The current attempt's miner; null while queued.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    [JsonConverter(typeof(JournalAddressConverter))]
    public Address? Miner { get; init; }

    /// <summary>Miners given an attempt so far; null: none.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    [JsonConverter(typeof(JournalAddressListConverter))]
    public IReadOnlyList<Address>? Tried { get; init; }

    /// <summary>When it last joined the queue; null: when accepted.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DateTimeOffset? QueuedSince { get; init; }
}
