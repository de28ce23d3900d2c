namespace Cuckoo.Actors;

/// <summary>What a supervisor does with a child that failed.</summary>
public enum Directive
{
    /// <summary>Keep the actor and its state; continue with the next message.</summary>
    Resume,

    /// <summary>Replace the actor with a fresh instance from its props; queued messages are kept.</summary>
    Restart,

    /// <summary>Stop the actor.</summary>
    Stop,

    /// <summary>Fail the supervisor itself with the same exception, so its own supervisor decides.</summary>
    Escalate,
}

/// <summary>
/// Delay restarts exponentially: the n-th restart within the strategy's window waits
/// <c>min(MaxBackoff, MinBackoff * 2^(n-1))</c>, stretched by up to <c>RandomFactor</c> (0.2 = up to 20 % longer) so that
/// siblings that failed together do not restart in lockstep.
/// </summary>
public sealed record BackoffOptions(TimeSpan MinBackoff, TimeSpan MaxBackoff, double RandomFactor = 0.2)
{
    internal TimeSpan DelayFor(int restartNumber)
    {
        var exponent = Math.Min(Math.Max(restartNumber - 1, 0), 30);
        var ticks = Math.Min((double)MaxBackoff.Ticks, MinBackoff.Ticks * Math.Pow(2, exponent));
        if (RandomFactor > 0) ticks *= 1 + Random.Shared.NextDouble() * RandomFactor;
        return TimeSpan.FromTicks((long)ticks);
    }
}

/// <summary>How an actor treats its failing children. Set it with <see cref="Props.WithSupervisorStrategy"/> or by overriding <c>SupervisorStrategy()</c>.</summary>
public abstract class SupervisorStrategy
{
    protected SupervisorStrategy(int maxNrOfRetries, TimeSpan withinTimeRange, Func<Exception, Directive> decider, BackoffOptions? backoff)
    {
        ArgumentNullException.ThrowIfNull(decider);
        MaxNrOfRetries = maxNrOfRetries;
        WithinTimeRange = withinTimeRange;
        Decider = decider;
        Backoff = backoff;
    }

    /// <summary>
    /// Restart on any exception; stop on <see cref="ActorInitializationException"/>, <see cref="ActorKilledException"/> and
    /// <see cref="DeathPactException"/>; unlimited restarts.
    /// </summary>
    public static SupervisorStrategy DefaultStrategy { get; } = new OneForOneStrategy(DefaultDecider);

    /// <summary>Stop any child that fails.</summary>
    public static SupervisorStrategy StoppingStrategy { get; } = new OneForOneStrategy(_ => Directive.Stop);

    /// <summary>Restarts allowed within <see cref="WithinTimeRange"/> before the child is stopped; negative means unlimited.</summary>
    public int MaxNrOfRetries { get; }

    /// <summary>The window for <see cref="MaxNrOfRetries"/>; zero or infinite means the count never resets.</summary>
    public TimeSpan WithinTimeRange { get; }

    public Func<Exception, Directive> Decider { get; }

    /// <summary>When set, restarts are delayed exponentially instead of immediate.</summary>
    public BackoffOptions? Backoff { get; }

    public static Directive DefaultDecider(Exception exception) => exception switch
    {
        ActorInitializationException => Directive.Stop,
        ActorKilledException => Directive.Stop,
        DeathPactException => Directive.Stop,
        _ => Directive.Restart,
    };

    /// <summary>Whether the directive applies to all children (all-for-one) or only to the failed one.</summary>
    internal abstract bool AppliesToAllChildren { get; }

    internal Directive Decide(Exception cause)
    {
        try
        {
            return Decider(cause);
        }
        catch (Exception)
        {
            return Directive.Escalate;
        }
    }
}

/// <summary>The directive applies to the failed child only.</summary>
public sealed class OneForOneStrategy : SupervisorStrategy
{
    public OneForOneStrategy(int maxNrOfRetries, TimeSpan withinTimeRange, Func<Exception, Directive> decider, BackoffOptions? backoff = null)
        : base(maxNrOfRetries, withinTimeRange, decider, backoff)
    {
    }

    public OneForOneStrategy(Func<Exception, Directive> decider, BackoffOptions? backoff = null)
        : base(-1, Timeout.InfiniteTimeSpan, decider, backoff)
    {
    }

    internal override bool AppliesToAllChildren => false;
}

/// <summary>A restart or stop applies to all children of the supervisor (resume only to the failed one).</summary>
public sealed class AllForOneStrategy : SupervisorStrategy
{
    public AllForOneStrategy(int maxNrOfRetries, TimeSpan withinTimeRange, Func<Exception, Directive> decider, BackoffOptions? backoff = null)
        : base(maxNrOfRetries, withinTimeRange, decider, backoff)
    {
    }

    public AllForOneStrategy(Func<Exception, Directive> decider, BackoffOptions? backoff = null)
        : base(-1, Timeout.InfiniteTimeSpan, decider, backoff)
    {
    }

    internal override bool AppliesToAllChildren => true;
}

/// <summary>Restart bookkeeping for one child, kept by its parent.</summary>
internal sealed class ChildRestartStats(LocalActorRef child)
{
    private DateTimeOffset? _windowStart;

    public LocalActorRef Child { get; } = child;

    /// <summary>Restarts counted in the current window (or ever, without a window).</summary>
    public int RestartCount { get; private set; }

    /// <summary>Set while a child is being stopped by its parent, so that it is not restarted or counted as alive.</summary>
    public bool Stopping { get; set; }

    /// <summary>A restart that waits for its backoff delay.</summary>
    public ITimer? PendingRestart { get; set; }

    public bool RequestRestartPermission(int maxNrOfRetries, TimeSpan window, DateTimeOffset now)
    {
        var windowed = window > TimeSpan.Zero && window != Timeout.InfiniteTimeSpan;
        if (windowed && (_windowStart is null || now - _windowStart.Value > window))
        {
            _windowStart = now;
            RestartCount = 0;
        }
        RestartCount++;
        return maxNrOfRetries < 0 || RestartCount <= maxNrOfRetries;
    }

    public void CancelPendingRestart()
    {
        PendingRestart?.Dispose();
        PendingRestart = null;
    }
}
