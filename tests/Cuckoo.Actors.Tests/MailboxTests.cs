using Cuckoo.Actors;
using FsCheck;
using FsCheck.Fluent;
using Xunit;

namespace Cuckoo.Actors.Tests;

public sealed class MailboxTests : TestKit.TestKit
{
    [Fact]
    public async Task Bounded_mailbox_drops_newest_to_dead_letters()
    {
        var gate = new ManualResetEventSlim();
        var deadLetters = CreateTestProbe();
        Sys.EventStream.Subscribe(deadLetters, typeof(DeadLetter));
        var actor = Sys.ActorOf(Props.Create(() => new GatedActor(gate, TestActor)).WithMailbox(MailboxOptions.Bounded(2, MailboxOverflow.DropNewest)));
        actor.Tell(0, TestActor);
        await ExpectMsgAsync("blocked");
        actor.Tell(1, TestActor);
        actor.Tell(2, TestActor);
        actor.Tell(3, TestActor);
        var letter = await deadLetters.ExpectMsgAsync<DeadLetter>();
        Assert.Equal(3, letter.Message);
        Assert.Equal(actor, letter.Recipient);
        Assert.Equal(TestActor, letter.Sender);
        gate.Set();
        Assert.Equal(0, await ExpectMsgAsync<int>());
        Assert.Equal(1, await ExpectMsgAsync<int>());
        Assert.Equal(2, await ExpectMsgAsync<int>());
        await ExpectNoMsgAsync(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public async Task Bounded_mailbox_drops_oldest_to_dead_letters()
    {
        var gate = new ManualResetEventSlim();
        var deadLetters = CreateTestProbe();
        Sys.EventStream.Subscribe(deadLetters, typeof(DeadLetter));
        var actor = Sys.ActorOf(Props.Create(() => new GatedActor(gate, TestActor)).WithMailbox(MailboxOptions.Bounded(2, MailboxOverflow.DropOldest)));
        actor.Tell(0, TestActor);
        await ExpectMsgAsync("blocked");
        actor.Tell(1, TestActor);
        actor.Tell(2, TestActor);
        actor.Tell(3, TestActor);
        Assert.Equal(1, (await deadLetters.ExpectMsgAsync<DeadLetter>()).Message);
        gate.Set();
        Assert.Equal(0, await ExpectMsgAsync<int>());
        Assert.Equal(2, await ExpectMsgAsync<int>());
        Assert.Equal(3, await ExpectMsgAsync<int>());
    }

    [Fact]
    public async Task Bounded_mailbox_with_fail_policy_throws_on_tell()
    {
        var gate = new ManualResetEventSlim();
        var actor = Sys.ActorOf(Props.Create(() => new GatedActor(gate, TestActor)).WithMailbox(MailboxOptions.Bounded(1, MailboxOverflow.Fail)));
        actor.Tell(0, TestActor);
        await ExpectMsgAsync("blocked");
        actor.Tell(1, TestActor);
        var error = Assert.Throws<MailboxOverflowException>(() => actor.Tell(2, TestActor));
        Assert.Equal(actor, error.Recipient);
        gate.Set();
        Assert.Equal(0, await ExpectMsgAsync<int>());
        Assert.Equal(1, await ExpectMsgAsync<int>());
        await ExpectNoMsgAsync(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public void Invalid_mailbox_options_are_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Props.Create<EchoActor>().WithMailbox(MailboxOptions.Bounded(0)));
        Assert.Throws<ArgumentOutOfRangeException>(() => Props.Create<EchoActor>().WithMailbox(new MailboxOptions { Throughput = 0 }));
    }

    [Fact]
    public async Task System_messages_overtake_user_messages()
    {
        var gate = new ManualResetEventSlim();
        var deadLetters = CreateTestProbe();
        Sys.EventStream.Subscribe(deadLetters, typeof(DeadLetter));
        var actor = Sys.ActorOf(Props.Create(() => new GatedActor(gate, TestActor)));
        Watch(actor);
        actor.Tell(0, TestActor);
        await ExpectMsgAsync("blocked");
        actor.Tell(1, TestActor);
        actor.Tell(2, TestActor);
        Sys.Stop(actor);
        gate.Set();
        Assert.Equal(0, await ExpectMsgAsync<int>());
        // The stop (a system message) was processed before the queued user messages, which became dead letters.
        await ExpectTerminatedAsync(actor);
        Assert.Equal(1, (await deadLetters.ExpectMsgAsync<DeadLetter>()).Message);
        Assert.Equal(2, (await deadLetters.ExpectMsgAsync<DeadLetter>()).Message);
    }

    [Fact]
    public async Task Messages_to_a_stopped_actor_become_dead_letters_with_sender_and_recipient()
    {
        var deadLetters = CreateTestProbe();
        Sys.EventStream.Subscribe(deadLetters, typeof(DeadLetter));
        var actor = Sys.ActorOf(EchoActor.Props());
        Watch(actor);
        Sys.Stop(actor);
        await ExpectTerminatedAsync(actor);
        actor.Tell("late", TestActor);
        var letter = await deadLetters.ExpectMsgAsync<DeadLetter>();
        Assert.Equal("late", letter.Message);
        Assert.Equal(TestActor, letter.Sender);
        Assert.Equal(actor, letter.Recipient);
    }

    [Fact]
    public void Per_sender_order_is_preserved()
    {
        // Several senders interleave; each sender's messages must arrive in the order it sent them.
        Prop.ForAll(
                Arb.From(Gen.Choose(1, 4)),
                Arb.From(Gen.Choose(1, 200)),
                (senders, perSender) =>
                {
                    var collector = new CollectingActorState();
                    var actor = Sys.ActorOf(Props.Create(() => new CollectingActor(collector)));
                    var threads = Enumerable.Range(0, senders)
                        .Select(s => Task.Run(() =>
                        {
                            for (var i = 0; i < perSender; i++) actor.Tell((s, i));
                        }))
                        .ToArray();
                    Task.WaitAll(threads);
                    var done = actor.Ask<List<(int, int)>>("done", TimeSpan.FromSeconds(10)).GetAwaiter().GetResult();
                    Sys.Stop(actor);
                    return done.Count == senders * perSender
                        && done.GroupBy(m => m.Item1).All(g => g.Select(m => m.Item2).SequenceEqual(Enumerable.Range(0, perSender)));
                })
            .QuickCheckThrowOnFailure();
    }

    private sealed class CollectingActorState
    {
        public List<(int, int)> Received { get; } = [];
    }

    private sealed class CollectingActor(CollectingActorState state) : ActorBase
    {
        protected override void OnReceive(object message)
        {
            if (message is (int s, int i)) state.Received.Add((s, i));
            else Sender?.Tell(state.Received.ToList());
        }
    }

    /// <summary>Blocks on the first message until the gate opens (bounded by a deadline), then echoes ints.</summary>
    private sealed class GatedActor(ManualResetEventSlim gate, IActorRef probe) : ActorBase
    {
        private bool _first = true;

        protected override void OnReceive(object message)
        {
            if (_first)
            {
                _first = false;
                probe.Tell("blocked");
                if (!gate.Wait(TimeSpan.FromSeconds(10))) throw new TimeoutException("gate never opened");
            }
            Sender?.Tell(message);
        }
    }
}
