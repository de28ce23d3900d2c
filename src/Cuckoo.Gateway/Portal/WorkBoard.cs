using System.Threading.Channels;
using Cuckoo.Coordinator.Scheduler;
using TaskStatus = Cuckoo.Coordinator.Scheduler.TaskStatus;

namespace Cuckoo.Gateway.Portal;

/// <summary>
/// What the work view shows, kept from the scheduler's task steps (<see cref="Observe"/>, called by the work watcher):
/// tasks by state, assignments per miner, latencies, the latest images; and the open streams that each step goes to.
/// Memory is bounded by the options' windows; a task's state is kept only while it is unfinished.
/// </summary>
public sealed class WorkBoard
{
    private static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    private readonly PortalOptions _options;
    private readonly object _gate = new();
    private readonly Dictionary<string, string> _live = new(StringComparer.Ordinal);
    private readonly LinkedList<TaskStepView> _recent = new();
    private readonly Queue<string> _assignments = new();
    private readonly Dictionary<string, int> _assignedTo = new(StringComparer.OrdinalIgnoreCase);
    private readonly Queue<double> _latencies = new();
    private readonly LinkedList<(GalleryImage Image, byte[] Png)> _gallery = new();
    private readonly List<Channel<WorkEvent>> _streams = [];
    private int _completed;
    private int _failed;
    private long _seq;

    public WorkBoard(PortalOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
    }

    public void Observe(TaskObserved observed)
    {
        ArgumentNullException.ThrowIfNull(observed);
        var status = observed.Status;
        var id = status.TaskId;
        GalleryImage? image = null;
        WorkEvent e;
        lock (_gate)
        {
            double? latency = status.IsFinal ? Math.Max(0, (observed.At - observed.Since).TotalMilliseconds) : null;
            switch (status)
            {
                case TaskStatus.Queued:
                    _live[id] = "queued";
                    break;
                case TaskStatus.Assigned a:
                    _live[id] = "running";
                    // An attempt is seen assigned, then seen running when its miner's model begins it: counted once.
                    if (!a.Running)
                    {
                        CountAssignment(a.Miner.ToString());
                    }
                    break;
                case TaskStatus.Completed c:
                    _live.Remove(id);
                    _completed++;
                    AddLatency(latency!.Value);
                    if (IsPng(c.Result.Output))
                    {
                        image = new GalleryImage(++_seq, id, observed.Model, c.Result.Miner.ToString(), $"/portal/api/images/{_seq}", observed.At);
                        _gallery.AddFirst((image, c.Result.Output));
                        while (_gallery.Count > _options.GalleryImages)
                        {
                            _gallery.RemoveLast();
                        }
                    }
                    break;
                case TaskStatus.Failed:
                    _live.Remove(id);
                    _failed++;
                    break;
                default:
                    return;
            }
            var step = StepOf(observed, latency, image?.Url);
            // One row per task: its latest step replaces the earlier one.
            for (var node = _recent.First; node is not null; node = node.Next)
            {
                if (node.Value.TaskId == id)
                {
                    _recent.Remove(node);
                    break;
                }
            }
            _recent.AddFirst(step);
            while (_recent.Count > _options.RecentTasks)
            {
                _recent.RemoveLast();
            }
            e = new WorkEvent(step, SummaryLocked(), image);
            foreach (var stream in _streams)
            {
                stream.Writer.TryWrite(e);
            }
        }
    }

    public WorkSnapshot Snapshot()
    {
        lock (_gate)
        {
            return new WorkSnapshot(SummaryLocked(), [.. _recent], [.. _gallery.Select(g => g.Image)]);
        }
    }

    public byte[]? Image(long seq)
    {
        lock (_gate)
        {
            return _gallery.FirstOrDefault(g => g.Image.Seq == seq).Png;
        }
    }

    /// <summary>The snapshot now and every step after it, with nothing lost in between; dispose to stop.</summary>
    public Stream Open()
    {
        // Bounded: a reader that stops reading loses its oldest events rather than growing the coordinator's memory.
        var channel = Channel.CreateBounded<WorkEvent>(new BoundedChannelOptions(256) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
        lock (_gate)
        {
            _streams.Add(channel);
            return new Stream(this, channel, new WorkSnapshot(SummaryLocked(), [.. _recent], [.. _gallery.Select(g => g.Image)]));
        }
    }

    private void Close(Channel<WorkEvent> channel)
    {
        lock (_gate)
        {
            _streams.Remove(channel);
        }
        channel.Writer.TryComplete();
    }

    private void CountAssignment(string miner)
    {
        _assignments.Enqueue(miner);
        _assignedTo[miner] = _assignedTo.GetValueOrDefault(miner) + 1;
        while (_assignments.Count > _options.AssignmentWindow)
        {
            var old = _assignments.Dequeue();
            if (--_assignedTo[old] == 0)
            {
                _assignedTo.Remove(old);
            }
        }
    }

    private void AddLatency(double ms)
    {
        _latencies.Enqueue(ms);
        while (_latencies.Count > _options.LatencyWindow)
        {
            _latencies.Dequeue();
        }
    }

    private WorkSummary SummaryLocked()
    {
        var queued = _live.Values.Count(s => s == "queued");
        var counts = new WorkCounts(queued, _live.Count - queued, _completed, _failed);
        var assignments = _assignedTo.OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => new MinerAssignments(p.Key, p.Value)).ToList();
        var sorted = _latencies.Order().ToArray();
        var latency = sorted.Length == 0
            ? new LatencyView(0, null, null, null)
            : new LatencyView(sorted.Length, Percentile(sorted, 0.50), Percentile(sorted, 0.90), Percentile(sorted, 0.99));
        return new WorkSummary(counts, assignments, latency);
    }

    /// <summary>Nearest rank: the smallest value with at least <paramref name="p"/> of the values at or below it.</summary>
    internal static double Percentile(double[] sorted, double p) =>
        Math.Round(sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)], 1);

    private static bool IsPng(byte[] output) => output.Length > PngSignature.Length && output.AsSpan(0, PngSignature.Length).SequenceEqual(PngSignature);

    private static TaskStepView StepOf(TaskObserved o, double? latency, string? image)
    {
        var (status, miner, attempt, reason) = o.Status switch
        {
            TaskStatus.Queued q => ("queued", null, (int?)q.Attempts, (string?)null),
            TaskStatus.Assigned a => ("running", a.Miner.ToString(), a.Attempt, null),
            TaskStatus.Completed c => ("completed", c.Result.Miner.ToString(), c.Result.Attempt, null),
            TaskStatus.Failed f => ("failed", (string?)null, (int?)null, f.Reason),
            _ => ("unknown", null, null, null),
        };
        return new TaskStepView(o.Status.TaskId, o.AppId, o.Model, status, miner, attempt, reason, o.Since, o.At, latency, image);
    }

    /// <summary>One open work stream: its snapshot, then its events.</summary>
    public sealed class Stream : IDisposable
    {
        private readonly WorkBoard _board;
        private readonly Channel<WorkEvent> _channel;

        internal Stream(WorkBoard board, Channel<WorkEvent> channel, WorkSnapshot snapshot)
        {
            _board = board;
            _channel = channel;
            Snapshot = snapshot;
        }

        public WorkSnapshot Snapshot { get; }

        public ChannelReader<WorkEvent> Events => _channel.Reader;

        public void Dispose() => _board.Close(_channel);
    }
}
