using Cuckoo.Actors;
using Xunit;

namespace Cuckoo.Actors.Tests;

public sealed class DeathWatchTests : TestKit.TestKit
{
    [Fact]
    public async Task Watch_delivers_Terminated_when_the_actor_stops()
    {
        var actor = Sys.ActorOf(EchoActor.Props());
        Watch(actor);
        Sys.Stop(actor);
        var terminated = await ExpectMsgAsync<Terminated>();
        Assert.Equal(actor, terminated.ActorRef);
    }

    [Fact]
    public async Task Watch_of_dead_actor_delivers_Terminated()
    {
        var actor = Sys.ActorOf(EchoActor.Props());
        var probe = CreateTestProbe();
        probe.Watch(actor);
        actor.Tell(PoisonPill.Instance);
        await probe.ExpectTerminatedAsync(actor);

        // The actor is long gone; a new watcher still learns of it.
        Watch(actor);
        await ExpectTerminatedAsync(actor);
    }

    [Fact]
    public async Task Unwatch_suppresses_Terminated()
    {
        var actor = Sys.ActorOf(EchoActor.Props());
        var watcher = Sys.ActorOf(Props.Create(() => new WatchingActor(TestActor)));
        watcher.Tell(new WatchIt(actor, Unwatch: true));
        await ExpectMsgAsync("unwatched");
        Sys.Stop(actor);
        await ExpectNoMsgAsync(TimeSpan.FromMilliseconds(150));
    }

    [Fact]
    public async Task Unhandled_Terminated_is_a_death_pact()
    {
        var actor = Sys.ActorOf(EchoActor.Props());
        var watcher = Sys.ActorOf(Props.Create(() => new WatchingActor(TestActor)));
        Watch(watcher);
        watcher.Tell(new WatchIt(actor, Unwatch: false));
        await ExpectMsgAsync("watching");
        Sys.Stop(actor);
        // EchoActor-like watcher does not handle Terminated: DeathPactException, which the default strategy stops.
        await ExpectTerminatedAsync(watcher);
    }

    [Fact]
    public async Task Stopping_a_parent_stops_children_first()
    {
        var parent = Sys.ActorOf(ReportingActor.Props(TestActor, "parent"));
        await ExpectMsgAsync("parent:started");
        parent.Tell(ReportingActor.Props(TestActor, "child"), TestActor);
        await ExpectMsgAsync<IActorRef>();
        await ExpectMsgAsync("child:started");
        Sys.Stop(parent);
        await ExpectMsgAsync("child:stopped");
        await ExpectMsgAsync("parent:stopped");
    }

    [Fact]
    public async Task PoisonPill_stops_after_earlier_messages()
    {
        var actor = Sys.ActorOf(ReportingActor.Props(TestActor, "a"));
        await ExpectMsgAsync("a:started");
        actor.Tell("one");
        actor.Tell(PoisonPill.Instance);
        actor.Tell("two");
        await ExpectMsgAsync("a:one");
        await ExpectMsgAsync("a:stopped");
        await ExpectNoMsgAsync(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public async Task GracefulStop_completes_once_the_actor_has_stopped()
    {
        var actor = Sys.ActorOf(ReportingActor.Props(TestActor, "g"));
        await ExpectMsgAsync("g:started");
        actor.Tell("queued");
        Assert.True(await actor.GracefulStop(TimeSpan.FromSeconds(5)));
        // PoisonPill comes after what was queued, and PostStop ran before the task completed.
        await ExpectMsgAsync("g:queued");
        await ExpectMsgAsync("g:stopped");
        Assert.True(await actor.GracefulStop(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task GracefulStop_returns_false_when_the_actor_does_not_stop_in_time()
    {
        var actor = Sys.ActorOf(EchoActor.Props());
        // A message the actor treats as ordinary instead of a stop request.
        Assert.False(await actor.GracefulStop(TimeSpan.FromMilliseconds(100), "not a stop"));
        actor.Tell("alive", TestActor);
        await ExpectMsgAsync("alive");
    }

    private sealed record WatchIt(IActorRef Target, bool Unwatch);

    private sealed class WatchingActor : ReceiveActor
    {
        public WatchingActor(IActorRef probe)
        {
            Receive<WatchIt>(w =>
            {
                Context.Watch(w.Target);
                if (w.Unwatch)
                {
                    Context.Unwatch(w.Target);
                    probe.Tell("unwatched");
                }
                else
                {
                    probe.Tell("watching");
                }
            });
        }
    }
}
