namespace Cuckoo.Actors;

/// <summary>
/// An actor's timers on the system's <see cref="TimeProvider"/>. A firing is queued to the actor as a
/// <see cref="TimerMessage"/> and delivered only if that timer is still the current one for its key, so a cancelled or
/// replaced timer never delivers, even when its firing was already queued.
/// </summary>
internal sealed class TimerScheduler(ActorCell cell) : ITimerScheduler
{
    private readonly Dictionary<object, TimerEntry> _timers = [];

    public void StartSingleTimer(object key, object msg, TimeSpan delay) => Start(key, msg, delay, Timeout.InfiniteTimeSpan);

    public void StartPeriodicTimer(object key, object msg, TimeSpan interval) => StartPeriodicTimer(key, msg, interval, interval);

    public void StartPeriodicTimer(object key, object msg, TimeSpan initialDelay, TimeSpan interval)
    {
        if (interval <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(interval), interval, "Interval must be positive");
        Start(key, msg, initialDelay, interval);
    }

    public void Cancel(object key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (_timers.Remove(key, out var entry)) entry.Dispose();
    }

    public bool IsTimerActive(object key) => _timers.ContainsKey(key);

    public void CancelAll()
    {
        foreach (var entry in _timers.Values) entry.Dispose();
        _timers.Clear();
    }

    /// <summary>Whether a queued firing is still wanted; a single timer is done once accepted.</summary>
    internal bool Accept(TimerMessage message)
    {
        var entry = message.Entry;
        if (!_timers.TryGetValue(entry.Key, out var current) || !ReferenceEquals(current, entry)) return false;
        if (entry.IsSingle)
        {
            _timers.Remove(entry.Key);
            entry.Dispose();
        }
        return true;
    }

    private void Start(object key, object msg, TimeSpan delay, TimeSpan period)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(msg);
        if (delay < TimeSpan.Zero) delay = TimeSpan.Zero;
        Cancel(key);
        var entry = new TimerEntry(key, msg, period == Timeout.InfiniteTimeSpan, cell.Self);
        _timers[key] = entry;
        entry.Arm(cell.System.Time, delay, period);
    }
}

internal sealed class TimerEntry(object key, object message, bool isSingle, IActorRef owner) : IDisposable
{
    private ITimer? _timer;
    private TimerMessage? _firing;

    public object Key { get; } = key;

    public object Message { get; } = message;

    public bool IsSingle { get; } = isSingle;

    public void Arm(TimeProvider time, TimeSpan delay, TimeSpan period)
    {
        _firing = new TimerMessage(this);
        _timer = time.CreateTimer(static state => ((TimerEntry)state!).Fire(), this, delay, period);
    }

    private void Fire() => owner.Tell(_firing!, null);

    public void Dispose() => _timer?.Dispose();
}

internal sealed record TimerMessage(TimerEntry Entry);
