using System.Globalization;
using Akka.Configuration;
using Cuckoo.Testing;

namespace Cuckoo.Persistence.Benchmarks;

/// <summary>
/// <c>--sweep</c>: what each journal setting and persist pattern buys, step by step, on SQLite and PostgreSQL, with raw
/// batched inserts of the same rows as the baseline. Every step runs on a fresh database; steps are repeated in
/// interleaved rounds and reported as medians (the machines are shared and noisy: compare ratios).
/// </summary>
public static class Sweep
{
    private sealed record Step(string Name, WriteMode Mode, Func<PersistenceSettings, PersistenceSettings> Adjust, bool Wal = true);

    private static readonly JournalBatching Tuned = JournalBatching.Sqlite;

    private static readonly Step[] SqliteSteps =
    [
        new("Akka defaults (batch 100, parallelism 3), rollback journal, Persist", WriteMode.Persist, s => s with { Batching = JournalBatching.AkkaDefaults }, Wal: false),
        new("+ WAL", WriteMode.Persist, s => s with { Batching = JournalBatching.AkkaDefaults }),
        new("+ parallelism 1", WriteMode.Persist, s => s with { Batching = JournalBatching.AkkaDefaults with { Parallelism = 1 } }),
        new("+ batch-size 1000, buffer-size 20000 (shipped defaults)", WriteMode.Persist, s => s with { Batching = Tuned }),
        new("shipped defaults, PersistAll of 10 per command", WriteMode.PersistAll, s => s with { Batching = Tuned }),
        new("shipped defaults, PersistAsync", WriteMode.PersistAsync, s => s with { Batching = Tuned }),
        new("shipped defaults, batching in the actor (PersistAllAsync)", WriteMode.Batching, s => s with { Batching = Tuned }),
        new("shipped defaults, parallelism 3, PersistAsync", WriteMode.PersistAsync, s => s with { Batching = Tuned with { Parallelism = 3 } }),
        new("synchronous NORMAL, Persist", WriteMode.Persist, s => s with { Synchronous = SqliteSynchronous.Normal }),
        new("synchronous NORMAL, PersistAsync", WriteMode.PersistAsync, s => s with { Synchronous = SqliteSynchronous.Normal }),
        new("synchronous NORMAL, batching in the actor", WriteMode.Batching, s => s with { Synchronous = SqliteSynchronous.Normal }),
    ];

    private static readonly Step[] PostgreSqlSteps =
    [
        new("Akka defaults (batch 100, parallelism 3), Persist", WriteMode.Persist, s => s with { Batching = JournalBatching.AkkaDefaults }),
        new("shipped defaults (batch 1000, parallelism 4), Persist", WriteMode.Persist, s => s),
        new("shipped defaults, parallelism 1, Persist", WriteMode.Persist, s => s with { Batching = s.Batching with { Parallelism = 1 } }),
        new("shipped defaults, PersistAll of 10 per command", WriteMode.PersistAll, s => s),
        new("shipped defaults, PersistAsync", WriteMode.PersistAsync, s => s),
        new("shipped defaults, batching in the actor (PersistAllAsync)", WriteMode.Batching, s => s),
    ];

    public static async Task RunAsync(int writers, int eventsPerWriter, int rounds, bool sqlite, bool postgres)
    {
        // CUCKOO_BENCH_STEPS=0,3 runs only those steps of each table (indices from 0), for a quick look at one setting.
        var only = Environment.GetEnvironmentVariable("CUCKOO_BENCH_STEPS")?.Split(',').Select(int.Parse).ToHashSet();
        bool Selected(int i) => only is null || only.Contains(i);
        Console.WriteLine($"{writers} writers x {eventsPerWriter} events, {rounds} interleaved rounds, median events/s");
        var root = Path.Combine(Path.GetTempPath(), "cuckoo-bench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(root);
        try
        {
            if (sqlite)
            {
                var results = SqliteSteps.Select(_ => new List<Measurement>()).ToList();
                var raw = new List<Measurement>();
                for (var round = 0; round < rounds; round++)
                {
                    for (var i = 0; i < SqliteSteps.Length; i++)
                    {
                        if (!Selected(i))
                        {
                            continue;
                        }

                        var step = SqliteSteps[i];
                        var settings = step.Adjust(PersistenceSettings.Sqlite(Path.Combine(root, $"s{i}-r{round}.db")));
                        if (step.Wal)
                        {
                            settings.PrepareStorage();
                        }

                        results[i].Add(await PersistRun.EventsPerSecondAsync(settings, step.Mode, writers, eventsPerWriter, "w"));
                    }

                    raw.Add(await RawSqliteAsync(Path.Combine(root, $"raw-r{round}.db"), writers, eventsPerWriter));
                }

                Print("SQLite (WAL unless noted; synchronous FULL unless noted)", SqliteSteps, results, raw);
            }

            if (postgres)
            {
                await using var server = await TempPostgres.StartAsync(durable: true, ";Maximum Pool Size=150");
                var results = PostgreSqlSteps.Select(_ => new List<Measurement>()).ToList();
                var raw = new List<Measurement>();
                for (var round = 0; round < rounds; round++)
                {
                    for (var i = 0; i < PostgreSqlSteps.Length; i++)
                    {
                        if (!Selected(i))
                        {
                            continue;
                        }

                        var settings = PostgreSqlSteps[i].Adjust(PersistenceSettings.PostgreSql(server.ConnectionString));
                        results[i].Add(await PersistRun.EventsPerSecondAsync(
                            settings, PostgreSqlSteps[i].Mode, writers, eventsPerWriter, $"s{i}-r{round}"));
                    }

                    raw.Add(await PersistRun.TimeAsync(
                        () => RawInserts.PostgreSqlAsync(server.ConnectionString, writers, eventsPerWriter, $"raw-r{round}"),
                        (long)writers * eventsPerWriter));
                }

                Print("PostgreSQL 15 (fsync on, synchronous_commit on)", PostgreSqlSteps, results, raw);
            }
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(root, recursive: true);
        }
    }

    /// <summary>Let the journal create the table (one event through a system), then insert by hand into it.</summary>
    private static async Task<Measurement> RawSqliteAsync(string path, int writers, int eventsPerWriter)
    {
        var settings = PersistenceSettings.Sqlite(path);
        settings.PrepareStorage();
        await PersistRun.EventsPerSecondAsync(settings, WriteMode.Persist, 1, 1, "schema");
        return await PersistRun.TimeAsync(
            () => Task.Run(() => RawInserts.Sqlite(settings.ConnectionString, writers, eventsPerWriter, "raw")), (long)writers * eventsPerWriter);
    }

    private static void Print(string title, Step[] steps, List<List<Measurement>> results, List<Measurement> raw)
    {
        var baseline = Median(raw.Select(r => r.EventsPerSecond));
        Console.WriteLine();
        Console.WriteLine($"## {title}");
        Console.WriteLine("| step | events/s (median) | rounds | x raw | CPU µs per event (median) |");
        Console.WriteLine("|---|---:|---|---:|---:|");
        void Row(string name, List<Measurement> runs)
        {
            var m = Median(runs.Select(r => r.EventsPerSecond));
            var all = string.Join(" / ", runs.Select(r => r.EventsPerSecond.ToString("N0", CultureInfo.InvariantCulture)));
            Console.WriteLine($"| {name} | {m:N0} | {all} | {m / baseline:F2} | {Median(runs.Select(r => r.CpuMicrosecondsPerEvent)):N0} |");
        }

        for (var i = 0; i < steps.Length; i++)
        {
            if (results[i].Count > 0)
            {
                Row(steps[i].Name, results[i]);
            }
        }

        Row("raw batched inserts, one row per writer per transaction (baseline)", raw);
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted[sorted.Length / 2];
    }
}
