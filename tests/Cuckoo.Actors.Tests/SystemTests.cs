using Cuckoo.Actors;
using Xunit;

namespace Cuckoo.Actors.Tests;

public sealed class SystemTests : TestKit.TestKit
{
    [Fact]
    public async Task ActorSelection_resolves_absolute_relative_and_wildcard_paths()
    {
        var parent = Sys.ActorOf(ReportingActor.Props(TestActor, "p"), "scheduler");
        await ExpectMsgAsync("p:started");
        var child = await parent.Ask<IActorRef>(ReportingActor.Props(TestActor, "c"), TimeSpan.FromSeconds(3));
        await ExpectMsgAsync("c:started");

        Assert.Equal(parent, await Sys.ActorSelection("/user/scheduler").ResolveOne(TimeSpan.FromSeconds(1)));
        Assert.Equal(child, await Sys.ActorSelection($"cuckoo://{Sys.Name}/user/scheduler/child").ResolveOne(TimeSpan.FromSeconds(1)));
        Assert.Equal([child], Sys.ActorSelection("/user/sched*/ch?ld").Resolve());
        Sys.ActorSelection("/user/scheduler/*").Tell("hello");
        await ExpectMsgAsync("c:hello");
        await Assert.ThrowsAsync<ActorNotFoundException>(() => Sys.ActorSelection("/user/nobody").ResolveOne(TimeSpan.FromSeconds(1)));
        Assert.Empty(Sys.ActorSelection("cuckoo://other-system/user/scheduler").Resolve());
        Assert.Throws<ArgumentException>(() => Sys.ActorSelection("user/relative"));
    }

    [Fact]
    public async Task Context_ActorSelection_resolves_siblings()
    {
        var a = Sys.ActorOf(Props.Create(() => new SelectingActor()), "a");
        var b = Sys.ActorOf(EchoActor.Props(), "b");
        a.Tell("../b", TestActor);
        Assert.Equal(b, await ExpectMsgAsync<IActorRef>());
    }

    [Fact]
    public async Task Selection_to_nobody_goes_to_dead_letters()
    {
        var deadLetters = CreateTestProbe();
        Sys.EventStream.Subscribe(deadLetters, typeof(DeadLetter));
        Sys.ActorSelection("/user/missing").Tell("lost", TestActor);
        var letter = await deadLetters.ExpectMsgAsync<DeadLetter>();
        Assert.Equal("lost", letter.Message);
    }

    [Fact]
    public async Task Child_names_must_be_valid_and_unique()
    {
        Sys.ActorOf(EchoActor.Props(), "unique");
        Assert.Throws<InvalidActorNameException>(() => Sys.ActorOf(EchoActor.Props(), "unique"));
        Assert.Throws<InvalidActorNameException>(() => Sys.ActorOf(EchoActor.Props(), "$reserved"));
        Assert.Throws<InvalidActorNameException>(() => Sys.ActorOf(EchoActor.Props(), "a/b"));
        Assert.Throws<InvalidActorNameException>(() => Sys.ActorOf(EchoActor.Props(), ""));
        var generated = Sys.ActorOf(EchoActor.Props());
        Assert.StartsWith("$", generated.Path.Name);

        // The name is free again once the actor has stopped.
        var first = Sys.ActorOf(EchoActor.Props(), "reused");
        Watch(first);
        Sys.Stop(first);
        await ExpectTerminatedAsync(first);
        var second = Sys.ActorOf(EchoActor.Props(), "reused");
        Assert.NotEqual(first, second);
        Assert.Equal(first.Path.ToString(), second.Path.ToString());
    }

    [Fact]
    public void Actor_cannot_be_created_with_new()
    {
        Assert.Throws<ActorInitializationException>(() => new EchoActor());
    }

    [Fact]
    public async Task Event_stream_delivers_by_type_until_unsubscribed()
    {
        var probe = CreateTestProbe();
        Assert.True(Sys.EventStream.Subscribe(probe, typeof(IEvent)));
        Assert.False(Sys.EventStream.Subscribe(probe, typeof(IEvent)));
        Sys.EventStream.Publish(new Happened(1));
        Sys.EventStream.Publish("not an event");
        Assert.Equal(1, (await probe.ExpectMsgAsync<Happened>()).N);
        Assert.True(Sys.EventStream.Unsubscribe(probe, typeof(IEvent)));
        Sys.EventStream.Publish(new Happened(2));
        await probe.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public void Extensions_are_created_once_per_system()
    {
        var created = 0;
        var first = Sys.GetOrAddExtension(_ => new Registry(Interlocked.Increment(ref created)));
        var second = Sys.GetOrAddExtension(_ => new Registry(Interlocked.Increment(ref created)));
        Assert.Same(first, second);
        Assert.Equal(1, created);
    }

    [Fact]
    public void Invalid_system_names_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => ActorSystem.Create("has space"));
        Assert.Throws<ArgumentException>(() => ActorSystem.Create(""));
    }

    [Fact]
    public async Task Terminate_stops_every_actor_and_rejects_new_ones()
    {
        await using var system = ActorSystem.Create("short-lived");
        var probe = new TestKit.TestProbe(system);
        system.ActorOf(ReportingActor.Props(probe, "a"));
        await probe.ExpectMsgAsync("a:started");
        await system.TerminateAsync();
        await probe.ExpectMsgAsync("a:stopped");
        Assert.True(system.WhenTerminated.IsCompleted);
        Assert.Throws<InvalidOperationException>(() => system.ActorOf(EchoActor.Props()));
    }

    private interface IEvent;

    private sealed record Happened(int N) : IEvent;

    private sealed record Registry(int Id);

    private sealed class SelectingActor : ReceiveActor
    {
        public SelectingActor() =>
            ReceiveAsync<string>(async path => Sender?.Tell(await Context.ActorSelection(path).ResolveOne(TimeSpan.FromSeconds(1))));
    }
}
