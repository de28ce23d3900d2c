using Cuckoo.Testing;
using Xunit;

namespace Cuckoo.Persistence.Tests;

/// <summary>A real PostgreSQL server for the test run (<see cref="TempPostgres"/>, fsync off), shared by a collection.</summary>
public sealed class PostgresServer : IAsyncLifetime
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
}

[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresServer>
{
    public const string Name = "PostgreSQL server";
}
