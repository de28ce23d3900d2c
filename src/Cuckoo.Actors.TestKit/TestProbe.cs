using System.Threading.Channels;

namespace Cuckoo.Actors.TestKit;

/// <summary>
/// An actor ref whose messages a test can await: <c>probe.Tell</c> (or using it as a sender) queues the message, and the
/// Expect*/Fish* methods take them off in arrival order with a real-time deadline (never the fake clock).
/// </summary>
public sealed class TestProbe : IInternalActorRef
{
    private static long s_counter;

    private readonly Channel<Received> _queue = Channel.CreateUnbounded<Received>();
    private readonly LocalActorRef _ref;

    public TestProbe(ActorSystem system, string? name = null)
    {
        System = system;
        name ??= "testProbe-" + Interlocked.Increment(ref s_counter).ToString(global::System.Globalization.CultureInfo.InvariantCulture);
        _ref = (LocalActorRef)system.SystemActorOf(Props.Create(() => new ProbeActor(_queue.Writer)), name);
    }

    public ActorSystem System { get; }

    /// <summary>How long expectations wait when given no timeout; default 3 s.</summary>
    public TimeSpan DefaultTimeout { get; set; } = TimeSpan.FromSeconds(3);

    public ActorPath Path => _ref.Path;

    /// <summary>The sender of the last message taken off the queue.</summary>
    public IActorRef? LastSender { get; private set; }

    /// <summary>The last message taken off the queue.</summary>
    public object? LastMessage { get; private set; }

    bool IInternalActorRef.IsTerminated => _ref.IsTerminated;

    public void Tell(object message, IActorRef? sender = null) => _ref.Tell(message, sender);

    void IInternalActorRef.SendSystemMessage(SystemMessage message) => _ref.SendSystemMessage(message);

    /// <summary>Replies to <see cref="LastSender"/> with the probe as sender.</summary>
    public void Reply(object message)
    {
        var target = LastSender ?? throw new InvalidOperationException("The probe has received no message with a sender to reply to");
        target.Tell(message, this);
    }

    /// <summary>Sends the last message on to <paramref name="target"/>, keeping its original sender.</summary>
    public void Forward(IActorRef target)
    {
        ArgumentNullException.ThrowIfNull(target);
        target.Tell(LastMessage ?? throw new InvalidOperationException("The probe has received no message"), LastSender);
    }

    /// <summary>The probe receives <see cref="Terminated"/> when <paramref name="actor"/> stops (at once if it already has).</summary>
    public IActorRef Watch(IActorRef actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        _ref.Tell(new ProbeActor.WatchCommand(actor, true));
        return actor;
    }

    public IActorRef Unwatch(IActorRef actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        _ref.Tell(new ProbeActor.WatchCommand(actor, false));
        return actor;
    }

    /// <summary>Takes the next message, whatever it is.</summary>
    public async Task<object> ReceiveOneAsync(TimeSpan? timeout = null)
    {
        var t = timeout ?? DefaultTimeout;
        var received = await NextAsync(t).ConfigureAwait(false)
            ?? throw new TestKitAssertionException($"Timeout ({t}) while waiting for a message at {Path}");
        return received.Message;
    }

    public async Task<IReadOnlyList<object>> ReceiveNAsync(int count, TimeSpan? timeout = null)
    {
        var deadline = Deadline(timeout);
        var messages = new List<object>(count);
        while (messages.Count < count)
        {
            var received = await NextAsync(Remaining(deadline)).ConfigureAwait(false)
                ?? throw new TestKitAssertionException($"Timeout while waiting for {count} messages at {Path}; got {messages.Count}: [{string.Join(", ", messages)}]");
            messages.Add(received.Message);
        }
        return messages;
    }

    public Task<T> ExpectMsgAsync<T>(TimeSpan? timeout = null) => ExpectMsgAsync<T>(static _ => true, timeout, null);

    public Task<T> ExpectMsgAsync<T>(Predicate<T> predicate, TimeSpan? timeout = null) => ExpectMsgAsync(predicate, timeout, "matching the predicate");

    /// <summary>Expects the next message to equal <paramref name="expected"/>.</summary>
    public Task<T> ExpectMsgAsync<T>(T expected, TimeSpan? timeout = null) =>
        ExpectMsgAsync<T>(m => EqualityComparer<T>.Default.Equals(m, expected), timeout, $"equal to {expected}");

    private async Task<T> ExpectMsgAsync<T>(Predicate<T> predicate, TimeSpan? timeout, string? what)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        var t = timeout ?? DefaultTimeout;
        var received = await NextAsync(t).ConfigureAwait(false)
            ?? throw new TestKitAssertionException($"Timeout ({t}) while waiting for a message of type {typeof(T).Name}{(what is null ? "" : " " + what)} at {Path}");
        if (received.Message is not T typed)
        {
            throw new TestKitAssertionException($"Expected a message of type {typeof(T).Name} at {Path} but got {Describe(received.Message)}");
        }
        if (!predicate(typed))
        {
            throw new TestKitAssertionException($"Expected a message {what} at {Path} but got {Describe(received.Message)}");
        }
        return typed;
    }

    /// <summary>Expects the <see cref="Terminated"/> of <paramref name="actor"/> (watch it first).</summary>
    public Task<Terminated> ExpectTerminatedAsync(IActorRef actor, TimeSpan? timeout = null) =>
        ExpectMsgAsync<Terminated>(t => t.ActorRef.Equals(actor), timeout, $"for {actor}");

    /// <summary>Waits <paramref name="duration"/> (real time) and fails if any message arrives meanwhile.</summary>
    public async Task ExpectNoMsgAsync(TimeSpan duration)
    {
        var received = await NextAsync(duration).ConfigureAwait(false);
        if (received is not null)
        {
            throw new TestKitAssertionException($"Expected no message at {Path} for {duration} but got {Describe(received.Message)}");
        }
    }

    /// <summary>Skips messages until one of type <typeparamref name="T"/> satisfies <paramref name="isTheOne"/>.</summary>
    public async Task<T> FishForMessageAsync<T>(Predicate<T> isTheOne, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(isTheOne);
        var deadline = Deadline(timeout);
        var skipped = new List<object>();
        while (true)
        {
            var received = await NextAsync(Remaining(deadline)).ConfigureAwait(false)
                ?? throw new TestKitAssertionException($"Timeout while fishing for a {typeof(T).Name} at {Path}; skipped [{string.Join(", ", skipped.Select(Describe))}]");
            if (received.Message is T typed && isTheOne(typed)) return typed;
            skipped.Add(received.Message);
        }
    }

    private async Task<Received?> NextAsync(TimeSpan timeout)
    {
        var reader = _queue.Reader;
        if (!reader.TryRead(out var received))
        {
            if (timeout <= TimeSpan.Zero) return null;
            using var cts = new CancellationTokenSource(timeout);
            try
            {
                received = await reader.ReadAsync(cts.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cts.IsCancellationRequested)
            {
                return null;
            }
        }
        LastSender = received.Sender;
        LastMessage = received.Message;
        return received;
    }

    private DateTime Deadline(TimeSpan? timeout) => DateTime.UtcNow + (timeout ?? DefaultTimeout);

    private static TimeSpan Remaining(DateTime deadline)
    {
        var left = deadline - DateTime.UtcNow;
        return left > TimeSpan.Zero ? left : TimeSpan.Zero;
    }

    private static string Describe(object message) => $"{message.GetType().Name} {message}";

    public override bool Equals(object? obj) => obj is IActorRef other && Path.Equals(other.Path);

    public override int GetHashCode() => Path.GetHashCode();

    public override string ToString() => $"TestProbe[{Path}]";

    internal sealed record Received(object Message, IActorRef? Sender);

    private sealed class ProbeActor(ChannelWriter<Received> queue) : ActorBase
    {
        internal sealed record WatchCommand(IActorRef Target, bool Watch);

        protected override void OnReceive(object message)
        {
            if (message is WatchCommand command)
            {
                if (command.Watch) Context.Watch(command.Target);
                else Context.Unwatch(command.Target);
                return;
            }
            queue.TryWrite(new Received(message, Sender));
        }
    }
}
