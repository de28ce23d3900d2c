using Cuckoo.Actors;
using Xunit;

namespace Cuckoo.Actors.Tests;

public sealed class BackoffTests() : TestKit.TestKit(useFakeClock: true)
{
    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(100);

    [Fact]
    public async Task Supervisor_restarts_child_with_exponential_backoff()
    {
        var backoff = new BackoffOptions(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(3), RandomFactor: 0);
        var supervisor = Sys.ActorOf(SupervisorActor.Props(new OneForOneStrategy(-1, TimeSpan.FromMinutes(10), _ => Directive.Restart, backoff)));
        supervisor.Tell(new CreateChild(ReportingActor.Props(TestActor, "c"), "c"), TestActor);
        var child = await ExpectMsgAsync<IActorRef>();
        await ExpectMsgAsync("c:started");
        var scheduled = CreateTestProbe();
        Sys.EventStream.Subscribe(scheduled, typeof(RestartScheduled));

        foreach (var expected in new[] { 1, 2, 3, 3 })
        {
            child.Tell("fail");
            var restart = await scheduled.ExpectMsgAsync<RestartScheduled>();
            Assert.Equal(TimeSpan.FromSeconds(expected), restart.Delay);
            Assert.Equal(child, restart.Child);
            // Nothing happens until the clock passes the delay.
            Clock.Advance(TimeSpan.FromSeconds(expected) - TimeSpan.FromMilliseconds(1));
            await ExpectNoMsgAsync(Quiet);
            Clock.Advance(TimeSpan.FromMilliseconds(1));
            await ExpectMsgAsync("c:pre-restart:fail");
            await ExpectMsgAsync("c:stopped");
            await ExpectMsgAsync("c:restarted");
            await ExpectMsgAsync("c:started");
        }
    }

    [Fact]
    public async Task Messages_wait_during_backoff_and_are_processed_after_restart()
    {
        var backoff = new BackoffOptions(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5), RandomFactor: 0);
        var supervisor = Sys.ActorOf(SupervisorActor.Props(new OneForOneStrategy(_ => Directive.Restart, backoff)));
        supervisor.Tell(new CreateChild(ReportingActor.Props(TestActor, "c"), "c"), TestActor);
        var child = await ExpectMsgAsync<IActorRef>();
        await ExpectMsgAsync("c:started");
        var scheduled = CreateTestProbe();
        Sys.EventStream.Subscribe(scheduled, typeof(RestartScheduled));
        child.Tell("fail");
        child.Tell("queued");
        await scheduled.ExpectMsgAsync<RestartScheduled>();
        await ExpectNoMsgAsync(Quiet);
        Clock.Advance(TimeSpan.FromSeconds(5));
        await FishForMessageAsync<string>(m => m == "c:queued");
    }

    [Fact]
    public async Task Restart_window_is_measured_on_the_clock()
    {
        var supervisor = Sys.ActorOf(SupervisorActor.Props(new OneForOneStrategy(1, TimeSpan.FromMinutes(1), _ => Directive.Restart)));
        supervisor.Tell(new CreateChild(ReportingActor.Props(TestActor, "c"), "c"), TestActor);
        var child = await ExpectMsgAsync<IActorRef>();
        await ExpectMsgAsync("c:started");
        Watch(child);
        // One restart per minute is allowed: failing once a minute for three minutes keeps the child alive.
        for (var i = 0; i < 3; i++)
        {
            child.Tell("fail");
            await FishForMessageAsync<string>(m => m == "c:restarted");
            Clock.Advance(TimeSpan.FromMinutes(1) + TimeSpan.FromSeconds(1));
        }
        child.Tell("fail");
        await FishForMessageAsync<string>(m => m == "c:restarted");
        // A second failure within the same minute exceeds the limit.
        child.Tell("fail");
        await FishForMessageAsync<Terminated>(t => t.ActorRef.Equals(child));
    }

    [Fact]
    public void Backoff_delay_doubles_up_to_the_maximum()
    {
        var backoff = new BackoffOptions(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(1), RandomFactor: 0);
        Assert.Equal(TimeSpan.FromMilliseconds(100), backoff.DelayFor(1));
        Assert.Equal(TimeSpan.FromMilliseconds(200), backoff.DelayFor(2));
        Assert.Equal(TimeSpan.FromMilliseconds(800), backoff.DelayFor(4));
        Assert.Equal(TimeSpan.FromSeconds(1), backoff.DelayFor(5));
        Assert.Equal(TimeSpan.FromSeconds(1), backoff.DelayFor(500));
        var jittered = new BackoffOptions(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10), RandomFactor: 0.5);
        for (var i = 0; i < 50; i++)
        {
            var delay = jittered.DelayFor(1);
            Assert.InRange(delay, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1.5));
        }
    }
}
