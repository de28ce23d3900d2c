using System.Runtime.InteropServices;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace Cuckoo.Actors;

/// <summary>
/// An actor's runtime: its mailbox, its current instance, children, watchers, timers and stash. The cell is also the
/// thread-pool work item that processes the mailbox, so an actor costs no thread: it is queued on the pool only when its
/// mailbox goes from idle to scheduled (one CAS), processes up to <see cref="MailboxOptions.Throughput"/> messages,
/// and re-queues itself if more are waiting. System messages are checked before every user message.
/// </summary>
internal sealed partial class ActorCell : IActorContext, IStash, IThreadPoolWorkItem
{
    [ThreadStatic]
    private static ActorCell? t_constructing;

    private const int Idle = 0;
    private const int Scheduled = 1;

    private readonly ChannelReader<Envelope> _reader;
    private readonly ChannelWriter<Envelope> _writer;
    private readonly MailboxOptions _mailbox;
    private readonly int _throughput;
    private readonly bool _preferLocal;

    // Written by every Tell; kept on its own cache line so that senders do not evict the fields the running actor reads.
    private PaddedInt _status;

    private readonly object _sysLock = new();
    private readonly Queue<SystemMessage> _sysQueue = new();
    private volatile bool _sysPending;
    private bool _sysClosed;

    private LinkedList<Envelope>? _prepended;
    private object? _currentMessage;
    private IActorRef? _currentSender;

    public ActorCell(ActorSystem system, Props props, ActorCell? parent, ActorPath path)
    {
        System = system;
        Props = props;
        Parent = parent;
        Self = new LocalActorRef(this, path);
        _mailbox = props.Mailbox ?? system.Settings.DefaultMailbox;
        _throughput = _mailbox.Throughput;
        _preferLocal = system.Settings.PreferLocalScheduling;
        Channel<Envelope> channel = _mailbox.Capacity is int capacity
            ? Channel.CreateBounded<Envelope>(
                new BoundedChannelOptions(capacity)
                {
                    SingleReader = true,
                    AllowSynchronousContinuations = false,
                    FullMode = _mailbox.Overflow switch
                    {
                        MailboxOverflow.DropOldest => BoundedChannelFullMode.DropOldest,
                        MailboxOverflow.DropNewest => BoundedChannelFullMode.DropWrite,
                        _ => BoundedChannelFullMode.Wait,
                    },
                },
                dropped => ToDeadLetters(dropped))
            : Channel.CreateUnbounded<Envelope>(new UnboundedChannelOptions { SingleReader = true, AllowSynchronousContinuations = false });
        _reader = channel.Reader;
        _writer = channel.Writer;
    }

    /// <summary>The cell whose actor is being constructed on this thread, so that the ActorBase constructor can bind to it.</summary>
    internal static ActorCell? Constructing => t_constructing;

    public ActorSystem System { get; }

    public Props Props { get; }

    public ActorCell? Parent { get; }

    public LocalActorRef Self { get; }

    IActorRef IActorContext.Self => Self;

    IActorRef IActorContext.Parent => Parent?.Self ?? ActorRefs.Nobody;

    public IActorRef? Sender => _currentSender;

    public bool IsTerminated => _state == CellState.Terminated;

    private bool CanProcessUserMessages =>
        _state == CellState.Running && !_failed && _suspendCount == 0 && !_asyncPending;

    /// <summary>Tell: enqueue, then schedule if the mailbox was idle (one CAS). No lock of the kernel's own.</summary>
    public void Post(object message, IActorRef? sender)
    {
        if (_writer.TryWrite(new Envelope(message, sender)))
        {
            // The fence orders the enqueue before the status read (the consumer does the mirror image when it goes idle),
            // so either we see Idle and schedule, or the consumer sees our message. Reading before the CAS keeps the
            // status line shared while the actor is already scheduled.
            Interlocked.MemoryBarrier();
            if (Volatile.Read(ref _status.Value) == Idle && Interlocked.CompareExchange(ref _status.Value, Scheduled, Idle) == Idle) ScheduleNow();
            return;
        }
        if (_mailbox.Overflow == MailboxOverflow.Fail && _mailbox.Capacity is int capacity && _state != CellState.Terminated)
        {
            throw new MailboxOverflowException(Self, capacity);
        }
        ToDeadLetters(new Envelope(message, sender));
    }

    public void SendSystemMessage(SystemMessage message)
    {
        bool closed;
        lock (_sysLock)
        {
            closed = _sysClosed;
            if (!closed)
            {
                _sysQueue.Enqueue(message);
                _sysPending = true;
            }
        }
        if (closed) HandleAfterTermination(message);
        else if (Interlocked.CompareExchange(ref _status.Value, Scheduled, Idle) == Idle) ScheduleNow();
    }

    private void ScheduleNow() => ThreadPool.UnsafeQueueUserWorkItem(this, _preferLocal);

    void IThreadPoolWorkItem.Execute()
    {
        var batchFull = false;
        try
        {
            if (_sysPending) ProcessSystemMessages();
            var reader = _reader;
            var left = _throughput;
            while (CanProcessUserMessages)
            {
                Envelope envelope;
                if (_prepended is { Count: > 0 } prepended)
                {
                    envelope = prepended.First!.Value;
                    prepended.RemoveFirst();
                }
                else if (!reader.TryRead(out envelope))
                {
                    break;
                }
                Invoke(envelope);
                if (_sysPending) ProcessSystemMessages();
                if (--left == 0)
                {
                    // Yielding costs a pool round trip (and often a thread wake-up); it only buys fairness when other
                    // work is waiting, so keep the thread while the pool has nothing else queued.
                    if (ThreadPool.PendingWorkItemCount == 0)
                    {
                        left = _throughput;
                        continue;
                    }
                    batchFull = true;
                    break;
                }
            }
        }
        finally
        {
            if (batchFull && CanProcessUserMessages)
            {
                // Still scheduled: go to the back of the pool's queue so other actors get a turn.
                ScheduleNow();
            }
            else
            {
                Interlocked.Exchange(ref _status.Value, Idle);
                if (HasWork() && Interlocked.CompareExchange(ref _status.Value, Scheduled, Idle) == Idle) ScheduleNow();
            }
        }
    }

    private bool HasWork() =>
        _sysPending || (CanProcessUserMessages && (_prepended is { Count: > 0 } || _reader.TryPeek(out _)));

    private void ProcessSystemMessages()
    {
        while (true)
        {
            SystemMessage? message;
            lock (_sysLock)
            {
                if (!_sysQueue.TryDequeue(out message))
                {
                    _sysPending = false;
                    return;
                }
            }
            try
            {
                HandleSystemMessage(message);
            }
            catch (Exception e)
            {
                System.Log.LogError(e, "Processing system message {Message} in {Actor} failed", message.GetType().Name, Self);
            }
        }
    }

    private void HandleSystemMessage(SystemMessage message)
    {
        switch (message)
        {
            case Create: HandleCreate(); break;
            case Terminate: HandleTerminate(); break;
            case Suspend: HandleSuspend(); break;
            case Resume resume: HandleResume(resume.ClearsFailure); break;
            case Recreate recreate: HandleRecreate(recreate.Cause, recreate.UndoesSuspend); break;
            case Failed failed: HandleChildFailed(failed.Child, failed.Cause); break;
            case Watch watch: HandleWatch(watch); break;
            case Unwatch unwatch: HandleUnwatch(unwatch); break;
            case DeathWatchNotification notification: HandleDeathWatchNotification(notification.Actor); break;
            case ChildTerminated terminated: HandleChildTerminated(terminated.Child); break;
            case RunContinuation continuation: HandleContinuation(continuation); break;
            case AsyncHandlerCompleted completed: HandleAsyncCompleted(completed.Task); break;
        }
    }

    private void Invoke(Envelope envelope)
    {
        var message = envelope.Message;
        _currentSender = envelope.Sender;
        try
        {
            switch (message)
            {
                case TimerMessage timer:
                    if (_timers is null || !_timers.Accept(timer)) return;
                    message = timer.Entry.Message;
                    break;
                case ReceiveTimeoutTick tick:
                    if (tick.Generation != _receiveTimeoutGeneration || _receiveTimeout is null) return;
                    message = Actors.ReceiveTimeout.Instance;
                    break;
                case WatchedTerminated watched:
                    if (!_watching.Remove(watched.Terminated.ActorRef)) return;
                    message = watched.Terminated;
                    break;
                case PoisonPill:
                    _currentMessage = message;
                    Stop(Self);
                    return;
                case Kill:
                    _currentMessage = message;
                    throw new ActorKilledException($"{Self} was killed");
            }
            _currentMessage = message;
            if (_behaviors is { Count: > 0 } behaviors) behaviors.Peek()(message);
            else _actor!.ReceiveMessage(message);
        }
        catch (Exception e)
        {
            HandleInvokeFailure(e, _currentMessage);
        }
        if (_receiveTimeout is not null) RescheduleReceiveTimeout();
    }

    private void ToDeadLetters(Envelope envelope)
    {
        switch (envelope.Message)
        {
            case DeadLetter:
            case TimerMessage:
            case ReceiveTimeoutTick:
            case WatchedTerminated:
                return;
            default:
                System.DeadLetters.Tell(new DeadLetter(envelope.Message, envelope.Sender, Self));
                return;
        }
    }

    /// <summary>Handles a system message that arrived after the mailbox closed.</summary>
    private void HandleAfterTermination(SystemMessage message)
    {
        if (message is Watch watch && !watch.Watcher.Equals(Self))
        {
            // Watching an actor that is already dead still yields Terminated.
            watch.Watcher.SendSystemMessage(new DeathWatchNotification(Self));
        }
    }

    public override string ToString() => $"ActorCell({Self.Path})";

    [StructLayout(LayoutKind.Explicit, Size = 128)]
    private struct PaddedInt
    {
        [FieldOffset(64)]
        public int Value;
    }
}
