using Cuckoo.Actors;
using Xunit;

namespace Cuckoo.Actors.Tests;

public sealed class SupervisionTests : TestKit.TestKit
{
    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(150);

    private async Task<IActorRef> ChildOf(IActorRef supervisor, string name)
    {
        supervisor.Tell(new CreateChild(ReportingActor.Props(TestActor, name), name), TestActor);
        var child = await ExpectMsgAsync<IActorRef>();
        await ExpectMsgAsync($"{name}:started");
        return child;
    }

    [Fact]
    public async Task Default_strategy_restarts_and_keeps_queued_messages()
    {
        var actor = Sys.ActorOf(ReportingActor.Props(TestActor, "a"));
        await ExpectMsgAsync("a:started");
        actor.Tell("one");
        actor.Tell("fail");
        actor.Tell("two");
        await ExpectMsgAsync("a:one");
        await ExpectMsgAsync("a:pre-restart:fail");
        await ExpectMsgAsync("a:stopped");
        await ExpectMsgAsync("a:restarted");
        await ExpectMsgAsync("a:started");
        await ExpectMsgAsync("a:two");
        actor.Tell("count", TestActor);
        Assert.Equal(1, await ExpectMsgAsync<int>());
    }

    [Fact]
    public async Task Resume_keeps_the_state()
    {
        var supervisor = Sys.ActorOf(SupervisorActor.Props(new OneForOneStrategy(_ => Directive.Resume)));
        var child = await ChildOf(supervisor, "c");
        child.Tell("x");
        await ExpectMsgAsync("c:x");
        child.Tell("fail");
        child.Tell("count", TestActor);
        Assert.Equal(1, await ExpectMsgAsync<int>());
    }

    [Fact]
    public async Task Stop_directive_stops_the_child()
    {
        var supervisor = Sys.ActorOf(SupervisorActor.Props(new OneForOneStrategy(_ => Directive.Stop)));
        var child = await ChildOf(supervisor, "c");
        Watch(child);
        child.Tell("fail");
        await ExpectMsgAsync("c:stopped");
        await ExpectTerminatedAsync(child);
    }

    [Fact]
    public async Task Restart_limit_within_window_stops_the_child()
    {
        var supervisor = Sys.ActorOf(SupervisorActor.Props(
            new OneForOneStrategy(2, TimeSpan.FromMinutes(1), _ => Directive.Restart)));
        var child = await ChildOf(supervisor, "c");
        Watch(child);
        for (var i = 0; i < 2; i++)
        {
            child.Tell("fail");
            await ExpectMsgAsync("c:pre-restart:fail");
            await ExpectMsgAsync("c:stopped");
            await ExpectMsgAsync("c:restarted");
            await ExpectMsgAsync("c:started");
        }
        child.Tell("fail");
        await ExpectMsgAsync("c:stopped");
        await ExpectTerminatedAsync(child);
    }

    [Fact]
    public async Task All_for_one_restarts_siblings()
    {
        var supervisor = Sys.ActorOf(SupervisorActor.Props(new AllForOneStrategy(_ => Directive.Restart)));
        var first = await ChildOf(supervisor, "first");
        var second = await ChildOf(supervisor, "second");
        second.Tell("before");
        await ExpectMsgAsync("second:before");
        first.Tell("fail");
        var seen = new HashSet<string>();
        for (var i = 0; i < 8; i++) seen.Add(await ExpectMsgAsync<string>());
        Assert.Contains("first:restarted", seen);
        Assert.Contains("second:restarted", seen);
        Assert.Contains("second:pre-restart:", seen);
        second.Tell("count", TestActor);
        Assert.Equal(0, await ExpectMsgAsync<int>());
        first.Tell("after");
        await ExpectMsgAsync("first:after");
    }

    [Fact]
    public async Task One_for_one_leaves_siblings_alone()
    {
        var supervisor = Sys.ActorOf(SupervisorActor.Props(new OneForOneStrategy(_ => Directive.Restart)));
        var first = await ChildOf(supervisor, "first");
        var second = await ChildOf(supervisor, "second");
        second.Tell("before");
        await ExpectMsgAsync("second:before");
        first.Tell("fail");
        await ExpectMsgAsync("first:pre-restart:fail");
        await ExpectMsgAsync("first:stopped");
        await ExpectMsgAsync("first:restarted");
        await ExpectMsgAsync("first:started");
        second.Tell("count", TestActor);
        Assert.Equal(1, await ExpectMsgAsync<int>());
    }

    [Fact]
    public async Task Escalate_reaches_the_grandparent()
    {
        // grandparent restarts on escalation; the parent escalates every failure of its child.
        var grandparent = Sys.ActorOf(SupervisorActor.Props(new OneForOneStrategy(_ => Directive.Restart)), "grandparent");
        grandparent.Tell(new CreateChild(SupervisorActor.Props(new OneForOneStrategy(_ => Directive.Escalate)), "parent"), TestActor);
        var parent = await ExpectMsgAsync<IActorRef>();
        var child = await ChildOf(parent, "c");
        Watch(child);
        child.Tell("fail");
        // Restarting the parent stops its children (default PreRestart), so the failed grandchild is gone for good.
        await ExpectMsgAsync("c:stopped");
        await ExpectTerminatedAsync(child);
        parent.Tell(new CreateChild(ReportingActor.Props(TestActor, "c2"), "c"), TestActor);
        await ExpectMsgAsync<IActorRef>();
        await ExpectMsgAsync("c2:started");
    }

    [Fact]
    public async Task Escalated_failure_resumed_by_the_grandparent_resumes_the_whole_branch()
    {
        var grandparent = Sys.ActorOf(SupervisorActor.Props(new OneForOneStrategy(_ => Directive.Resume)));
        grandparent.Tell(new CreateChild(SupervisorActor.Props(new OneForOneStrategy(_ => Directive.Escalate)), "parent"), TestActor);
        var parent = await ExpectMsgAsync<IActorRef>();
        var child = await ChildOf(parent, "c");
        var sibling = await ChildOf(parent, "s");
        child.Tell("x");
        await ExpectMsgAsync("c:x");
        child.Tell("fail");
        child.Tell("y");
        sibling.Tell("z");
        // Nobody restarted; both grandchildren go on with their state and their queued messages.
        var seen = new HashSet<string> { await ExpectMsgAsync<string>(), await ExpectMsgAsync<string>() };
        Assert.Equal(["c:y", "s:z"], seen.Order());
        child.Tell("count", TestActor);
        Assert.Equal(2, await ExpectMsgAsync<int>());
        parent.Tell(new CreateChild(EchoActor.Props(), "echo"), TestActor);
        await ExpectMsgAsync<IActorRef>();
    }

    [Fact]
    public async Task All_for_one_stop_stops_all_children()
    {
        var supervisor = Sys.ActorOf(SupervisorActor.Props(new AllForOneStrategy(_ => Directive.Stop)));
        var first = await ChildOf(supervisor, "first");
        var second = await ChildOf(supervisor, "second");
        Watch(first);
        Watch(second);
        first.Tell("fail");
        var terminated = new HashSet<IActorRef>();
        await FishForMessageAsync<Terminated>(t => terminated.Add(t.ActorRef) && terminated.Count == 2);
        Assert.Contains(second, terminated);
    }

    [Fact]
    public async Task Failure_in_constructor_stops_the_actor_with_default_strategy()
    {
        var actor = Sys.ActorOf(Props.Create<ThrowingConstructorActor>());
        Watch(actor);
        await ExpectTerminatedAsync(actor);
    }

    [Fact]
    public async Task Kill_stops_the_actor()
    {
        var actor = Sys.ActorOf(ReportingActor.Props(TestActor, "k"));
        await ExpectMsgAsync("k:started");
        Watch(actor);
        actor.Tell(Kill.Instance);
        await ExpectMsgAsync("k:stopped");
        await ExpectTerminatedAsync(actor);
    }

    [Fact]
    public async Task Exception_in_decider_escalates()
    {
        var grandparent = Sys.ActorOf(SupervisorActor.Props(new OneForOneStrategy(_ => Directive.Stop)));
        grandparent.Tell(new CreateChild(SupervisorActor.Props(new OneForOneStrategy(_ => throw new InvalidOperationException("bad decider"))), "parent"), TestActor);
        var parent = await ExpectMsgAsync<IActorRef>();
        var child = await ChildOf(parent, "c");
        Watch(parent);
        child.Tell("fail");
        await ExpectMsgAsync("c:stopped");
        await ExpectTerminatedAsync(parent);
        await ExpectNoMsgAsync(Quiet);
    }

    private sealed class ThrowingConstructorActor : ActorBase
    {
        public ThrowingConstructorActor() => throw new InvalidOperationException("cannot start");

        protected override void OnReceive(object message)
        {
        }
    }
}
