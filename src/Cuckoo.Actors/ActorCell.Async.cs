using System.Runtime.ExceptionServices;

namespace Cuckoo.Actors;

/// <summary>Async handlers: the mailbox waits for the handler's task, and its continuations run on the actor's turn.</summary>
internal sealed partial class ActorCell
{
    private bool _asyncPending;
    private object? _asyncMessage;
    private IActorRef? _asyncSender;
    private ActorSynchronizationContext? _syncContext;

    /// <summary>Runs an async handler: user messages wait until its task completes; continuations run on the actor's turn.</summary>
    internal void RunAsyncHandler(Func<Task> handler)
    {
        var previous = SynchronizationContext.Current;
        _syncContext ??= new ActorSynchronizationContext(this);
        SynchronizationContext.SetSynchronizationContext(_syncContext);
        Task task;
        try
        {
            task = handler();
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(previous);
        }
        if (task.IsCompletedSuccessfully) return;
        if (task.IsFaulted) ExceptionDispatchInfo.Throw(task.Exception!.InnerExceptions.Count == 1 ? task.Exception.InnerException! : task.Exception);
        if (task.IsCanceled) throw new TaskCanceledException(task);
        _asyncPending = true;
        _asyncMessage = _currentMessage;
        _asyncSender = _currentSender;
        task.ContinueWith(
            static (t, state) => ((ActorCell)state!).SendSystemMessage(new AsyncHandlerCompleted(t)),
            this,
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    private void HandleContinuation(RunContinuation continuation)
    {
        if (_state >= CellState.Terminating) return;
        var previous = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(_syncContext);
        _currentMessage = _asyncMessage;
        _currentSender = _asyncSender;
        try
        {
            continuation.Callback(continuation.State);
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(previous);
        }
    }

    private void HandleAsyncCompleted(Task task)
    {
        if (!_asyncPending) return;
        _asyncPending = false;
        _currentMessage = _asyncMessage;
        _currentSender = _asyncSender;
        _asyncMessage = null;
        _asyncSender = null;
        if (_state >= CellState.Terminating) return;
        if (task.IsFaulted)
        {
            var error = task.Exception!.InnerExceptions.Count == 1 ? task.Exception.InnerException! : task.Exception;
            HandleInvokeFailure(error, _currentMessage);
        }
        else if (task.IsCanceled)
        {
            HandleInvokeFailure(new TaskCanceledException(task), _currentMessage);
        }
    }

    /// <summary>Posts continuations of async handlers back into the actor's mailbox, ahead of user messages.</summary>
    private sealed class ActorSynchronizationContext(ActorCell cell) : SynchronizationContext
    {
        public override void Post(SendOrPostCallback d, object? state) => cell.SendSystemMessage(new RunContinuation(d, state));

        public override void Send(SendOrPostCallback d, object? state) => throw new NotSupportedException("Synchronous Send into an actor would deadlock");

        public override SynchronizationContext CreateCopy() => this;
    }
}
