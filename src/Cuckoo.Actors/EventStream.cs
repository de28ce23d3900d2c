namespace Cuckoo.Actors;

/// <summary>
/// Publish/subscribe within one system. A subscriber receives every published event assignable to the channel type
/// it subscribed to; stopped subscribers are dropped on the next publish.
/// </summary>
public sealed class EventStream
{
    private readonly object _gate = new();
    private volatile Subscription[] _subscriptions = [];

    /// <summary>Subscribes to <paramref name="channel"/> and its subtypes; false when already subscribed to it.</summary>
    public bool Subscribe(IActorRef subscriber, Type channel)
    {
        ArgumentNullException.ThrowIfNull(subscriber);
        ArgumentNullException.ThrowIfNull(channel);
        lock (_gate)
        {
            var current = _subscriptions;
            foreach (var s in current)
            {
                if (s.Channel == channel && s.Subscriber.Equals(subscriber)) return false;
            }
            _subscriptions = [.. current, new Subscription(subscriber, channel)];
            return true;
        }
    }

    /// <summary>Removes the subscriber from <paramref name="channel"/>, or from every channel when null.</summary>
    public bool Unsubscribe(IActorRef subscriber, Type? channel = null)
    {
        ArgumentNullException.ThrowIfNull(subscriber);
        lock (_gate)
        {
            var current = _subscriptions;
            var kept = current.Where(s => !(s.Subscriber.Equals(subscriber) && (channel is null || s.Channel == channel))).ToArray();
            _subscriptions = kept;
            return kept.Length != current.Length;
        }
    }

    public void Publish(object @event)
    {
        ArgumentNullException.ThrowIfNull(@event);
        var type = @event.GetType();
        foreach (var s in _subscriptions)
        {
            if (!s.Channel.IsAssignableFrom(type)) continue;
            if (s.Subscriber is IInternalActorRef { IsTerminated: true })
            {
                Unsubscribe(s.Subscriber);
                continue;
            }
            s.Subscriber.Tell(@event);
        }
    }

    private sealed record Subscription(IActorRef Subscriber, Type Channel);
}
