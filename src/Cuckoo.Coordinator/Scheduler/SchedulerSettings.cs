using Cuckoo.Coordinator.Trust;

namespace Cuckoo.Coordinator.Scheduler;

public sealed record SchedulerSettings
{
    /// <summary>Journal id (default <c>scheduler</c>); one scheduler per coordinator store.</summary>
    public string PersistenceId { get; init; } = "scheduler";

    /// <summary>Unfinished tasks held at most (default 100,000): every one sits in memory with its input until it finishes.</summary>
    public int MaxQueue { get; init; } = 100_000;

    /// <summary>Unfinished tasks one app may hold (default 10,000), so that one app cannot fill the queue for the others.</summary>
    public int PerAppQuota { get; init; } = 10_000;

    /// <summary>How long one attempt may run when the task gives no deadline (default 60 s: a large model's run, with margin).</summary>
    public TimeSpan TaskDeadline { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Attempts per task, each on a miner not tried before, before it fails (default 3).</summary>
    public int MaxAttempts { get; init; } = 3;

    /// <summary>
    /// Task steps between snapshots (default 50,000: about a second at full load, so that recovery replays little), and
    /// at least as many as there are live tasks, so that writing snapshots never costs more than replaying what they save.
    /// </summary>
    public int SnapshotEvery { get; init; } = 50_000;

    /// <summary>
    /// Task steps per journal row (default 1,000): the steps of one flush go out as <see cref="SchedulerSteps"/> rows of
    /// this many; 1 writes every step as its own event, the format before batching (slower, kept for comparison).
    /// </summary>
    public int StepsPerEvent { get; init; } = 1_000;

    /// <summary>How soon a task that found no miner (or whose pick got no answer) asks the registry again (default 1 s).</summary>
    public TimeSpan AssignmentRetry { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a task may wait for a miner in all before it fails with the registry's last reason (default 2 min).</summary>
    public TimeSpan MaxQueueWait { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Finished tasks remembered for <see cref="GetTask"/> and duplicate ids (default 10,000, outputs included).</summary>
    public int RecentOutcomes { get; init; } = 10_000;

    /// <summary>How often deadlines and retries are checked (default 200 ms): their resolution, at one timer for all tasks.</summary>
    public TimeSpan SweepInterval { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>The Retry-After hint sent with a rejection for a full queue or quota (default 1 s).</summary>
    public TimeSpan RetryAfter { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Share of tasks run on a second miner at random and compared (default 0.08): a miner faking 10% of its results is
    /// then caught with 99.97% certainty within 1,000 of its tasks, for about 8% more work (docs/benchmarks.md, "Trust").
    /// Audited tasks look like any other to the miners. 0: no audits.
    /// </summary>
    public double AuditRate { get; init; } = 0.08;

    /// <summary>Runs a task may get beyond the results it requires while its results disagree (default 2): enough for a majority after one dissent.</summary>
    public int ExtraRuns { get; init; } = 2;

    /// <summary>The largest <c>verify</c> an app may ask (default 5): each is a miner's whole run of the task.</summary>
    public int MaxVerify { get; init; } = 5;

    /// <summary>How long an audit waits for a second miner after the first result (default 10 s); then the task completes unaudited.</summary>
    public TimeSpan AuditWait { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Whether two results of a model agree; null: equal digests (the catalog's per-model rule is wired in by the node).</summary>
    public ResultsAgree? Agree { get; init; }

    /// <summary>The draw for audits, uniform in [0, 1); null: <see cref="System.Random.Shared"/>. Seeded in tests and the simulation.</summary>
    public Func<double>? Random { get; init; }

    /// <exception cref="ArgumentException">a setting out of range.</exception>
    public void Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(PersistenceId, nameof(PersistenceId));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxQueue, 1, nameof(MaxQueue));
        ArgumentOutOfRangeException.ThrowIfLessThan(PerAppQuota, 1, nameof(PerAppQuota));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxAttempts, 1, nameof(MaxAttempts));
        ArgumentOutOfRangeException.ThrowIfLessThan(SnapshotEvery, 1, nameof(SnapshotEvery));
        ArgumentOutOfRangeException.ThrowIfLessThan(StepsPerEvent, 1, nameof(StepsPerEvent));
        ArgumentOutOfRangeException.ThrowIfLessThan(RecentOutcomes, 0, nameof(RecentOutcomes));
        Positive(TaskDeadline, nameof(TaskDeadline));
        Positive(AssignmentRetry, nameof(AssignmentRetry));
        Positive(MaxQueueWait, nameof(MaxQueueWait));
        Positive(SweepInterval, nameof(SweepInterval));
        ArgumentOutOfRangeException.ThrowIfLessThan(RetryAfter, TimeSpan.Zero, nameof(RetryAfter));
        if (AuditRate is < 0 or > 1 || double.IsNaN(AuditRate))
        {
            throw new ArgumentOutOfRangeException(nameof(AuditRate), AuditRate, "Must be between 0 and 1.");
        }
        ArgumentOutOfRangeException.ThrowIfLessThan(ExtraRuns, 0, nameof(ExtraRuns));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxVerify, 1, nameof(MaxVerify));
        Positive(AuditWait, nameof(AuditWait));
    }

    private static void Positive(TimeSpan value, string name)
    {
        if (value <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(name, value, "Must be positive.");
        }
    }
}
