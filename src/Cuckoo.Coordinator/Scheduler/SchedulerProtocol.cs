using Akka.Actor;
using Address = Cuckoo.Chain.Address;

namespace Cuckoo.Coordinator.Scheduler;

// Commands (to the scheduler). Every reply goes out only after the events it reports on are journaled.

/// <summary>
/// An app's task. Replied with <see cref="TaskAccepted"/> once its acceptance is journaled, or <see cref="TaskRejected"/>.
/// Submitting an id again is idempotent: the reply is <see cref="TaskAccepted"/> with <c>Duplicate</c> and the current state.
/// </summary>
/// <param name="PinnedMiners">The task's <c>miners: [...]</c>: only these are picked from; null or empty: any eligible miner.</param>
/// <param name="Deadline">How long one attempt may run before it is given to another miner; null: the settings' default.</param>
/// <param name="Verify">Distinct miners that run it side by side (1 to the settings' MaxVerify); a strict majority of their results decides.</param>
public sealed record SubmitTask(
    string TaskId,
    string AppId,
    string Model,
    byte[] Input,
    IReadOnlyDictionary<string, string>? Parameters = null,
    IReadOnlyList<Address>? PinnedMiners = null,
    TimeSpan? Deadline = null,
    int Verify = 1);

/// <summary>
/// A miner's output for one attempt, replied with <see cref="ResultAccepted"/> or <see cref="ResultRefused"/>.
/// The signature is stored and passed on as given: verifying it against the miner's key is the trust layer's job.
/// </summary>
public sealed record ReportResult(string TaskId, Address Miner, int Attempt, string OutputDigest, byte[] Output, string Signature);

/// <summary>The assigned miner's model began the attempt; its status shows it running from now on. Not journaled. No reply.</summary>
public sealed record AttemptStarted(string TaskId, Address Miner, int Attempt);

/// <summary>The assigned miner gave up on an attempt; the task goes to another miner (or fails after the last attempt). No reply.</summary>
public sealed record ReportFailure(string TaskId, Address Miner, int Attempt, string Reason);

/// <summary>The miner left the cluster or was downed: each of its tasks in flight goes to another miner. No reply.</summary>
public sealed record MinerLost(Address Miner);

/// <summary>
/// A miner serving <paramref name="Models"/> has <paramref name="Free"/> credits again: up to that many tasks waiting
/// for a miner of those models ask the registry now instead of at their next retry. No reply.
/// </summary>
public sealed record CreditsFreed(IReadOnlyCollection<string> Models, int Free);

/// <summary>Replied with the task's <see cref="TaskStatus"/>.</summary>
public sealed record GetTask(string TaskId);

/// <summary>
/// <paramref name="Subscriber"/> gets the task's current <see cref="TaskStatus"/> at once and every later one until it
/// completes or fails. Subscriptions are not journaled: after a restart of the scheduler, subscribe again.
/// </summary>
public sealed record SubscribeTask(string TaskId, IActorRef Subscriber);

/// <summary>
/// <paramref name="Subscriber"/> gets a <see cref="TaskObserved"/> for every step of every task from now on (accepted,
/// assigned, requeued, completed, failed), once the step is journaled; for dashboards. Not journaled: after a restart of
/// the scheduler, watch again. A watcher that stops is dropped.
/// </summary>
public sealed record WatchTasks(IActorRef Subscriber);

// Replies

/// <param name="Status">The task's state now: queued for a new task, anything for a duplicate.</param>
/// <param name="Duplicate">The id was known already; nothing was added.</param>
public sealed record TaskAccepted(string TaskId, TaskStatus Status, bool Duplicate = false);

/// <param name="RetryAfter">When the gateway may try again (its 429's Retry-After), for <see cref="RejectReason.QueueFull"/> and <see cref="RejectReason.QuotaExceeded"/>.</param>
public sealed record TaskRejected(string TaskId, RejectReason Reason, string Explanation, TimeSpan? RetryAfter = null);

public enum RejectReason
{
    /// <summary>The scheduler holds its maximum of unfinished tasks: HTTP 429 with Retry-After.</summary>
    QueueFull,

    /// <summary>The app holds its maximum of unfinished tasks: HTTP 429 with Retry-After.</summary>
    QuotaExceeded,

    /// <summary>The id belongs to another app's task.</summary>
    IdInUse,

    /// <summary>An empty id, app or model.</summary>
    Invalid,
}

/// <summary>One step of a task, for <see cref="WatchTasks"/>: its state after the step.</summary>
/// <param name="Since">When the task was accepted, for latencies.</param>
public sealed record TaskObserved(string AppId, string Model, TaskStatus Status, DateTimeOffset Since, DateTimeOffset At);

public sealed record ResultAccepted(string TaskId);

public sealed record ResultRefused(string TaskId, string Reason);

/// <summary>What a miner produced, as recorded.</summary>
public sealed record TaskResult(Address Miner, int Attempt, string OutputDigest, byte[] Output, string Signature);

/// <summary>A task's state, for <see cref="GetTask"/> and subscribers.</summary>
public abstract record TaskStatus(string TaskId)
{
    /// <summary>Not in the live state nor among the recent outcomes: never submitted, or finished long ago.</summary>
    public sealed record Unknown(string TaskId) : TaskStatus(TaskId);

    /// <summary>Waiting for a miner; <paramref name="Attempts"/> were made so far.</summary>
    public sealed record Queued(string TaskId, int Attempts) : TaskStatus(TaskId);

    /// <param name="Running">The miner's model has begun it (it may wait behind another task in the miner's queue until then).</param>
    public sealed record Assigned(string TaskId, Address Miner, int Attempt, bool Running = false) : TaskStatus(TaskId);

    public sealed record Completed(string TaskId, TaskResult Result) : TaskStatus(TaskId);

    public sealed record Failed(string TaskId, string Reason) : TaskStatus(TaskId);

    public bool IsFinal => this is Completed or Failed;
}

// To the dispatcher, the actor that carries assignments to miners (the cluster wiring).

/// <summary>Run attempt <paramref name="Attempt"/> of a task on <paramref name="Miner"/>; sent again after a scheduler restart.</summary>
public sealed record DispatchTask(
    string TaskId,
    Address Miner,
    int Attempt,
    string Model,
    byte[] Input,
    IReadOnlyDictionary<string, string>? Parameters,
    TimeSpan Deadline);

/// <summary>The attempt was taken away from <paramref name="Miner"/> (deadline, failure report, lost): it may stop work on it.</summary>
public sealed record RevokeTask(string TaskId, Address Miner, int Attempt, string Reason);
