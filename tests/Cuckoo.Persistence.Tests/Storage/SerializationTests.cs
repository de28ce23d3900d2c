using Microsoft.Data.Sqlite;
using Xunit;

namespace Cuckoo.Persistence.Tests.Storage;

public sealed class SerializationTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    private string DbPath => _dir.File("events.db");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Renaming_an_event_type_keeps_its_stored_events_readable()
    {
        var oldBuild = new EventRegistry(scanLoadedAssemblies: false)
            .Register(typeof(TaskAcceptedBeforeRename), "test.task-accepted.v1");
        await using (var journal = new SqliteJournal(DbPath, oldBuild))
        {
            await journal.WriteAsync([new AtomicWrite(new PersistentRepr("scheduler", 1, new TaskAcceptedBeforeRename("t-1", "ocr")))]);
        }

        await using var renamed = new SqliteJournal(DbPath, new EventRegistry());
        var replayed = new List<PersistentRepr>();
        await renamed.ReplayAsync("scheduler", 1, long.MaxValue, long.MaxValue, replayed.Add);

        Assert.Equal(new TaskAccepted("t-1", "ocr"), Assert.Single(replayed).Payload);
        var (manifest, payload) = ReadStoredRow("scheduler", 1);
        Assert.Equal("test.task-accepted.v1", manifest);
        Assert.DoesNotContain(nameof(TaskAcceptedBeforeRename), payload);
    }

    [Fact]
    public async Task Replaying_an_unknown_manifest_fails_with_a_clear_error()
    {
        var oldBuild = new EventRegistry(scanLoadedAssemblies: false).Register(typeof(RetiredEvent), "test.retired-event.v1");
        await using (var journal = new SqliteJournal(DbPath, oldBuild))
        {
            await journal.WriteAsync([new AtomicWrite(new PersistentRepr("p", 1, new RetiredEvent(7)))]);
        }

        await using var current = new SqliteJournal(DbPath, new EventRegistry());
        var error = await Assert.ThrowsAsync<UnknownManifestException>(
            () => current.ReplayAsync("p", 1, long.MaxValue, long.MaxValue, _ => { }));

        Assert.Equal("test.retired-event.v1", error.Manifest);
        Assert.Contains("test.retired-event.v1", error.Message);
    }

    [Fact]
    public async Task Stored_bytes_that_do_not_fit_the_type_fail_with_a_clear_error()
    {
        var registry = new EventRegistry();
        await using (var journal = new SqliteJournal(DbPath, registry))
        {
            await journal.WriteAsync([new AtomicWrite(new PersistentRepr("p", 1, new Counted("w", 1)))]);
        }

        using (var connection = new SqliteConnection($"Data Source={DbPath};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "UPDATE journal SET payload = X'7B2256616C7565223A' WHERE persistence_id = 'p';";
            command.ExecuteNonQuery();
        }

        await using var reader = new SqliteJournal(DbPath, registry);
        var error = await Assert.ThrowsAsync<PersistenceSerializationException>(
            () => reader.ReplayAsync("p", 1, long.MaxValue, long.MaxValue, _ => { }));
        Assert.Contains("test.counted.v1", error.Message);
    }

    [Fact]
    public void Registry_maps_manifests_both_ways()
    {
        var registry = new EventRegistry();

        Assert.Equal("test.counted.v1", registry.ManifestOf(typeof(Counted)));
        Assert.Equal(typeof(Counted), registry.TypeOf("test.counted.v1"));
        var (manifest, bytes) = registry.Serialize(new Counted("a", 3));
        Assert.Equal(new Counted("a", 3), registry.Deserialize(manifest, bytes));
    }

    [Fact]
    public void Registry_reads_an_extra_manifest_for_an_attributed_type_but_writes_its_own()
    {
        var registry = new EventRegistry().Register(typeof(TaskAccepted), "test.task-accepted.v0");

        Assert.Equal(typeof(TaskAccepted), registry.TypeOf("test.task-accepted.v0"));
        Assert.Equal(typeof(TaskAccepted), registry.TypeOf("test.task-accepted.v1"));
        Assert.Equal("test.task-accepted.v1", registry.Serialize(new TaskAccepted("t", "m")).Manifest);
    }

    [Fact]
    public void Registry_refuses_a_manifest_carried_by_two_types_unless_one_is_chosen()
    {
        var scanning = new EventRegistry();
        var error = Assert.Throws<PersistenceSerializationException>(() => scanning.TypeOf("test.duplicate.v1"));
        Assert.Contains(nameof(DuplicateA), error.Message);
        Assert.Contains(nameof(DuplicateB), error.Message);

        var chosen = new EventRegistry().Register<DuplicateB>();
        Assert.Equal(typeof(DuplicateB), chosen.TypeOf("test.duplicate.v1"));
    }

    [Fact]
    public void Registry_rejects_conflicting_registrations_and_malformed_manifests()
    {
        var registry = new EventRegistry().Register<Counted>();

        Assert.Throws<ArgumentException>(() => registry.Register(typeof(StateSnapshot), "test.counted.v1"));
        Assert.Throws<ArgumentException>(() => registry.Register(typeof(RetiredEvent), "has space"));
        Assert.Throws<ArgumentException>(() => registry.Register(typeof(RetiredEvent), ""));
        Assert.Throws<ArgumentException>(() => registry.Register(typeof(RetiredEvent)));
        Assert.Throws<UnknownManifestException>(() => registry.TypeOf("test.never-defined.v1"));
    }

    private (string Manifest, string Payload) ReadStoredRow(string pid, long sequenceNr)
    {
        using var connection = new SqliteConnection($"Data Source={DbPath};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT manifest, CAST(payload AS TEXT) FROM journal WHERE persistence_id = $p AND sequence_nr = $s;";
        command.Parameters.AddWithValue("$p", pid);
        command.Parameters.AddWithValue("$s", sequenceNr);
        using var reader = command.ExecuteReader();
        Assert.True(reader.Read());
        return (reader.GetString(0), reader.GetString(1));
    }
}
