using Cuckoo.Actors;
using Xunit;

namespace Cuckoo.Actors.Tests;

public sealed class BasicsTests : TestKit.TestKit
{
    [Fact]
    public async Task Tell_delivers_with_sender()
    {
        var echo = Sys.ActorOf(EchoActor.Props(), "echo");
        echo.Tell("hello", TestActor);
        Assert.Equal("hello", await ExpectMsgAsync<string>());
        Assert.Equal(echo, LastSender);
    }

    [Fact]
    public async Task Ask_returns_the_reply()
    {
        var echo = Sys.ActorOf(EchoActor.Props());
        Assert.Equal(42, await echo.Ask<int>(42, TimeSpan.FromSeconds(3)));
    }

    [Fact]
    public async Task Ask_with_failure_reply_faults()
    {
        var echo = Sys.ActorOf(EchoActor.Props());
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            echo.Ask<int>(new Status.Failure(new InvalidOperationException("nope")), TimeSpan.FromSeconds(3)));
        Assert.Equal("nope", error.Message);
    }

    [Fact]
    public async Task Actor_path_names_parent_and_child()
    {
        var parent = Sys.ActorOf(ReportingActor.Props(TestActor, "p"), "parent");
        await ExpectMsgAsync("p:started");
        var child = await parent.Ask<IActorRef>(ReportingActor.Props(TestActor, "c"), TimeSpan.FromSeconds(3));
        Assert.Equal("/user/parent/child", child.Path.ToStringWithoutAddress());
        Assert.Equal($"cuckoo://{Sys.Name}/user/parent/child", child.Path.ToString());
    }
}
