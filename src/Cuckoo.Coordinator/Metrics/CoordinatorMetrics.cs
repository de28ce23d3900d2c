using System.Diagnostics.Metrics;
using Cuckoo.Coordinator.Registry;
using Cuckoo.Coordinator.Scheduler;

namespace Cuckoo.Coordinator.Metrics;

/// <summary>
/// The coordinator's instruments, on one <see cref="System.Diagnostics.Metrics.Meter"/> named <see cref="MeterName"/>:
/// create one per node, pass it to <see cref="Scheduler.Scheduler.Props"/> (or <c>SupervisedProps</c>) and
/// <see cref="MinerRegistry.Props"/>, and have the exporter listen to <see cref="MeterName"/> (OpenTelemetry's
/// <c>AddMeter</c>; its Prometheus exporter turns <c>cuckoo.scheduler.tasks</c> with unit <c>{task}</c> into
/// <c>cuckoo_scheduler_tasks_total</c>). The actors record counters and histograms as they go and keep plain fields
/// up to date for the gauges, which the exporter's thread reads; so every member is thread-safe.
/// </summary>
public sealed class CoordinatorMetrics : IDisposable
{
    public const string MeterName = "Cuckoo.Coordinator";

    /// <summary>Observable gauge, {task}: unfinished tasks, tagged <c>state</c> = <c>queued</c> (waiting for a miner) or <c>assigned</c>.</summary>
    public const string QueueDepth = "cuckoo.scheduler.queue_depth";

    /// <summary>Histogram, s: from a task's acceptance to its first assignment.</summary>
    public const string AssignmentLatency = "cuckoo.scheduler.assignment_latency";

    /// <summary>Histogram, s: from a task's acceptance to its end, tagged <c>outcome</c> = <c>completed</c> or <c>failed</c>.</summary>
    public const string TaskLatency = "cuckoo.scheduler.task_latency";

    /// <summary>Counter, {task}: attempts taken from a miner and the task queued again, tagged <c>reason</c> = <c>deadline</c>, <c>failure</c> or <c>miner_lost</c>. An attempt taken when it was the last counts as a failed task instead.</summary>
    public const string Reassignments = "cuckoo.scheduler.reassignments";

    /// <summary>
    /// Counter, {task}: tagged <c>outcome</c> = <c>accepted</c>, <c>rejected</c> (with <c>reason</c> = <c>queue_full</c>,
    /// <c>quota_exceeded</c>, <c>id_in_use</c> or <c>invalid</c>), <c>completed</c> or <c>failed</c>. A duplicate submission counts nowhere.
    /// </summary>
    public const string Tasks = "cuckoo.scheduler.tasks";

    /// <summary>
    /// Observable gauge, {miner}: every miner the registry knows, tagged <c>state</c> = <c>eligible</c> or <c>ineligible</c>
    /// and <c>reason</c>: <c>none</c> when eligible, else the first of its <see cref="Ineligibility"/> reasons in
    /// <see cref="MinerDirectory.ReasonOrder"/> (snake case, e.g. <c>no_credits</c>), so that the series add up to the miners known.
    /// </summary>
    public const string Miners = "cuckoo.registry.miners";

    // Seconds, from a no-op task's milliseconds to a queue wait of minutes.
    private static readonly double[] LatencyBuckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];

    private static readonly KeyValuePair<string, object?> Accepted = new("outcome", "accepted");
    private static readonly KeyValuePair<string, object?> Rejected = new("outcome", "rejected");
    private static readonly KeyValuePair<string, object?> Completed = new("outcome", "completed");
    private static readonly KeyValuePair<string, object?> Failed = new("outcome", "failed");
    private static readonly KeyValuePair<string, object?> QueueFull = new("reason", "queue_full");
    private static readonly KeyValuePair<string, object?> QuotaExceeded = new("reason", "quota_exceeded");
    private static readonly KeyValuePair<string, object?> IdInUse = new("reason", "id_in_use");
    private static readonly KeyValuePair<string, object?> Invalid = new("reason", "invalid");
    private static readonly KeyValuePair<string, object?>[] ReassignReasons =
    [
        new("reason", "deadline"), new("reason", "failure"), new("reason", "miner_lost"),
    ];
    private static readonly KeyValuePair<string, object?> Queued = new("state", "queued");
    private static readonly KeyValuePair<string, object?> Assigned = new("state", "assigned");
    private static readonly KeyValuePair<string, object?> Eligible = new("state", "eligible");
    private static readonly KeyValuePair<string, object?> Ineligible = new("state", "ineligible");

    // Tag values for the registry gauge, one per slot of MinerDirectory's reason counts (slot 0: eligible).
    private static readonly string[] ReasonNames = ["none", .. MinerDirectory.ReasonOrder.Select(SnakeCase)];

    private readonly bool _ownsMeter;
    private readonly Counter<long> _tasks;
    private readonly Counter<long> _reassignments;
    private readonly Histogram<double> _assignmentLatency;
    private readonly Histogram<double> _taskLatency;

    // Written by the actors, read by the gauges' callbacks on the exporter's thread.
    private long _queued;
    private long _assigned;
    private readonly long[] _miners = new long[ReasonNames.Length];

    /// <param name="meterFactory">The host's factory (with dependency injection, so that the host disposes the meter); null: a meter of this instance's own.</param>
    public CoordinatorMetrics(IMeterFactory? meterFactory = null)
    {
        _ownsMeter = meterFactory is null;
        Meter = meterFactory?.Create(new MeterOptions(MeterName)) ?? new Meter(MeterName);
        _tasks = Meter.CreateCounter<long>(Tasks, "{task}", "Tasks by outcome: accepted, rejected, completed, failed.");
        _reassignments = Meter.CreateCounter<long>(Reassignments, "{task}", "Attempts taken from a miner, the task queued for another.");
        _assignmentLatency = Meter.CreateHistogram(
            AssignmentLatency, "s", "From a task's acceptance to its first assignment.", advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = LatencyBuckets });
        _taskLatency = Meter.CreateHistogram(
            TaskLatency, "s", "From a task's acceptance to its completion or failure.", advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = LatencyBuckets });
        Meter.CreateObservableGauge(QueueDepth, ObserveQueue, "{task}", "Unfinished tasks, queued for a miner or assigned to one.");
        Meter.CreateObservableGauge(Miners, ObserveMiners, "{miner}", "Miners the registry knows, by eligibility and the first reason against it.");
    }

    /// <summary>The meter every instrument is on.</summary>
    public Meter Meter { get; }

    /// <summary>Disposes the meter when this instance created it (a factory's meters are the factory's to dispose).</summary>
    public void Dispose()
    {
        if (_ownsMeter)
        {
            Meter.Dispose();
        }
    }

    internal void TaskAccepted() => _tasks.Add(1, Accepted);

    internal void TaskRejected(RejectReason reason) => _tasks.Add(1, Rejected, reason switch
    {
        RejectReason.QueueFull => QueueFull,
        RejectReason.QuotaExceeded => QuotaExceeded,
        RejectReason.IdInUse => IdInUse,
        _ => Invalid,
    });

    internal void TaskAssigned(TimeSpan sinceAccepted) => _assignmentLatency.Record(Seconds(sinceAccepted));

    internal void TaskFinished(bool completed, TimeSpan sinceAccepted)
    {
        var outcome = completed ? Completed : Failed;
        _tasks.Add(1, outcome);
        _taskLatency.Record(Seconds(sinceAccepted), outcome);
    }

    internal void TaskReassigned(ReassignReason reason) => _reassignments.Add(1, ReassignReasons[(int)reason]);

    internal void SetQueueDepth(int queued, int assigned)
    {
        Volatile.Write(ref _queued, queued);
        Volatile.Write(ref _assigned, assigned);
    }

    /// <summary>Miners per slot: eligible first, then one count per reason in <see cref="MinerDirectory.ReasonOrder"/>.</summary>
    internal void SetMiners(ReadOnlySpan<int> bySlot)
    {
        for (var i = 0; i < _miners.Length && i < bySlot.Length; i++)
        {
            Volatile.Write(ref _miners[i], bySlot[i]);
        }
    }

    // A clock stepped back (the scheduler's is wall time) would give a negative latency: recorded as 0.
    private static double Seconds(TimeSpan span) => Math.Max(0, span.TotalSeconds);

    private Measurement<long>[] ObserveQueue() =>
    [
        new(Volatile.Read(ref _queued), Queued),
        new(Volatile.Read(ref _assigned), Assigned),
    ];

    private IEnumerable<Measurement<long>> ObserveMiners()
    {
        var measurements = new Measurement<long>[_miners.Length];
        for (var i = 0; i < _miners.Length; i++)
        {
            measurements[i] = new Measurement<long>(Volatile.Read(ref _miners[i]), i == 0 ? Eligible : Ineligible, new("reason", ReasonNames[i]));
        }
        return measurements;
    }

    private static string SnakeCase(Ineligibility reason) =>
        string.Concat(reason.ToString().Select((c, i) => char.IsUpper(c) && i > 0 ? "_" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));
}

/// <summary>Why an attempt was taken from its miner, as the reassignment counter tags it.</summary>
internal enum ReassignReason
{
    Deadline,
    Failure,
    MinerLost,
}
