using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using Cuckoo.Actors;
using Cuckoo.Persistence;
using Cuckoo.Persistence.Sql;
using Microsoft.Data.Sqlite;

namespace Cuckoo.Persistence.Benchmarks;

/// <summary>
/// Persist throughput on SQLite (WAL) with many actors writing, against raw batched inserts of the same rows
/// into the same schema in transactions of the same size (one event per actor per batch: each actor has one
/// write in flight) and the same durability. One operation is one event.
/// </summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 2, iterationCount: 5)]
[MemoryDiagnoser(displayGenColumns: false)]
[Config(typeof(Columns))]
public class PersistThroughputBenchmarks
{
    private const int Actors = 100;
    private const int EventsPerActor = 200;
    private const int Events = Actors * EventsPerActor;

    private readonly string _dir = Path.Combine(Path.GetTempPath(), "cuckoo-bench-" + Guid.NewGuid().ToString("N"));
    private ActorSystem _system = null!;
    private IActorRef[] _actors = [];
    private SqliteJournal _journal = null!;
    private SqliteConnection _raw = null!;
    private long _rawSequenceNr;
    private long _journalSequenceNr;

    /// <summary>Full: fsync per commit (the default). Normal: WAL without fsync per commit (survives process crashes).</summary>
    [Params(SqliteDurability.Full, SqliteDurability.Normal)]
    public SqliteDurability Durability { get; set; }

    private sealed class Columns : ManualConfig
    {
        public Columns() => AddColumn(new EventsPerSecondColumn());
    }

    [GlobalSetup]
    public async Task Setup()
    {
        Directory.CreateDirectory(_dir);
        _system = ActorSystem.Create("bench");
        _system.UsePersistence(PersistenceSettings.Sqlite(Path.Combine(_dir, "actors.db")) with { SqliteDurability = Durability });
        _actors = Enumerable.Range(0, Actors).Select(i => _system.ActorOf(BenchActor.Props($"actor-{i}"), $"actor-{i}")).ToArray();

        _journal = new SqliteJournal(Path.Combine(_dir, "journal.db"), new EventRegistry(), durability: Durability);

        // The raw baseline gets the same file layout and schema: let a journal create it, then write by hand.
        var rawPath = Path.Combine(_dir, "raw.db");
        await using (var schema = new SqliteJournal(rawPath, new EventRegistry()))
        {
            await schema.ReadHighestSequenceNrAsync("none");
        }

        _raw = new SqliteConnection($"Data Source={rawPath}");
        _raw.Open();
        using var pragma = _raw.CreateCommand();
        pragma.CommandText = $"PRAGMA synchronous = {Durability.ToString().ToUpperInvariant()};";
        pragma.ExecuteNonQuery();
    }

    [GlobalCleanup]
    public async Task Cleanup()
    {
        await _system.TerminateAsync();
        await _journal.DisposeAsync();
        _raw.Dispose();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Events, Description = "raw batched SQLite inserts")]
    public void RawBatchedInserts()
    {
        var registry = new EventRegistry();
        var first = _rawSequenceNr + 1;
        _rawSequenceNr += EventsPerActor;
        for (var seq = first; seq <= _rawSequenceNr; seq++)
        {
            using var tx = _raw.BeginTransaction();
            using var command = _raw.CreateCommand();
            command.Transaction = tx;
            command.CommandText =
                "INSERT INTO journal (persistence_id, sequence_nr, manifest, payload, written_at) VALUES ($pid, $seq, $manifest, $payload, $at);";
            var pid = command.Parameters.Add("$pid", SqliteType.Text);
            var sequenceNr = command.Parameters.Add("$seq", SqliteType.Integer);
            var manifest = command.Parameters.Add("$manifest", SqliteType.Text);
            var payload = command.Parameters.Add("$payload", SqliteType.Blob);
            var at = command.Parameters.Add("$at", SqliteType.Integer);
            command.Prepare();
            for (var actor = 0; actor < Actors; actor++)
            {
                var (m, bytes) = registry.Serialize(new Ticked(seq));
                pid.Value = $"raw-{actor}";
                sequenceNr.Value = seq;
                manifest.Value = m;
                payload.Value = bytes;
                at.Value = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
                command.ExecuteNonQuery();
            }

            tx.Commit();
        }
    }

    [Benchmark(OperationsPerInvoke = Events, Description = "100 persistent actors")]
    public Task PersistentActors()
    {
        var done = new Countdown(Actors);
        foreach (var actor in _actors)
        {
            actor.Tell(new PersistMany(EventsPerActor, done));
        }

        return done.Task;
    }

    [Benchmark(OperationsPerInvoke = Events, Description = "journal, 100 writers, no actors")]
    public Task JournalWriters()
    {
        var first = _journalSequenceNr + 1;
        _journalSequenceNr += EventsPerActor;
        return Task.WhenAll(Enumerable.Range(0, Actors).Select(async actor =>
        {
            for (var seq = first; seq < first + EventsPerActor; seq++)
            {
                await _journal.WriteAsync([new AtomicWrite(new PersistentRepr($"writer-{actor}", seq, new Ticked(seq)))]);
            }
        }));
    }
}
