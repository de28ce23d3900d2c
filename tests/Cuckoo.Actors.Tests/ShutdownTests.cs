using Cuckoo.Actors;
using Xunit;

namespace Cuckoo.Actors.Tests;

public sealed class ShutdownTests() : TestKit.TestKit(useFakeClock: true)
{
    [Fact]
    public async Task Coordinated_shutdown_runs_phases_in_order()
    {
        var order = new List<string>();
        var shutdown = Sys.CoordinatedShutdown;
        shutdown.AddTask(CoordinatedShutdown.PhaseBeforeActorSystemTerminate, "last", () => Record(order, "before-terminate"));
        shutdown.AddTask(CoordinatedShutdown.PhaseServiceUnbind, "unbind", async () =>
        {
            await Task.Yield();
            await Record(order, "unbind");
        });
        shutdown.AddTask(CoordinatedShutdown.PhaseBeforeServiceUnbind, "first", () => Record(order, "before-unbind"));
        shutdown.AddTask(CoordinatedShutdown.PhaseClusterLeave, "leave", () => Record(order, "leave"));
        var actor = Sys.ActorOf(ReportingActor.Props(TestActor, "a"));
        await ExpectMsgAsync("a:started");

        await shutdown.RunAsync("test").WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(["before-unbind", "unbind", "leave", "before-terminate"], order);
        Assert.Equal("test", shutdown.Reason);
        Assert.True(Sys.WhenTerminated.IsCompleted);
        Assert.Same(shutdown.RunAsync("again"), shutdown.RunAsync());
    }

    [Fact]
    public async Task A_late_phase_times_out_and_the_next_phase_still_runs()
    {
        var shutdown = Sys.CoordinatedShutdown;
        var cancelled = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        var nextRan = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        shutdown.AddTask(CoordinatedShutdown.PhaseServiceStop, "hangs", async token =>
        {
            try
            {
                await Task.Delay(Timeout.InfiniteTimeSpan, token);
            }
            catch (OperationCanceledException)
            {
                cancelled.TrySetResult(true);
            }
        });
        shutdown.AddTask(CoordinatedShutdown.PhaseClusterLeave, "next", () =>
        {
            nextRan.TrySetResult();
            return Task.CompletedTask;
        });
        var run = shutdown.RunAsync();
        // The phase timeout (5 s) runs on the fake clock: nothing moves until it does.
        await AwaitConditionAsync(() => Clock.PendingTimers > 0);
        Assert.False(nextRan.Task.IsCompleted);
        Clock.Advance(TimeSpan.FromSeconds(5));
        Assert.True(await cancelled.Task.WaitAsync(TimeSpan.FromSeconds(5)));
        await nextRan.Task.WaitAsync(TimeSpan.FromSeconds(5));
        await run.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task A_failing_phase_without_recover_skips_the_rest_but_terminates()
    {
        await using var system = ActorSystem.Create("strict", new ActorSystemSettings
        {
            ShutdownPhases = [new ShutdownPhase("one", TimeSpan.FromSeconds(5), Recover: false), new ShutdownPhase("two", TimeSpan.FromSeconds(5))],
        });
        var ranTwo = false;
        system.CoordinatedShutdown.AddTask("one", "fails", () => Task.FromException(new InvalidOperationException("boom")));
        system.CoordinatedShutdown.AddTask("two", "skipped", () =>
        {
            ranTwo = true;
            return Task.CompletedTask;
        });
        await system.TerminateAsync().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.False(ranTwo);
        Assert.True(system.WhenTerminated.IsCompleted);
    }

    [Fact]
    public async Task An_actor_that_never_stops_does_not_hang_termination()
    {
        var release = new ManualResetEventSlim();
        try
        {
            var stuck = Sys.ActorOf(Props.Create(() => new StuckInPostStop(release, TestActor)));
            stuck.Tell("ping", TestActor);
            await ExpectMsgAsync("pong");
            var run = Sys.TerminateAsync();
            await ExpectMsgAsync("stopping");
            await AwaitConditionAsync(() => Clock.PendingTimers > 0);
            Assert.False(Sys.WhenTerminated.IsCompleted);
            Clock.Advance(TimeSpan.FromSeconds(10));
            await run.WaitAsync(TimeSpan.FromSeconds(5));
            Assert.True(Sys.WhenTerminated.IsCompleted);
        }
        finally
        {
            release.Set();
        }
    }

    [Fact]
    public void Unknown_phase_is_rejected()
    {
        Assert.Throws<ArgumentException>(() => Sys.CoordinatedShutdown.AddTask("no-such-phase", "x", () => Task.CompletedTask));
        Assert.Throws<ArgumentException>(() => ActorSystem.Create("dup", new ActorSystemSettings
        {
            ShutdownPhases = [new ShutdownPhase("a", TimeSpan.FromSeconds(1)), new ShutdownPhase("a", TimeSpan.FromSeconds(1))],
        }));
    }

    private sealed class StuckInPostStop(ManualResetEventSlim release, IActorRef probe) : ActorBase
    {
        protected override void OnReceive(object message) => Sender?.Tell("pong");

        protected override void PostStop()
        {
            probe.Tell("stopping");
            release.Wait(TimeSpan.FromSeconds(20));
        }
    }

    private static Task Record(List<string> order, string what)
    {
        lock (order) order.Add(what);
        return Task.CompletedTask;
    }
}
