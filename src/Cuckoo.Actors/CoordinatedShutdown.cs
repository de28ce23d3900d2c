using Microsoft.Extensions.Logging;

namespace Cuckoo.Actors;

/// <summary>
/// One phase of <see cref="CoordinatedShutdown"/>. Its tasks run concurrently; the next phase starts when all finished or
/// <paramref name="Timeout"/> passed on the system clock. With <paramref name="Recover"/> false, a failed or late task skips
/// the remaining phases (the actor system is still terminated).
/// </summary>
public sealed record ShutdownPhase(string Name, TimeSpan Timeout, bool Recover = true);

/// <summary>
/// Stops a node in ordered phases (unbind services, drain requests, leave the cluster, terminate the actors), each phase
/// with its own timeout. Runs once; <see cref="ActorSystem.TerminateAsync"/> runs it.
/// </summary>
public sealed class CoordinatedShutdown
{
    public const string PhaseBeforeServiceUnbind = "before-service-unbind";
    public const string PhaseServiceUnbind = "service-unbind";
    public const string PhaseServiceRequestsDone = "service-requests-done";
    public const string PhaseServiceStop = "service-stop";
    public const string PhaseBeforeClusterShutdown = "before-cluster-shutdown";
    public const string PhaseClusterLeave = "cluster-leave";
    public const string PhaseClusterExiting = "cluster-exiting";
    public const string PhaseClusterShutdown = "cluster-shutdown";
    public const string PhaseBeforeActorSystemTerminate = "before-actor-system-terminate";
    public const string PhaseActorSystemTerminate = "actor-system-terminate";

    /// <summary>The default phases, in order; 5 s each, 10 s for stopping the actors.</summary>
    public static IReadOnlyList<ShutdownPhase> DefaultPhases { get; } =
    [
        new(PhaseBeforeServiceUnbind, TimeSpan.FromSeconds(5)),
        new(PhaseServiceUnbind, TimeSpan.FromSeconds(5)),
        new(PhaseServiceRequestsDone, TimeSpan.FromSeconds(5)),
        new(PhaseServiceStop, TimeSpan.FromSeconds(5)),
        new(PhaseBeforeClusterShutdown, TimeSpan.FromSeconds(5)),
        new(PhaseClusterLeave, TimeSpan.FromSeconds(5)),
        new(PhaseClusterExiting, TimeSpan.FromSeconds(5)),
        new(PhaseClusterShutdown, TimeSpan.FromSeconds(5)),
        new(PhaseBeforeActorSystemTerminate, TimeSpan.FromSeconds(5)),
        new(PhaseActorSystemTerminate, TimeSpan.FromSeconds(10)),
    ];

    private readonly ActorSystem _system;
    private readonly Dictionary<string, List<(string Name, Func<CancellationToken, Task> Run)>> _tasks = new(StringComparer.Ordinal);
    private readonly object _gate = new();
    private Task? _run;

    internal CoordinatedShutdown(ActorSystem system, IReadOnlyList<ShutdownPhase> phases)
    {
        if (phases.Count == 0) throw new ArgumentException("At least one shutdown phase is required", nameof(phases));
        var duplicate = phases.GroupBy(p => p.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new ArgumentException($"Shutdown phase [{duplicate.Key}] is listed twice", nameof(phases));
        _system = system;
        Phases = phases;
    }

    public IReadOnlyList<ShutdownPhase> Phases { get; }

    /// <summary>Why the shutdown runs; null until it was started.</summary>
    public string? Reason { get; private set; }

    /// <summary>Adds a task to a phase; tasks added after the shutdown started are ignored.</summary>
    public void AddTask(string phase, string taskName, Func<CancellationToken, Task> task)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentException.ThrowIfNullOrWhiteSpace(taskName);
        if (!Phases.Any(p => p.Name == phase)) throw new ArgumentException($"Unknown shutdown phase [{phase}]", nameof(phase));
        lock (_gate)
        {
            if (!_tasks.TryGetValue(phase, out var list)) _tasks[phase] = list = [];
            list.Add((taskName, task));
        }
    }

    public void AddTask(string phase, string taskName, Func<Task> task)
    {
        ArgumentNullException.ThrowIfNull(task);
        AddTask(phase, taskName, _ => task());
    }

    /// <summary>Runs all phases in order, then terminates the actor system. Idempotent: later calls return the first run.</summary>
    public Task RunAsync(string? reason = null)
    {
        lock (_gate)
        {
            if (_run is not null) return _run;
            Reason = reason ?? "unknown";
            _run = Task.Run(RunPhasesAsync);
            return _run;
        }
    }

    private async Task RunPhasesAsync()
    {
        var log = _system.Log;
        log.LogInformation("Coordinated shutdown of {System} started: {Reason}", _system.Name, Reason);
        var aborted = false;
        foreach (var phase in Phases)
        {
            if (aborted) break;
            List<(string Name, Func<CancellationToken, Task> Run)> tasks;
            lock (_gate)
            {
                tasks = _tasks.TryGetValue(phase.Name, out var list) ? [.. list] : [];
            }
            if (tasks.Count == 0) continue;
            using var cts = new CancellationTokenSource();
            var running = tasks.Select(t => RunTask(phase, t.Name, t.Run, cts.Token)).ToArray();
            try
            {
                var ok = await Task.WhenAll(running).WaitAsync(phase.Timeout, _system.Time).ConfigureAwait(false);
                if (!ok.All(x => x) && !phase.Recover) aborted = true;
            }
            catch (TimeoutException)
            {
                log.LogWarning("Shutdown phase {Phase} timed out after {Timeout}", phase.Name, phase.Timeout);
                await cts.CancelAsync().ConfigureAwait(false);
                if (!phase.Recover) aborted = true;
            }
        }
        if (aborted) log.LogWarning("Coordinated shutdown skipped its remaining phases after a failure");
        var limit = Phases.FirstOrDefault(p => p.Name == PhaseActorSystemTerminate)?.Timeout ?? TimeSpan.FromSeconds(10);
        try
        {
            await _system.TerminateActorsAsync().WaitAsync(limit, _system.Time).ConfigureAwait(false);
            log.LogInformation("Actor system {System} terminated", _system.Name);
        }
        catch (TimeoutException)
        {
            // An actor that never finishes stopping (a PostStop that blocks) must not keep the node from exiting.
            log.LogError("Actors of {System} did not all stop within {Timeout}; the system is considered terminated", _system.Name, limit);
            _system.MarkTerminated();
        }
    }

    private async Task<bool> RunTask(ShutdownPhase phase, string name, Func<CancellationToken, Task> run, CancellationToken token)
    {
        try
        {
            await run(token).ConfigureAwait(false);
            return true;
        }
        catch (Exception e)
        {
            _system.Log.LogError(e, "Shutdown task {Task} in phase {Phase} failed", name, phase.Name);
            return false;
        }
    }
}
