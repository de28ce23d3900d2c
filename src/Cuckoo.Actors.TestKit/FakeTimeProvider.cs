namespace Cuckoo.Actors.TestKit;

/// <summary>
/// A clock that moves only when told. Timers created from it (actor timers, receive and Ask timeouts, backoff, shutdown
/// phase timeouts, <c>Task.Delay(…, provider)</c>) fire synchronously inside <see cref="Advance"/>, in due order; a timer
/// created (or changed) with a zero due time fires at once.
/// </summary>
public sealed class FakeTimeProvider : TimeProvider
{
    private readonly object _gate = new();
    private readonly List<FakeTimer> _timers = [];
    private DateTimeOffset _now;
    private long _sequence;

    public FakeTimeProvider()
        : this(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero))
    {
    }

    public FakeTimeProvider(DateTimeOffset start) => _now = start;

    public override DateTimeOffset GetUtcNow()
    {
        lock (_gate) return _now;
    }

    public override long GetTimestamp()
    {
        lock (_gate) return _now.UtcTicks;
    }

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    /// <summary>Timers that are armed and will fire on a later <see cref="Advance"/>.</summary>
    public int PendingTimers
    {
        get
        {
            lock (_gate) return _timers.Count(t => t.Due is not null);
        }
    }

    /// <summary>When the next armed timer is due, or null.</summary>
    public DateTimeOffset? NextDue
    {
        get
        {
            lock (_gate) return _timers.Where(t => t.Due is not null).Select(t => t.Due).Min();
        }
    }

    /// <summary>Moves the clock forward, firing every timer that comes due on the way, each at its own due time.</summary>
    public void Advance(TimeSpan delta)
    {
        if (delta < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(delta), delta, "Time cannot go backwards");
        DateTimeOffset target;
        lock (_gate) target = _now + delta;
        RunUntil(target);
    }

    /// <summary>Sets the clock; moving forward fires due timers like <see cref="Advance"/>, moving back fires none.</summary>
    public void SetUtcNow(DateTimeOffset value)
    {
        lock (_gate)
        {
            if (value < _now)
            {
                _now = value;
                return;
            }
        }
        RunUntil(value);
    }

    private void FireDue()
    {
        DateTimeOffset now;
        lock (_gate) now = _now;
        RunUntil(now);
    }

    private void RunUntil(DateTimeOffset target)
    {
        while (true)
        {
            FakeTimer? next = null;
            lock (_gate)
            {
                foreach (var timer in _timers)
                {
                    if (timer.Due is { } due && due <= target && (next is null || due < next.Due || (due == next.Due && timer.Sequence < next.Sequence)))
                    {
                        next = timer;
                    }
                }
                if (next is null)
                {
                    _now = target;
                    return;
                }
                if (next.Due > _now) _now = next.Due!.Value;
                next.Due = next.Period is { } period ? _now + period : null;
            }
            next.Callback(next.State);
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        ArgumentNullException.ThrowIfNull(callback);
        var timer = new FakeTimer(this, callback, state);
        bool dueNow;
        lock (_gate)
        {
            _timers.Add(timer);
            Arm(timer, dueTime, period);
            dueNow = timer.Due <= _now;
        }
        // Like a real timer, one that is due at once fires without waiting for the clock to move.
        if (dueNow) FireDue();
        return timer;
    }

    private void Arm(FakeTimer timer, TimeSpan dueTime, TimeSpan period)
    {
        timer.Sequence = ++_sequence;
        timer.Period = period == Timeout.InfiniteTimeSpan || period == TimeSpan.Zero ? null : period;
        timer.Due = dueTime == Timeout.InfiniteTimeSpan ? null : _now + (dueTime < TimeSpan.Zero ? TimeSpan.Zero : dueTime);
    }

    private sealed class FakeTimer(FakeTimeProvider owner, TimerCallback callback, object? state) : ITimer
    {
        public TimerCallback Callback { get; } = callback;

        public object? State { get; } = state;

        public DateTimeOffset? Due { get; set; }

        public TimeSpan? Period { get; set; }

        public long Sequence { get; set; }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            bool dueNow;
            lock (owner._gate)
            {
                if (!owner._timers.Contains(this)) return false;
                owner.Arm(this, dueTime, period);
                dueNow = Due <= owner._now;
            }
            if (dueNow) owner.FireDue();
            return true;
        }

        public void Dispose()
        {
            lock (owner._gate) owner._timers.Remove(this);
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
