namespace Cuckoo.Actors;

/// <summary>Request-response and task-to-message helpers.</summary>
public static class AskExtensions
{
    /// <summary>
    /// Sends <paramref name="message"/> with a temporary sender and completes with its first reply. A
    /// <see cref="Status.Failure"/> reply faults the task with its cause; no reply within <paramref name="timeout"/> (on the
    /// system's clock) faults it with <see cref="AskTimeoutException"/>; <paramref name="cancellationToken"/> cancels it.
    /// </summary>
    public static async Task<T> Ask<T>(this IActorRef target, object message, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var reply = await AskCore(target, message, timeout, cancellationToken).ConfigureAwait(false);
        return reply switch
        {
            T typed => typed,
            Status.Success { Value: T value } => value,
            null when default(T) is null => default!,
            _ => throw new InvalidCastException($"Ask to {target} expected a reply of type {typeof(T).Name} but got {reply?.GetType().Name ?? "null"}"),
        };
    }

    public static Task<object?> Ask(this IActorRef target, object message, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        AskCore(target, message, timeout, cancellationToken);

    private static Task<object?> AskCore(IActorRef target, object message, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(message);
        if (timeout <= TimeSpan.Zero && timeout != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(timeout), timeout, "Ask timeout must be positive");
        }
        if (cancellationToken.IsCancellationRequested) return Task.FromCanceled<object?>(cancellationToken);
        var system = (target as IInternalActorRef)?.System;
        var promise = new PromiseActorRef(system, target, message, timeout, cancellationToken);
        target.Tell(message, promise);
        return promise.Task;
    }

    /// <summary>Tells <paramref name="recipient"/> the task's result (or <see cref="Status.Failure"/>) when it completes.</summary>
    public static Task PipeTo<T>(
        this Task<T> task,
        IActorRef recipient,
        IActorRef? sender = null,
        Func<T, object>? success = null,
        Func<Exception, object>? failure = null)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(recipient);
        return task.ContinueWith(
            t =>
            {
                if (t.IsCompletedSuccessfully)
                {
                    recipient.Tell(success is not null ? success(t.Result) : (object?)t.Result ?? new Status.Success(null), sender);
                }
                else
                {
                    var error = Unwrap(t);
                    recipient.Tell(failure is not null ? failure(error) : new Status.Failure(error), sender);
                }
            },
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    /// <summary>Tells <paramref name="recipient"/> <see cref="Status.Success"/> (or what <paramref name="success"/> makes) or <see cref="Status.Failure"/>.</summary>
    public static Task PipeTo(
        this Task task,
        IActorRef recipient,
        IActorRef? sender = null,
        Func<object>? success = null,
        Func<Exception, object>? failure = null)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(recipient);
        return task.ContinueWith(
            t =>
            {
                if (t.IsCompletedSuccessfully) recipient.Tell(success is not null ? success() : new Status.Success(null), sender);
                else
                {
                    var error = Unwrap(t);
                    recipient.Tell(failure is not null ? failure(error) : new Status.Failure(error), sender);
                }
            },
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    /// <summary>Sends <paramref name="message"/> keeping the original sender of the message being processed.</summary>
    public static void Forward(this IActorRef target, object message, IActorContext context)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(context);
        target.Tell(message, context.Sender);
    }

    private static Exception Unwrap(Task t) =>
        t.IsCanceled ? new TaskCanceledException(t)
        : t.Exception!.InnerExceptions.Count == 1 ? t.Exception.InnerException!
        : t.Exception;
}

/// <summary>The temporary sender of an Ask: its first message completes the task.</summary>
internal sealed class PromiseActorRef : ActorRefBase
{
    private static readonly ActorPath NoSystemTemp = ActorPath.Root("none").Child("temp");

    private readonly TaskCompletionSource<object?> _promise = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ActorSystem? _system;
    private readonly ITimer? _timer;
    private readonly CancellationTokenRegistration _registration;
    private readonly IActorRef? _target;
    private readonly Type? _messageType;
    private readonly TimeSpan _timeout;

    public PromiseActorRef(ActorSystem? system, IActorRef target, object message, TimeSpan timeout, CancellationToken cancellationToken)
    {
        _system = system;
        var time = system?.Time ?? TimeProvider.System;
        if (timeout != Timeout.InfiniteTimeSpan)
        {
            _target = target;
            _messageType = message.GetType();
            _timeout = timeout;
            _timer = time.CreateTimer(
                static state =>
                {
                    var self = (PromiseActorRef)state!;
                    var error = new AskTimeoutException($"Ask timed out on {self._target} after {self._timeout} (message {self._messageType!.Name})");
                    if (self._promise.TrySetException(error)) self.Cleanup();
                },
                this,
                timeout,
                Timeout.InfiniteTimeSpan);
        }
        if (cancellationToken.CanBeCanceled)
        {
            _registration = cancellationToken.Register(
                static state =>
                {
                    var (self, token) = ((PromiseActorRef, CancellationToken))state!;
                    if (self._promise.TrySetCanceled(token)) self.Cleanup();
                },
                (this, cancellationToken));
        }
    }

    public Task<object?> Task => _promise.Task;

    private ActorPath? _path;

    /// <summary>Made on first use: most asks never need their path, and it costs two allocations.</summary>
    public override ActorPath Path => _path ?? Interlocked.CompareExchange(ref _path, _system?.NewTempPath() ?? NoSystemTemp.Child("$ask"), null) ?? _path!;

    public override ActorSystem System => _system ?? throw new InvalidOperationException("This Ask has no actor system");

    public override bool IsTerminated => _promise.Task.IsCompleted;

    public override void Tell(object message, IActorRef? sender = null)
    {
        ArgumentNullException.ThrowIfNull(message);
        var completed = message is Status.Failure failure
            ? _promise.TrySetException(failure.Cause)
            : _promise.TrySetResult(message);
        if (completed) Cleanup();
        else if (_system is not null && message is not DeadLetter) _system.DeadLetters.Tell(new DeadLetter(message, sender, this), sender);
    }

    public override void SendSystemMessage(SystemMessage message)
    {
        if (message is Watch watch && IsTerminated) watch.Watcher.SendSystemMessage(new DeathWatchNotification(this));
    }

    private void Cleanup()
    {
        _timer?.Dispose();
        _registration.Dispose();
    }
}
