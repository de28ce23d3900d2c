namespace Cuckoo.Actors;

/// <summary>Stopping an actor and waiting for it.</summary>
public static class GracefulStopExtensions
{
    /// <summary>
    /// Sends <paramref name="stopMessage"/> (default <see cref="PoisonPill"/>, so queued messages are processed first) and
    /// completes with true once the actor has stopped, or false if it has not within <paramref name="timeout"/> on the
    /// system's clock. An actor that is already dead yields true.
    /// </summary>
    public static async Task<bool> GracefulStop(this IActorRef target, TimeSpan timeout, object? stopMessage = null)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (target is not IInternalActorRef internalRef)
        {
            throw new ArgumentException($"{target} is not an actor of this process and cannot be watched", nameof(target));
        }
        var watcher = new StopWatcher(internalRef.System);
        internalRef.SendSystemMessage(new Watch(internalRef, watcher));
        target.Tell(stopMessage ?? PoisonPill.Instance);
        try
        {
            await watcher.Stopped.WaitAsync(timeout, internalRef.System.Time).ConfigureAwait(false);
            return true;
        }
        catch (TimeoutException)
        {
            internalRef.SendSystemMessage(new Unwatch(internalRef, watcher));
            return false;
        }
    }

    /// <summary>A watcher that is no actor: it only learns of the watched actor's death.</summary>
    private sealed class StopWatcher(ActorSystem system) : ActorRefBase
    {
        private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private ActorPath? _path;

        public Task Stopped => _stopped.Task;

        public override ActorPath Path => _path ??= system.NewTempPath();

        public override ActorSystem System => system;

        public override bool IsTerminated => _stopped.Task.IsCompleted;

        public override void Tell(object message, IActorRef? sender = null)
        {
        }

        public override void SendSystemMessage(SystemMessage message)
        {
            if (message is DeathWatchNotification) _stopped.TrySetResult();
        }
    }
}
