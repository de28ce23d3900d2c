using System.Diagnostics;
using Akka.Configuration;
using Cuckoo.Cluster.Lease;
using Cuckoo.Testing;
using Npgsql;
using Xunit;

namespace Cuckoo.Cluster.Tests.Lease;

/// <summary>One real PostgreSQL server (<see cref="TempPostgres"/>, fsync off) for the lease tests of a run.</summary>
public sealed class LeasePostgres : IAsyncLifetime
{
    private TempPostgres? _server;

    public string ConnectionString => _server?.ConnectionString ?? throw new InvalidOperationException("The PostgreSQL server has not started.");

    public async Task InitializeAsync() => _server = await TempPostgres.StartAsync(durable: false, ";Timeout=30;Command Timeout=60");

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    public async Task<T> ScalarAsync<T>(string sql, params (string Name, object Value)[] parameters)
    {
        await using var dataSource = NpgsqlDataSource.Create(ConnectionString);
        await using var command = Command(dataSource, sql, parameters);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Runs a statement; the number of rows it touched.</summary>
    public async Task<int> ExecuteAsync(string sql, params (string Name, object Value)[] parameters)
    {
        await using var dataSource = NpgsqlDataSource.Create(ConnectionString);
        await using var command = Command(dataSource, sql, parameters);
        return await command.ExecuteNonQueryAsync();
    }

    private static NpgsqlCommand Command(NpgsqlDataSource dataSource, string sql, (string Name, object Value)[] parameters)
    {
        var command = dataSource.CreateCommand(sql);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return command;
    }
}

[CollectionDefinition(Name)]
public sealed class LeasePostgresCollection : ICollectionFixture<LeasePostgres>
{
    public const string Name = "lease-postgres";
}

/// <summary>
/// Short timings for tests: expiry in 4 s instead of 12 s, renewals every 300 ms, 2 s per database call. Tighter (2 s)
/// lost the lease under the full suite on two cores, where renewals were late by more than the expiry; looser would
/// outlast the fence's 5 s idle-in-transaction limit that one test holds a transaction open against.
/// </summary>
public static class LeaseTestConfig
{
    public static readonly TimeSpan Ttl = TimeSpan.FromSeconds(4);
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(300);

    /// <summary>Long enough for anything a test waits for on a loaded 2-core machine; never reached when all is well.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private static int _counter;

    public static string NewName(string prefix = "lease") => $"{prefix}-{Interlocked.Increment(ref _counter)}-{Guid.NewGuid():N}";

    /// <summary><see cref="PostgresLeaseConfig.Hocon"/> with the test timings and a connection string.</summary>
    public static Config Postgres(string connectionString) =>
        ConfigurationFactory.ParseString($$"""
            cuckoo.lease.postgres {
              connection-string = {{System.Text.Json.JsonSerializer.Serialize(connectionString)}}
              heartbeat-timeout = 4s
              heartbeat-interval = 300ms
              lease-operation-timeout = 2s
              safety-margin = 1s
            }
            """)
            .WithFallback(ConfigurationFactory.ParseString(PostgresLeaseConfig.Hocon));

    public static Config Section(Config config) => config.GetConfig(PostgresLeaseConfig.Path);

    /// <summary>Checks <paramref name="condition"/> on the real clock until it holds or <paramref name="within"/> (default <see cref="Patience"/>) passes.</summary>
    public static async Task<bool> EventuallyAsync(Func<Task<bool>> condition, TimeSpan? within = null)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)((within ?? Patience).TotalSeconds * Stopwatch.Frequency);
        while (!await condition())
        {
            if (Stopwatch.GetTimestamp() > deadline)
            {
                return false;
            }

            // Between checks of a condition, not in place of one.
            await Task.Delay(20);
        }

        return true;
    }

    public static Task<bool> EventuallyAsync(Func<bool> condition, TimeSpan? within = null) =>
        EventuallyAsync(() => Task.FromResult(condition()), within);
}
