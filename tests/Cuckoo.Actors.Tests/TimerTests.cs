using Cuckoo.Actors;
using Xunit;

namespace Cuckoo.Actors.Tests;

public sealed class TimerTests() : TestKit.TestKit(useFakeClock: true)
{
    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(100);

    private async Task<IActorRef> StartTimerActor()
    {
        var actor = Sys.ActorOf(Props.Create(() => new TimerActor(TestActor)));
        actor.Tell("ping", TestActor);
        await ExpectMsgAsync("pong");
        return actor;
    }

    [Fact]
    public async Task Single_timer_fires_once_on_the_clock()
    {
        var actor = await StartTimerActor();
        actor.Tell(new StartSingle("a", TimeSpan.FromSeconds(5)));
        await AwaitConditionAsync(() => Clock.PendingTimers == 1);
        Clock.Advance(TimeSpan.FromSeconds(4));
        await ExpectNoMsgAsync(Quiet);
        Clock.Advance(TimeSpan.FromSeconds(1));
        await ExpectMsgAsync("tick:a");
        Clock.Advance(TimeSpan.FromSeconds(30));
        await ExpectNoMsgAsync(Quiet);
        actor.Tell(new IsActive("a"), TestActor);
        Assert.False(await ExpectMsgAsync<bool>());
    }

    [Fact]
    public async Task Periodic_timer_fires_every_interval_until_cancelled()
    {
        var actor = await StartTimerActor();
        actor.Tell(new StartPeriodic("p", TimeSpan.FromSeconds(1)));
        await AwaitConditionAsync(() => Clock.PendingTimers == 1);
        Clock.Advance(TimeSpan.FromSeconds(3));
        await ExpectMsgAsync("tick:p");
        await ExpectMsgAsync("tick:p");
        await ExpectMsgAsync("tick:p");
        actor.Tell(new CancelTimer("p"));
        await AwaitConditionAsync(() => Clock.PendingTimers == 0);
        Clock.Advance(TimeSpan.FromSeconds(3));
        await ExpectNoMsgAsync(Quiet);
    }

    [Fact]
    public async Task Restarting_a_key_replaces_the_timer()
    {
        var actor = await StartTimerActor();
        actor.Tell(new StartSingle("a", TimeSpan.FromSeconds(5)));
        actor.Tell(new StartSingle("a", TimeSpan.FromSeconds(10)));
        actor.Tell("ping", TestActor);
        await ExpectMsgAsync("pong");
        Clock.Advance(TimeSpan.FromSeconds(6));
        await ExpectNoMsgAsync(Quiet);
        Clock.Advance(TimeSpan.FromSeconds(4));
        await ExpectMsgAsync("tick:a");
    }

    [Fact]
    public async Task Timers_are_cancelled_when_the_actor_stops()
    {
        var actor = await StartTimerActor();
        actor.Tell(new StartPeriodic("p", TimeSpan.FromSeconds(1)));
        actor.Tell(new StartSingle("s", TimeSpan.FromSeconds(2)));
        await AwaitConditionAsync(() => Clock.PendingTimers == 2);
        Watch(actor);
        Sys.Stop(actor);
        await ExpectTerminatedAsync(actor);
        Assert.Equal(0, Clock.PendingTimers);
        Clock.Advance(TimeSpan.FromSeconds(10));
        await ExpectNoMsgAsync(Quiet);
    }

    [Fact]
    public async Task Receive_timeout_fires_after_idle_time_only()
    {
        var start = Clock.GetUtcNow();
        var actor = Sys.ActorOf(Props.Create(() => new IdleActor(TestActor, TimeSpan.FromSeconds(10))));
        actor.Tell("hi", TestActor);
        await ExpectMsgAsync("hi");
        // The timeout is re-armed after the handler returns, which may be just after the reply arrives.
        await AwaitConditionAsync(() => Clock.NextDue == start + TimeSpan.FromSeconds(10));
        Clock.Advance(TimeSpan.FromSeconds(6));
        actor.Tell("again", TestActor);
        await ExpectMsgAsync("again");
        await AwaitConditionAsync(() => Clock.NextDue == start + TimeSpan.FromSeconds(16));
        Clock.Advance(TimeSpan.FromSeconds(6));
        await ExpectNoMsgAsync(Quiet);
        Clock.Advance(TimeSpan.FromSeconds(4));
        await ExpectMsgAsync<ReceiveTimeout>();
    }

    [Fact]
    public async Task Ask_times_out_with_AskTimeoutException()
    {
        var silent = Sys.ActorOf(Props.Create(() => new IdleActor(ActorRefs.Nobody, null)));
        var ask = silent.Ask<string>(42, TimeSpan.FromSeconds(5));
        // Timer callbacks run inside Advance, so the task's state is settled when Advance returns.
        Clock.Advance(TimeSpan.FromSeconds(4));
        Assert.False(ask.IsCompleted);
        Clock.Advance(TimeSpan.FromSeconds(1));
        var error = await Assert.ThrowsAsync<AskTimeoutException>(() => ask);
        Assert.Contains("Int32", error.Message);
    }

    private sealed record StartSingle(string Key, TimeSpan Delay);

    private sealed record StartPeriodic(string Key, TimeSpan Interval);

    private sealed record CancelTimer(string Key);

    private sealed record IsActive(string Key);

    private sealed class TimerActor : ReceiveActor
    {
        public TimerActor(IActorRef probe)
        {
            Receive<string>(m => m == "ping", _ => Sender?.Tell("pong"));
            Receive<StartSingle>(s => Timers.StartSingleTimer(s.Key, "tick:" + s.Key, s.Delay));
            Receive<StartPeriodic>(s => Timers.StartPeriodicTimer(s.Key, "tick:" + s.Key, s.Interval));
            Receive<CancelTimer>(c => Timers.Cancel(c.Key));
            Receive<IsActive>(c => Sender?.Tell(Timers.IsTimerActive(c.Key)));
            Receive<string>(m => probe.Tell(m));
        }
    }

    private sealed class IdleActor : ActorBase
    {
        private readonly IActorRef _probe;

        public IdleActor(IActorRef probe, TimeSpan? idle)
        {
            _probe = probe;
            Context.SetReceiveTimeout(idle);
        }

        protected override void OnReceive(object message)
        {
            if (message is ReceiveTimeout) _probe.Tell(message);
            else if (message is string s && Sender is not null) Sender.Tell(s);
        }
    }
}
