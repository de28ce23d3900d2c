using Cuckoo.Actors;
using Xunit;

namespace Cuckoo.Actors.Tests;

public sealed class SettingsTests() : TestKit.TestKit(new ActorSystemSettings
{
    GuardianSupervisorStrategy = SupervisorStrategy.StoppingStrategy,
    PreferLocalScheduling = true,
    DefaultMailbox = new MailboxOptions { Throughput = 1 },
})
{
    [Fact]
    public async Task Guardian_strategy_from_settings_applies_to_top_level_actors()
    {
        var actor = Sys.ActorOf(ReportingActor.Props(TestActor, "top"));
        await ExpectMsgAsync("top:started");
        Watch(actor);
        actor.Tell("fail");
        await ExpectMsgAsync("top:stopped");
        await ExpectTerminatedAsync(actor);
    }

    [Fact]
    public async Task Many_messages_flow_with_local_scheduling_and_a_turn_of_one_message()
    {
        var counter = Sys.ActorOf(Props.Create(() => new ReportingActor(ActorRefs.Nobody, "n")));
        for (var i = 0; i < 10_000; i++) counter.Tell(i);
        counter.Tell("count", TestActor);
        Assert.Equal(10_000, await ExpectMsgAsync<int>(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task Unstash_returns_the_oldest_and_ClearStash_discards_the_rest()
    {
        var actor = Sys.ActorOf(Props.Create(() => new SelectiveActor()));
        actor.Tell("a", TestActor);
        actor.Tell("b", TestActor);
        actor.Tell("c", TestActor);
        actor.Tell(1, TestActor);
        await ExpectMsgAsync("a");
        actor.Tell(2, TestActor);
        await ExpectMsgAsync(0);
        await ExpectNoMsgAsync(TimeSpan.FromMilliseconds(100));
    }

    /// <summary>Stashes strings; 1 = unstash one (and echo it from the new behaviour), 2 = report and clear the rest.</summary>
    private sealed class SelectiveActor : ReceiveActor
    {
        public SelectiveActor()
        {
            Receive<string>(_ => Stash.Stash());
            Receive<int>(i => i == 1, _ =>
            {
                Stash.Unstash();
                BecomeStacked(() => Receive<string>(s =>
                {
                    Sender?.Tell(s);
                    Context.Unbecome();
                }));
            });
            Receive<int>(i => i == 2, _ =>
            {
                Stash.ClearStash();
                Sender?.Tell(Stash.Count);
            });
        }
    }
}
