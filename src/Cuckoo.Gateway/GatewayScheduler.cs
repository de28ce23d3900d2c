using System.Threading.Channels;
using Akka.Actor;
using Cuckoo.Coordinator.Registry;
using Cuckoo.Coordinator.Scheduler;
using TaskStatus = Cuckoo.Coordinator.Scheduler.TaskStatus;

namespace Cuckoo.Gateway;

/// <summary>
/// The scheduler as the endpoints see it (from DI): asks with a bound, and subscriptions bridged into channels so that
/// a request handler can await them.
/// </summary>
public sealed class GatewayScheduler
{
    private readonly ActorSystem _system;
    private readonly Func<string?> _elsewhere;

    /// <param name="elsewhere">
    /// Where the scheduler runs when it is not on this node (the leader's address), or null when it is here or unknown.
    /// A standby coordinator's gateway then answers at once that it is not ready, rather than after every ask's timeout:
    /// the scheduler's protocol does not cross the wire between coordinators, so a load balancer sends apps to the
    /// gateway whose <c>/readyz</c> answers 200.
    /// </param>
    public GatewayScheduler(ActorSystem system, IActorRef scheduler, Func<string?>? elsewhere = null)
    {
        ArgumentNullException.ThrowIfNull(system);
        ArgumentNullException.ThrowIfNull(scheduler);
        _system = system;
        Ref = scheduler;
        _elsewhere = elsewhere ?? (() => null);
    }

    public IActorRef Ref { get; }

    /// <returns><see cref="TaskAccepted"/> or <see cref="TaskRejected"/>.</returns>
    /// <exception cref="TimeoutException">no answer within <paramref name="timeout"/>.</exception>
    public async Task<object> SubmitAsync(SubmitTask task, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var reply = await AskAsync(task, timeout, cancellationToken).ConfigureAwait(false);
        return reply is TaskAccepted or TaskRejected ? reply : throw new InvalidOperationException($"the scheduler answered {reply.GetType().Name} to a submit");
    }

    /// <exception cref="TimeoutException">no answer within <paramref name="timeout"/>.</exception>
    public async Task<TaskStatus> GetAsync(string taskId, TimeSpan timeout, CancellationToken cancellationToken) =>
        await AskAsync(new GetTask(taskId), timeout, cancellationToken).ConfigureAwait(false) as TaskStatus
        ?? throw new InvalidOperationException("the scheduler answered a status query with something else");

    /// <summary>The registry's miners (those serving <paramref name="model"/>, or all); the leader singleton forwards the query to its registry.</summary>
    /// <exception cref="TimeoutException">no answer within <paramref name="timeout"/>.</exception>
    public async Task<MinerList> MinersAsync(string? model, TimeSpan timeout, CancellationToken cancellationToken) =>
        await AskAsync(new GetMiners(string.IsNullOrEmpty(model) ? null : model), timeout, cancellationToken).ConfigureAwait(false) as MinerList
        ?? throw new InvalidOperationException("the registry answered a miners query with something else");

    /// <summary>
    /// The task's statuses from now on: the current one first, then each change; the channel completes after a final
    /// one (or the first, when it is <see cref="TaskStatus.Unknown"/>). Dispose the subscription to stop listening early.
    /// </summary>
    /// <exception cref="TimeoutException">this node is a standby: the scheduler runs on another.</exception>
    public Subscription Subscribe(string taskId)
    {
        ThrowIfStandby();
        var channel = Channel.CreateUnbounded<TaskStatus>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        var relay = _system.ActorOf(Props.Create(() => new StatusRelay(channel.Writer, Ref)));
        Ref.Tell(new SubscribeTask(taskId, relay));
        return new Subscription(channel.Reader, relay);
    }

    /// <summary>Any query the leader singleton answers (the trust keeper's evidence, jail and rewards among them).</summary>
    /// <exception cref="TimeoutException">no answer within <paramref name="timeout"/>.</exception>
    public Task<object> QueryAsync(object query, TimeSpan timeout, CancellationToken cancellationToken) => AskAsync(query, timeout, cancellationToken);

    private void ThrowIfStandby()
    {
        if (_elsewhere() is { } leader)
        {
            throw new TimeoutException($"this coordinator is the standby; the scheduler runs on the leader coordinator {leader}, whose gateway takes the tasks");
        }
    }

    private async Task<object> AskAsync(object message, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ThrowIfStandby();
        try
        {
            return await Ref.Ask<object>(message, timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (AskTimeoutException e)
        {
            throw new TimeoutException($"the scheduler did not answer within {timeout.TotalSeconds:0.#} s", e);
        }
    }

    public sealed class Subscription : IDisposable
    {
        private readonly IActorRef _relay;

        internal Subscription(ChannelReader<TaskStatus> statuses, IActorRef relay)
        {
            Statuses = statuses;
            _relay = relay;
        }

        public ChannelReader<TaskStatus> Statuses { get; }

        public void Dispose() => _relay.Tell(PoisonPill.Instance);
    }

    /// <summary>Writes what the scheduler sends into the channel; ends it on a final status or when the scheduler stops.</summary>
    private sealed class StatusRelay : ReceiveActor
    {
        private readonly ChannelWriter<TaskStatus> _writer;

        public StatusRelay(ChannelWriter<TaskStatus> writer, IActorRef scheduler)
        {
            _writer = writer;
            Context.Watch(scheduler);
            Receive<TaskStatus>(status =>
            {
                writer.TryWrite(status);
                if (status.IsFinal || status is TaskStatus.Unknown)
                {
                    writer.TryComplete();
                    Context.Stop(Self);
                }
            });
            Receive<Terminated>(_ =>
            {
                writer.TryComplete(new InvalidOperationException("the scheduler stopped"));
                Context.Stop(Self);
            });
        }

        // Stopped early (disposed, or the system ending): a reader still waiting must not wait forever.
        protected override void PostStop() => _writer.TryComplete();
    }
}
