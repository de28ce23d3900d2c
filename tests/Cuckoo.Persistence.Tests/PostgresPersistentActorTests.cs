using Xunit;

namespace Cuckoo.Persistence.Tests;

[Collection(PostgresCollection.Name)]
public sealed class PostgresPersistentActorTests(PostgresServer server) : Cuckoo.Actors.TestKit.TestKit
{
    [Fact]
    public async Task Actor_on_PostgreSQL_recovers_its_snapshot_and_later_events()
    {
        Sys.UsePersistence(PersistenceSettings.Postgres(server.ConnectionString));
        var pid = "list-" + Guid.NewGuid().ToString("N");
        var first = Sys.ActorOf(ListActor.Props(pid));
        first.Tell(new AppendAll(["a", "b"]), TestActor);
        await ExpectMsgAsync<Appended>();
        await ExpectMsgAsync<Appended>();
        first.Tell(new TakeSnapshot(), TestActor);
        await ExpectMsgAsync<SaveSnapshotSuccess>();
        first.Tell(new Append("c"), TestActor);
        await ExpectMsgAsync<Appended>();
        Watch(first);
        Sys.Stop(first);
        await ExpectTerminatedAsync(first);

        var recovery = CreateTestProbe();
        Sys.ActorOf(ListActor.Props(pid, recovery));

        Assert.Equal(["a", "b"], (await recovery.ExpectMsgAsync<OfferedSnapshot>()).Items);
        Assert.Equal(new Replayed("c", 3), await recovery.ExpectMsgAsync<Replayed>());
        var recovered = await recovery.ExpectMsgAsync<Recovered>();
        Assert.Equal(["a", "b", "c"], recovered.Items);
        Assert.Equal(2, recovered.SnapshotSequenceNr);
    }
}
