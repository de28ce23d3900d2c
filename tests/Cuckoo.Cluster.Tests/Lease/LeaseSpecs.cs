using Akka.Actor;
using Akka.Coordination;
using Cuckoo.Cluster.Lease;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Cuckoo.Cluster.Tests.Lease;

// The same suite against both leases: PostgreSQL on the real clock (one server per run), the in-memory twin on a fake one.

[Collection(LeasePostgresCollection.Name)]
public sealed class PostgresLeaseSpec : LeaseSpec, IDisposable
{
    private readonly LeasePostgres _server;
    private readonly ActorSystem _system;

    public PostgresLeaseSpec(LeasePostgres server)
    {
        _server = server;
        _system = ActorSystem.Create("postgres-lease-spec", LeaseTestConfig.Postgres(server.ConnectionString));
    }

    // Terminating the system stops every lease's renewals (PostgresLease registers for it).
    public void Dispose() => _system.Terminate().Wait(TimeSpan.FromSeconds(10));

    protected override Akka.Coordination.Lease NewLease(string name, string owner) =>
        new PostgresLease(LeaseSettings.Create(LeaseTestConfig.Section(_system.Settings.Config), name, owner), (ExtendedActorSystem)_system);

    protected override long? TokenOf(Akka.Coordination.Lease lease) => ((PostgresLease)lease).FencingToken;

    protected override void Freeze(Akka.Coordination.Lease lease) => ((PostgresLease)lease).Freeze();

    protected override void Thaw(Akka.Coordination.Lease lease) => ((PostgresLease)lease).Thaw();

    protected override async Task<DateTimeOffset> StoreNowAsync() => new(await _server.ScalarAsync<DateTime>("SELECT now()"));

    protected override Task<bool> EventuallyAsync(Func<Task<bool>> condition, TimeSpan within) =>
        LeaseTestConfig.EventuallyAsync(condition, within + LeaseTestConfig.Patience);
}

public sealed class InMemoryLeaseSpec : LeaseSpec
{
    private static readonly TimeSpan Step = TimeSpan.FromMilliseconds(50);
    private readonly FakeTimeProvider _time = new();
    private readonly Akka.Configuration.Config _section = LeaseTestConfig.Section(LeaseTestConfig.Postgres("unused"));

    protected override Akka.Coordination.Lease NewLease(string name, string owner) =>
        new InMemoryLease(LeaseSettings.Create(_section, name, owner), _time);

    protected override long? TokenOf(Akka.Coordination.Lease lease) => ((InMemoryLease)lease).FencingToken;

    protected override void Freeze(Akka.Coordination.Lease lease) => ((InMemoryLease)lease).Freeze();

    protected override void Thaw(Akka.Coordination.Lease lease) => ((InMemoryLease)lease).Thaw();

    protected override Task<DateTimeOffset> StoreNowAsync() => Task.FromResult(_time.GetUtcNow());

    protected override async Task<bool> EventuallyAsync(Func<Task<bool>> condition, TimeSpan within)
    {
        // Steps well under the renewal interval, so every timer fires in the order it would in real time.
        for (var passed = TimeSpan.Zero; !await condition(); passed += Step)
        {
            if (passed > within)
            {
                return false;
            }

            _time.Advance(Step);
        }

        return true;
    }
}
