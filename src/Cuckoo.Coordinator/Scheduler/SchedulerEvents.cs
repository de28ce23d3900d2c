using System.Text.Json.Serialization;
using Cuckoo.Coordinator.Trust;
using Cuckoo.Persistence;
using Address = Cuckoo.Chain.Address;

namespace Cuckoo.Coordinator.Scheduler;

/// <summary>The task was accepted: from here on it is completed or failed, whatever crashes.</summary>
/// <param name="Required">Results of distinct miners it needs before a majority decides; 0 (what journals before verification hold) means 1.</param>
/// <param name="Audited">Required is 2 because the coordinator drew this task for an audit, not because the app asked.</param>
[EventManifest("scheduler.task-accepted.v1")]
public sealed record TaskAcceptedEvent(
    string TaskId,
    string AppId,
    string Model,
    byte[] Input,
    IReadOnlyDictionary<string, string>? Parameters,
    IReadOnlyList<Address>? PinnedMiners,
    TimeSpan Deadline,
    DateTimeOffset At,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] int Required = 0,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] bool Audited = false) : IPersistedEvent;

[EventManifest("scheduler.task-assigned.v1")]
public sealed record TaskAssigned(string TaskId, int Attempt, [property: JsonConverter(typeof(JournalAddressConverter))] Address Miner, DateTimeOffset At) : IPersistedEvent;

/// <summary>Attempt <paramref name="Attempt"/> was taken from <paramref name="Miner"/>; the task waits for another.</summary>
[EventManifest("scheduler.task-reassigned.v1")]
public sealed record TaskReassigned(
    string TaskId, int Attempt, [property: JsonConverter(typeof(JournalAddressConverter))] Address Miner, string Reason, DateTimeOffset At) : IPersistedEvent;

/// <summary>
/// One result of a task that needs several to agree, recorded while it waits for the others; the attempt is no longer
/// running. The task completes (<see cref="TaskCompleted"/>) once enough of them agree.
/// </summary>
[EventManifest("scheduler.task-result-recorded.v1")]
public sealed record TaskResultRecorded(
    string TaskId,
    int Attempt,
    [property: JsonConverter(typeof(JournalAddressConverter))] Address Miner,
    string OutputDigest,
    byte[] Output,
    string Signature,
    DateTimeOffset At) : IPersistedEvent;

/// <summary>
/// The task's result, recorded once; the task leaves the live state. For a task run once it is the attempt's result;
/// for one that needed agreement, the first result of the majority, with <paramref name="Runs"/> saying of every recorded
/// result whether it agreed.
/// </summary>
/// <param name="Audited">The agreement was an audit the coordinator drew, not the app's <c>verify</c>.</param>
[EventManifest("scheduler.task-completed.v1")]
public sealed record TaskCompleted(
    string TaskId,
    int Attempt,
    [property: JsonConverter(typeof(JournalAddressConverter))] Address Miner,
    string OutputDigest,
    byte[] Output,
    string Signature,
    DateTimeOffset At,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<RunResult>? Runs = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] bool Audited = false) : IPersistedEvent;

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
    public TaskResultRecorded? Recorded { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public TaskCompleted? Completed { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public TaskFailed? Failed { get; init; }

    /// <summary>The single event this step stands for.</summary>
    /// <exception cref="InvalidOperationException">no property is set (a row this version cannot read).</exception>
    public IPersistedEvent Event =>
        (IPersistedEvent?)Accepted ?? (IPersistedEvent?)Assigned ?? (IPersistedEvent?)Reassigned ?? (IPersistedEvent?)Recorded ?? (IPersistedEvent?)Completed ?? Failed
        ?? throw new InvalidOperationException("A scheduler step holds no event.");

    /// <exception cref="ArgumentException">not one of the scheduler's task events.</exception>
    public static SchedulerStep Of(IPersistedEvent e) => e switch
    {
        TaskAcceptedEvent accepted => new() { Accepted = accepted },
        TaskAssigned assigned => new() { Assigned = assigned },
        TaskReassigned reassigned => new() { Reassigned = reassigned },
        TaskResultRecorded recorded => new() { Recorded = recorded },
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
/// <param name="Model">With <paramref name="InputDigest"/> (SHA-256 of the input, 0x hex), what the trust keeper is told again after a restart; null in older snapshots.</param>
/// <param name="Runs">Every result of a task that needed agreement and whether it agreed; null for a task run once.</param>
public sealed record TaskOutcome(
    string TaskId,
    string AppId,
    TaskResult? Result,
    string? FailureReason,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Model = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? InputDigest = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<RunResult>? Runs = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] bool Audited = false)
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

    /// <summary>Attempts running now when they are not just the latest one (that is <see cref="Miner"/>); null: none.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<RunState>? Runs { get; init; }

    /// <summary>Results recorded while the task waits for agreement; null: none.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<TaskResult>? Results { get; init; }

    /// <summary>Miners given an attempt so far; null: none.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    [JsonConverter(typeof(JournalAddressListConverter))]
    public IReadOnlyList<Address>? Tried { get; init; }

    /// <summary>When it last joined the queue; null: when accepted.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DateTimeOffset? QueuedSince { get; init; }
}

/// <summary>A running attempt in <see cref="LiveTaskState.Runs"/>.</summary>
public sealed record RunState(int Attempt, [property: JsonConverter(typeof(JournalAddressConverter))] Address Miner);
