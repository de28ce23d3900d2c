using System.Text;
using Akka.Actor;
using Akka.Serialization;
using Microsoft.Data.Sqlite;
using Xunit;

namespace Cuckoo.Persistence.Tests.Serialization;

public sealed class PersistedEventSerializerTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    private string DbPath => _dir.File("events.db");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void The_hocon_binding_sends_every_persisted_event_through_our_serializer()
    {
        using var client = new JournalClient(TestStores.InMemory());
        var serialization = client.System.Serialization;

        var serializer = Assert.IsType<PersistedEventSerializer>(serialization.FindSerializerFor(new Counted("a", 1)));
        Assert.Same(serializer, serialization.FindSerializerFor(new ListSnapshot(["x"])));
        Assert.Equal(PersistedEventSerializer.SerializerId, serializer.Identifier);
        Assert.Equal("test.counted.v1", Akka.Serialization.Serialization.ManifestFor(serializer, new Counted("a", 1)));

        var bytes = serializer.ToBinary(new Counted("a", 3));
        Assert.Equal("""{"Writer":"a","Value":3}""", Encoding.UTF8.GetString(bytes));
        Assert.Equal(new Counted("a", 3), serialization.Deserialize(bytes, serializer.Identifier, "test.counted.v1"));
    }

    [Fact]
    public void The_binding_in_hocon_shared_conf_is_the_same_serializer()
    {
        var config = CuckooHocon.Load(new HoconOptions { Environment = new Dictionary<string, string?>() });
        using var system = ActorSystem.Create("shared-conf", config);

        Assert.IsType<PersistedEventSerializer>(system.Serialization.FindSerializerFor(new Counted("a", 1)));
        Assert.Equal(PersistedEventSerializer.SerializerId, system.Serialization.FindSerializerFor(new Counted("a", 1)).Identifier);
    }

    [Fact]
    public void A_renamed_event_type_still_reads_the_rows_its_old_name_wrote()
    {
        using (var oldBuild = new JournalClient(TestStores.Sqlite(DbPath), EventTypeRegistry.FromTypes(typeof(TaskAcceptedBeforeRename))))
        {
            oldBuild.Write("scheduler", 1, new TaskAcceptedBeforeRename("t-1", "ocr"));
        }

        using var renamed = new JournalClient(TestStores.Sqlite(DbPath), EventTypeRegistry.FromTypes(typeof(TaskAccepted)));
        var (payloads, failure) = renamed.Replay("scheduler");

        Assert.Null(failure);
        Assert.Equal(new TaskAccepted("t-1", "ocr"), Assert.Single(payloads));
        var row = StoredRow("scheduler");
        Assert.Equal("test.task-accepted.v1", row.Manifest);
        Assert.Equal(PersistedEventSerializer.SerializerId, row.SerializerId);
        Assert.DoesNotContain(nameof(TaskAcceptedBeforeRename), row.Payload);
    }

    [Fact]
    public void Replaying_an_unknown_manifest_fails_with_an_error_that_names_it()
    {
        using (var oldBuild = new JournalClient(TestStores.Sqlite(DbPath), EventTypeRegistry.FromTypes(typeof(RetiredEvent))))
        {
            oldBuild.Write("p", 1, new RetiredEvent(7));
        }

        using var current = new JournalClient(TestStores.Sqlite(DbPath), EventTypeRegistry.FromTypes(typeof(Counted)));
        var (payloads, failure) = current.Replay("p");

        Assert.Empty(payloads);
        Assert.NotNull(failure);
        Assert.Contains("'test.retired.v1'", Flatten(failure));
    }

    [Fact]
    public void Stored_bytes_that_do_not_fit_the_type_fail_with_an_error_that_names_the_manifest()
    {
        using (var writer = new JournalClient(TestStores.Sqlite(DbPath)))
        {
            writer.Write("p", 1, new Counted("w", 1));
        }

        Execute("UPDATE journal SET message = X'7B2256616C7565223A' WHERE persistence_id = 'p';");
        using var reader = new JournalClient(TestStores.Sqlite(DbPath));
        var (_, failure) = reader.Replay("p");

        Assert.NotNull(failure);
        Assert.Contains("'test.counted.v1'", Flatten(failure));
    }

    private static string Flatten(Exception e) => e.ToString();

    private (string Manifest, int SerializerId, string Payload) StoredRow(string pid)
    {
        using var connection = new SqliteConnection($"Data Source={DbPath};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT manifest, identifier, CAST(message AS TEXT) FROM journal WHERE persistence_id = $p;";
        command.Parameters.AddWithValue("$p", pid);
        using var reader = command.ExecuteReader();
        Assert.True(reader.Read());
        return (reader.GetString(0), reader.GetInt32(1), reader.GetString(2));
    }

    private void Execute(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={DbPath};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        Assert.Equal(1, command.ExecuteNonQuery());
    }
}
