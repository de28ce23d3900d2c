using Akka.Coordination;

namespace Cuckoo.Cluster.Lease;

/// <summary>Where a lease's rows live: a PostgreSQL table, or a process-wide dictionary for unit tests.</summary>
internal interface ILeaseStore
{
    /// <summary>Takes the lease if it is free, expired or already ours; the fencing token, or null if another owner holds it.</summary>
    Task<long?> TryAcquireAsync(string name, string owner, TimeSpan ttl, CancellationToken ct);

    /// <summary>Extends our unexpired tenure <paramref name="token"/>; false if it lapsed or passed to another owner.</summary>
    Task<bool> TryRenewAsync(string name, string owner, long token, TimeSpan ttl, CancellationToken ct);

    /// <summary>Frees the lease if <paramref name="owner"/> holds it; false otherwise.</summary>
    Task<bool> ReleaseAsync(string name, string owner, CancellationToken ct);
}

/// <summary>
/// What both lease classes do with a store: hold a tenure, renew it every heartbeat-interval, and give it up locally
/// (CheckLease false, lost callback once) on the first failed renewal or when the local deadline passes. Shared so
/// that <see cref="InMemoryLease"/> cannot drift from <see cref="PostgresLease"/>.
/// </summary>
internal sealed class LeaseHolder : IDisposable
{
    private readonly ILeaseStore _store;
    private readonly TimeProvider _time;
    private readonly LeaseTiming _timing;
    private readonly string _name;
    private readonly string _owner;
    private readonly object _gate = new();
    private Tenure? _tenure;
    private bool _frozen;
    private bool _disposed;

    public LeaseHolder(ILeaseStore store, TimeProvider time, LeaseSettings settings)
    {
        _store = store;
        _time = time;
        _timing = LeaseTiming.From(settings);
        _name = settings.LeaseName;
        _owner = settings.OwnerName;
    }

    public long? FencingToken
    {
        get
        {
            lock (_gate)
            {
                return IsLive(_tenure) ? _tenure!.Token : null;
            }
        }
    }

    public bool CheckLease()
    {
        lock (_gate)
        {
            return IsLive(_tenure);
        }
    }

    public async Task<bool> AcquireAsync(Action<Exception>? onLost)
    {
        var started = _time.GetTimestamp();
        var token = await RunBoundedAsync(ct => _store.TryAcquireAsync(_name, _owner, _timing.Ttl, ct), _timing.OperationTimeout, "acquire");
        if (token is null)
        {
            return false;
        }

        Tenure? superseded;
        lock (_gate)
        {
            if (_disposed)
            {
                return false;
            }

            var deadline = _timing.DeadlineAfter(started, _time);
            if (_tenure is { Ended: false } current && current.Token == token)
            {
                // Acquire by the holder renews; the latest callback is the one Akka is listening on.
                current.Deadline = Math.Max(current.Deadline, deadline);
                current.OnLost = onLost ?? current.OnLost;
                return true;
            }

            superseded = _tenure;
            var tenure = new Tenure(token.Value, deadline, onLost);
            tenure.Timer = _time.CreateTimer(_ => _ = TickAsync(tenure), null, _timing.Interval, Timeout.InfiniteTimeSpan);
            _tenure = tenure;
        }

        // A new token while an old tenure was unended means someone held the lease in between: the old one was lost.
        if (superseded is not null)
        {
            Lose(superseded, new LeaseException($"Lease {_name} passed to another owner and back while this node was not renewing."));
        }

        return true;
    }

    public async Task<bool> ReleaseAsync()
    {
        lock (_gate)
        {
            // A voluntary release ends the tenure without the lost callback (Akka's contract).
            _tenure?.End();
            _tenure = null;
        }

        return await RunBoundedAsync(ct => _store.ReleaseAsync(_name, _owner, ct), _timing.OperationTimeout, "release");
    }

    /// <summary>Test hook standing in for SIGSTOP: no renewal leaves this node, and nothing here notices time passing.</summary>
    internal void Freeze()
    {
        lock (_gate)
        {
            _frozen = true;
        }
    }

    /// <summary>Test hook standing in for SIGCONT: the next tick finds the deadline passed, as a woken process would.</summary>
    internal void Thaw()
    {
        lock (_gate)
        {
            _frozen = false;
        }
    }

    /// <summary>Stops renewing (the actor system is gone); the row expires by itself.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            _tenure?.End();
            _tenure = null;
        }
    }

    private bool IsLive(Tenure? tenure) => tenure is { Ended: false } && _time.GetTimestamp() < tenure.Deadline;

    private async Task TickAsync(Tenure tenure)
    {
        long started;
        TimeSpan budget;
        lock (_gate)
        {
            if (tenure.Ended || _disposed)
            {
                return;
            }

            if (_frozen)
            {
                tenure.Timer?.Change(_timing.Interval, Timeout.InfiniteTimeSpan);
                return;
            }

            started = _time.GetTimestamp();
            budget = Min(_timing.OperationTimeout, TimeSpan.FromSeconds((double)(tenure.Deadline - started) / _time.TimestampFrequency));
        }

        if (budget <= TimeSpan.Zero)
        {
            Lose(tenure, new LeaseException($"Lease {_name} was not renewed before its local deadline."));
            return;
        }

        Exception? failure = null;
        var renewed = false;
        try
        {
            // Bounded by the deadline too: a renewal that answers after it would be too late to count.
            renewed = await RunBoundedAsync(ct => _store.TryRenewAsync(_name, _owner, tenure.Token, _timing.Ttl, ct), budget, "renew");
        }
        catch (Exception e)
        {
            failure = e;
        }

        if (!renewed)
        {
            Lose(tenure, failure ?? new LeaseException($"Lease {_name} lapsed or passed to another owner."));
            return;
        }

        lock (_gate)
        {
            if (!tenure.Ended && !_disposed)
            {
                tenure.Deadline = Math.Max(tenure.Deadline, _timing.DeadlineAfter(started, _time));
                tenure.Timer?.Change(_timing.Interval, Timeout.InfiniteTimeSpan);
            }
        }
    }

    private void Lose(Tenure tenure, Exception reason)
    {
        Action<Exception>? callback;
        lock (_gate)
        {
            if (tenure.Ended)
            {
                return;
            }

            tenure.End();
            callback = tenure.OnLost;
        }

        try
        {
            callback?.Invoke(reason);
        }
        catch (Exception)
        {
            // Akka's callbacks only Tell; a throwing one must not take the timer thread down with it.
        }
    }

    private async Task<T> RunBoundedAsync<T>(Func<CancellationToken, Task<T>> operation, TimeSpan budget, string what)
    {
        using var cts = new CancellationTokenSource(budget, _time);
        try
        {
            // WaitAsync as well as the token: a driver stuck in a connect or cancel must not hold the caller past the budget.
            // The driver's own timeouts (connect, command) arrive wrapped; they are timeouts all the same.
            return await operation(cts.Token).WaitAsync(budget, _time);
        }
        catch (Exception e) when (e is TimeoutException || e.InnerException is TimeoutException
                                  || (e is OperationCanceledException && cts.IsCancellationRequested))
        {
            throw new LeaseTimeoutException($"Lease {_name}: {what} did not finish within {budget}.", e);
        }
        catch (Exception e) when (e is not LeaseException)
        {
            throw new LeaseException($"Lease {_name}: {what} failed: {e.Message}", e);
        }
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private sealed class Tenure(long token, long deadline, Action<Exception>? onLost)
    {
        public long Token { get; } = token;

        /// <summary>Local monotonic timestamp (TimeProvider ticks) after which the lease no longer counts as held.</summary>
        public long Deadline { get; set; } = deadline;

        public Action<Exception>? OnLost { get; set; } = onLost;

        public ITimer? Timer { get; set; }

        public bool Ended { get; private set; }

        public void End()
        {
            Ended = true;
            Timer?.Dispose();
        }
    }
}
