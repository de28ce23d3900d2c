using Cuckoo.Actors;
using Xunit;

namespace Cuckoo.Actors.Tests;

public sealed class BehaviourTests : TestKit.TestKit
{
    [Fact]
    public async Task Become_and_Unbecome_switch_behaviour()
    {
        var actor = Sys.ActorOf(Props.Create(() => new SwitchActor()));
        actor.Tell("state", TestActor);
        await ExpectMsgAsync("happy");
        actor.Tell("swap", TestActor);
        actor.Tell("state", TestActor);
        await ExpectMsgAsync("sad");
        actor.Tell("swap", TestActor);
        actor.Tell("state", TestActor);
        await ExpectMsgAsync("happy");
    }

    [Fact]
    public async Task Stash_holds_messages_until_UnstashAll_in_order()
    {
        var actor = Sys.ActorOf(Props.Create(() => new StashingActor()));
        actor.Tell("a", TestActor);
        actor.Tell("b", TestActor);
        actor.Tell("open", TestActor);
        actor.Tell("c", TestActor);
        await ExpectMsgAsync("opened");
        await ExpectMsgAsync("a");
        await ExpectMsgAsync("b");
        await ExpectMsgAsync("c");
    }

    [Fact]
    public async Task Stashed_messages_survive_a_restart()
    {
        var actor = Sys.ActorOf(Props.Create(() => new StashingActor()));
        actor.Tell("a", TestActor);
        actor.Tell("fail", TestActor);
        actor.Tell("open", TestActor);
        await ExpectMsgAsync("opened");
        // "a" was stashed before the failure, unstashed at restart, and stashed again by the fresh instance.
        await ExpectMsgAsync("a");
    }

    [Fact]
    public async Task Stashed_messages_go_to_dead_letters_when_the_actor_stops()
    {
        var deadLetters = CreateTestProbe();
        Sys.EventStream.Subscribe(deadLetters, typeof(DeadLetter));
        var actor = Sys.ActorOf(Props.Create(() => new StashingActor()));
        actor.Tell("a", TestActor);
        actor.Tell(PoisonPill.Instance);
        var letter = await deadLetters.FishForMessageAsync<DeadLetter>(d => d.Message is "a");
        Assert.Equal(actor, letter.Recipient);
    }

    [Fact]
    public async Task ReceiveAsync_processes_one_message_at_a_time_and_resumes_on_the_actor()
    {
        var actor = Sys.ActorOf(Props.Create(() => new AsyncActor()));
        var gate = new TaskCompletionSource();
        actor.Tell(gate.Task, TestActor);
        actor.Tell("after", TestActor);
        await ExpectNoMsgAsync(TimeSpan.FromMilliseconds(100));
        gate.SetResult();
        Assert.Equal("done:True", await ExpectMsgAsync<string>());
        await ExpectMsgAsync("after");
    }

    [Fact]
    public async Task ReceiveAsync_fault_goes_to_the_supervisor()
    {
        var actor = Sys.ActorOf(Props.Create(() => new AsyncActor()));
        var gate = new TaskCompletionSource();
        actor.Tell(gate.Task, TestActor);
        gate.SetException(new InvalidOperationException("async boom"));
        actor.Tell("count", TestActor);
        // Restarted: the fresh instance has handled nothing.
        Assert.Equal("count:0", await ExpectMsgAsync<string>());
    }

    [Fact]
    public async Task PipeTo_delivers_result_and_failure()
    {
        _ = Task.FromResult(7).PipeTo(TestActor);
        Assert.Equal(7, await ExpectMsgAsync<int>());
        _ = Task.FromException<int>(new InvalidOperationException("x")).PipeTo(TestActor);
        var failure = await ExpectMsgAsync<Status.Failure>();
        Assert.IsType<InvalidOperationException>(failure.Cause);
        _ = Task.CompletedTask.PipeTo(TestActor, success: () => "ok");
        await ExpectMsgAsync("ok");
        _ = Task.FromResult(3).PipeTo(TestActor, success: v => $"v{v}");
        await ExpectMsgAsync("v3");
    }

    [Fact]
    public async Task Ask_honours_cancellation()
    {
        var silent = Sys.ActorOf(Props.Create(() => new StashingActor()));
        using var cts = new CancellationTokenSource();
        var ask = silent.Ask<string>("x", TimeSpan.FromMinutes(1), cts.Token);
        Assert.False(ask.IsCompleted);
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => ask);
    }

    [Fact]
    public async Task Unhandled_messages_are_published()
    {
        var probe = CreateTestProbe();
        Sys.EventStream.Subscribe(probe, typeof(UnhandledMessage));
        var actor = Sys.ActorOf(Props.Create(() => new SwitchActor()));
        actor.Tell(12345);
        var unhandled = await probe.ExpectMsgAsync<UnhandledMessage>();
        Assert.Equal(12345, unhandled.Message);
        Assert.Equal(actor, unhandled.Recipient);
    }

    private sealed class SwitchActor : ReceiveActor
    {
        public SwitchActor() => Happy();

        private void Happy()
        {
            Receive<string>(m => m == "state", _ => Sender?.Tell("happy"));
            Receive<string>(m => m == "swap", _ => BecomeStacked(Sad));
        }

        private void Sad()
        {
            Receive<string>(m => m == "state", _ => Sender?.Tell("sad"));
            Receive<string>(m => m == "swap", _ => Context.Unbecome());
        }
    }

    private sealed class StashingActor : ReceiveActor
    {
        public StashingActor()
        {
            Receive<string>(m => m == "fail", _ => throw new InvalidOperationException("fail"));
            Receive<string>(m => m == "open", _ =>
            {
                Sender?.Tell("opened");
                Become(() => ReceiveAny(m => Sender?.Tell(m)));
                Stash.UnstashAll();
            });
            ReceiveAny(_ => Stash.Stash());
        }
    }

    private sealed class AsyncActor : ReceiveActor
    {
        private int _handled;

        public AsyncActor()
        {
            ReceiveAsync<Task>(async gate =>
            {
                var before = Context.Self;
                await gate;
                await Task.Yield();
                _handled++;
                // Still on the actor's turn: Context and Sender are those of this message.
                Sender?.Tell($"done:{before.Equals(Context.Self) && SynchronizationContext.Current is not null}");
            });
            Receive<string>(m => m == "count", _ => Sender?.Tell($"count:{_handled}"));
            Receive<string>(m => Sender?.Tell(m));
        }
    }
}
