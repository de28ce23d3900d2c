using Akka.Actor;
using Akka.Configuration;
using Akka.Coordination;
using Cuckoo.Cluster.Lease;
using Xunit;

namespace Cuckoo.Cluster.Tests.Lease;

/// <summary>The twin as unit tests of other actors would load it: through Akka's LeaseProvider, in two systems at once.</summary>
public sealed class InMemoryLeaseTests : IDisposable
{
    private readonly ActorSystem _nodeA = ActorSystem.Create("in-memory-a", ConfigurationFactory.ParseString(InMemoryLease.Hocon));
    private readonly ActorSystem _nodeB = ActorSystem.Create("in-memory-b", ConfigurationFactory.ParseString(InMemoryLease.Hocon));

    public void Dispose()
    {
        _nodeA.Terminate().Wait(TimeSpan.FromSeconds(10));
        _nodeB.Terminate().Wait(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Two_actor_systems_in_one_process_compete_for_the_same_lease()
    {
        var name = LeaseTestConfig.NewName();
        var a = LeaseProvider.Get(_nodeA).GetLease(name, InMemoryLease.Path, "in-memory-a@127.0.0.1:1");
        var b = LeaseProvider.Get(_nodeB).GetLease(name, InMemoryLease.Path, "in-memory-b@127.0.0.1:2");

        Assert.IsType<InMemoryLease>(a);
        Assert.True(await a.Acquire());
        Assert.False(await b.Acquire());
        Assert.True(await a.Release());
        Assert.True(await b.Acquire());
        Assert.True(((InMemoryLease)b).FencingToken > 1);
    }
}
