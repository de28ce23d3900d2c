using System.Data.Common;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Cuckoo.Persistence.Benchmarks;

/// <summary>
/// The baseline: the rows the journal would write for <c>writers</c> actors, inserted by hand into the journal table that
/// Akka.Persistence.Sql created (same schema and indexes, same JSON bytes), one transaction per round with one row per
/// writer: the shape the journal sees when every actor has one <c>Persist</c> in flight.
/// </summary>
public static class RawInserts
{
    private const string Insert =
        "INSERT INTO journal (deleted, persistence_id, sequence_number, created, message, identifier, manifest, writer_uuid) " +
        "VALUES (false, @pid, @seq, @created, @message, @identifier, @manifest, @writer)";

    public static void Sqlite(string connectionString, int writers, int eventsPerWriter, string prefix)
    {
        using var connection = new SqliteConnection(connectionString);
        connection.Open();
        for (var seq = 1; seq <= eventsPerWriter; seq++)
        {
            using var tx = connection.BeginTransaction();
            using var command = connection.CreateCommand();
            command.Transaction = tx;
            command.CommandText = Insert.Replace("false", "0");
            var p = Parameters(command);
            command.Prepare();
            for (var w = 0; w < writers; w++)
            {
                Fill(p, $"{prefix}-{w}", seq);
                command.ExecuteNonQuery();
            }

            tx.Commit();
        }
    }

    public static async Task PostgreSqlAsync(string connectionString, int writers, int eventsPerWriter, string prefix)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        for (var seq = 1; seq <= eventsPerWriter; seq++)
        {
            await using var tx = await connection.BeginTransactionAsync();
            await using var batch = new NpgsqlBatch(connection, tx);
            for (var w = 0; w < writers; w++)
            {
                var command = new NpgsqlBatchCommand(Insert.Replace("@pid", "$1").Replace("@seq", "$2").Replace("@created", "$3")
                    .Replace("@message", "$4").Replace("@identifier", "$5").Replace("@manifest", "$6").Replace("@writer", "$7"));
                foreach (var value in Values($"{prefix}-{w}", seq))
                {
                    command.Parameters.Add(new NpgsqlParameter { Value = value });
                }

                batch.BatchCommands.Add(command);
            }

            await batch.ExecuteNonQueryAsync();
            await tx.CommitAsync();
        }
    }

    private static DbParameter[] Parameters(DbCommand command) =>
        new[] { "@pid", "@seq", "@created", "@message", "@identifier", "@manifest", "@writer" }.Select(name =>
        {
            var p = command.CreateParameter();
            p.ParameterName = name;
            p.Value = DBNull.Value;
            command.Parameters.Add(p);
            return p;
        }).ToArray();

    private static void Fill(DbParameter[] parameters, string pid, long seq)
    {
        var values = Values(pid, seq);
        for (var i = 0; i < parameters.Length; i++)
        {
            parameters[i].Value = values[i];
        }
    }

    private static object[] Values(string pid, long seq) =>
    [
        pid, seq, DateTime.UtcNow.Ticks, JsonSerializer.SerializeToUtf8Bytes(new Ticked(seq)),
        PersistedEventSerializer.SerializerId, "bench.ticked.v1", "raw-writer",
    ];
}
