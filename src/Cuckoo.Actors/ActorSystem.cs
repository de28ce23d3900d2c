using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Cuckoo.Actors;

/// <summary>
/// A hierarchy of actors under <c>/user</c> (yours) and <c>/system</c> (the kernel's and extensions'), with the shared
/// clock, logging, event stream, dead letters and coordinated shutdown.
/// </summary>
public sealed class ActorSystem : IAsyncDisposable
{
    private readonly ConcurrentDictionary<Type, Lazy<object>> _extensions = new();
    private readonly TaskCompletionSource _whenTerminated = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ActorCell _userGuardian;
    private readonly ActorCell _systemGuardian;
    private readonly ActorPath _tempPath;
    private long _tempCounter;
    private long _deadLetterCount;

    private ActorSystem(string name, ActorSystemSettings settings)
    {
        Name = name;
        Settings = settings;
        Log = settings.LoggerFactory.CreateLogger<ActorSystem>();
        DeadLetterLog = settings.LoggerFactory.CreateLogger("Cuckoo.Actors.DeadLetters");
        EventStream = new EventStream();
        var root = ActorPath.Root(name);
        _tempPath = root.Child("temp");
        DeadLetters = new DeadLetterActorRef(this, root.Child("deadLetters"));
        CoordinatedShutdown = new CoordinatedShutdown(this, settings.ShutdownPhases ?? CoordinatedShutdown.DefaultPhases);

        RootCell = new ActorCell(this, Props.Create(() => new GuardianActor()).WithSupervisorStrategy(SupervisorStrategy.StoppingStrategy), null, root);
        RootCell.SendSystemMessage(Actors.Create.Instance);
        _userGuardian = ((LocalActorRef)RootCell.ActorOf(
            Props.Create(() => new GuardianActor()).WithSupervisorStrategy(settings.GuardianSupervisorStrategy ?? SupervisorStrategy.DefaultStrategy),
            "user")).Cell;
        _systemGuardian = ((LocalActorRef)RootCell.ActorOf(Props.Create(() => new GuardianActor()), "system")).Cell;
    }

    public static ActorSystem Create(string name, ActorSystemSettings? settings = null)
    {
        if (string.IsNullOrEmpty(name) || !char.IsAsciiLetterOrDigit(name[0]) || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            throw new ArgumentException($"Invalid actor system name [{name}]: use letters, digits, - and _, starting with a letter or digit", nameof(name));
        }
        settings ??= ActorSystemSettings.Default;
        settings.DefaultMailbox.Validate();
        return new ActorSystem(name, settings);
    }

    public string Name { get; }

    public ActorSystemSettings Settings { get; }

    public TimeProvider Time => Settings.Time;

    public ILoggerFactory LoggerFactory => Settings.LoggerFactory;

    public EventStream EventStream { get; }

    public IActorRef DeadLetters { get; }

    public CoordinatedShutdown CoordinatedShutdown { get; }

    /// <summary>Completes when every actor has stopped.</summary>
    public Task WhenTerminated => _whenTerminated.Task;

    internal ILogger Log { get; }

    private ILogger DeadLetterLog { get; }

    internal ActorCell RootCell { get; }

    /// <summary>Creates a top-level actor under <c>/user</c>.</summary>
    public IActorRef ActorOf(Props props, string? name = null) => _userGuardian.ActorOf(props, name);

    /// <summary>Creates an actor under <c>/system</c>, for infrastructure that must outlive user actors during shutdown.</summary>
    public IActorRef SystemActorOf(Props props, string? name = null) => _systemGuardian.ActorOf(props, name);

    public ActorSelection ActorSelection(string path) => Actors.ActorSelection.Parse(this, null, path);

    /// <summary>Stops the actor after the message it is processing; its queued messages go to dead letters.</summary>
    public void Stop(IActorRef actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (actor is LocalActorRef { Cell.Parent: { } parent }) parent.Stop(actor);
        else if (actor is IInternalActorRef target) target.SendSystemMessage(Terminate.Instance);
    }

    /// <summary>One instance per system of an extension (a registry, a journal, a connection pool), created on first use.</summary>
    public T GetOrAddExtension<T>(Func<ActorSystem, T> factory) where T : class
    {
        ArgumentNullException.ThrowIfNull(factory);
        var lazy = _extensions.GetOrAdd(typeof(T), _ => new Lazy<object>(() => factory(this), LazyThreadSafetyMode.ExecutionAndPublication));
        return (T)lazy.Value;
    }

    /// <summary>Runs the coordinated shutdown (all phases), which ends with stopping every actor.</summary>
    public Task TerminateAsync() => CoordinatedShutdown.RunAsync("ActorSystem.TerminateAsync");

    public async ValueTask DisposeAsync() => await TerminateAsync().ConfigureAwait(false);

    internal ActorPath NewTempPath() => _tempPath.Child("$" + Interlocked.Increment(ref _tempCounter).ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>The last step of coordinated shutdown: user actors first, then system actors, then the root.</summary>
    internal async Task TerminateActorsAsync()
    {
        _userGuardian.Self.SendSystemMessage(Terminate.Instance);
        await _userGuardian.WhenTerminated.ConfigureAwait(false);
        _systemGuardian.Self.SendSystemMessage(Terminate.Instance);
        await _systemGuardian.WhenTerminated.ConfigureAwait(false);
        RootCell.Self.SendSystemMessage(Terminate.Instance);
        await RootCell.WhenTerminated.ConfigureAwait(false);
        _whenTerminated.TrySetResult();
    }

    internal void MarkTerminated() => _whenTerminated.TrySetResult();

    /// <summary>A guardian stopped on its own (it failed, or was stopped by hand): the system cannot go on without it.</summary>
    internal void OnGuardianTerminated(LocalActorRef guardian)
    {
        if (CoordinatedShutdown.Reason is null)
        {
            Log.LogWarning("Guardian {Guardian} stopped; terminating the actor system", guardian);
            _ = TerminateAsync();
        }
    }

    internal void RecordDeadLetter(DeadLetter letter)
    {
        var count = Interlocked.Increment(ref _deadLetterCount);
        var limit = Settings.LogDeadLetters;
        if (count <= limit)
        {
            DeadLetterLog.LogInformation(
                "Message {MessageType} from {Sender} to {Recipient} was not delivered ({Count} dead letters so far{Suppressed})",
                letter.Message.GetType().Name,
                letter.Sender?.ToString() ?? "no sender",
                letter.Recipient,
                count,
                count == limit ? "; further dead letters are published but not logged" : "");
        }
        EventStream.Publish(letter);
    }

    public override string ToString() => $"ActorSystem({Name})";

    private sealed class GuardianActor : ActorBase
    {
        protected override void OnReceive(object message) => Unhandled(message);
    }
}
