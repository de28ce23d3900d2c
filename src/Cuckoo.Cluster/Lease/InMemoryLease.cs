using Akka.Actor;
using Akka.Coordination;

namespace Cuckoo.Cluster.Lease;

/// <summary>
/// The twin of <see cref="PostgresLease"/> for unit tests of logic: the same holder (renewal, local deadline, lost
/// callback, fencing token), over a process-wide store keyed by lease name instead of a table. The injected
/// <see cref="TimeProvider"/> is both this node's clock and the store's "database clock", so leases that are meant to
/// compete should share one (a FakeTimeProvider lets a test move time on instead of waiting).
/// </summary>
public sealed class InMemoryLease : Akka.Coordination.Lease
{
    /// <summary>The path to give <c>use-lease</c> in a unit test's configuration instead of <see cref="PostgresLeaseConfig.Path"/>.</summary>
    public const string Path = "cuckoo.lease.in-memory";

    /// <summary>
    /// A lease section for the twin, with the PostgreSQL section's timings. Every actor system in the process shares
    /// the store, so two systems in one test compete for a lease as two coordinators would.
    /// </summary>
    public const string Hocon = """
        cuckoo.lease.in-memory {
          lease-class = "Cuckoo.Cluster.Lease.InMemoryLease, Cuckoo.Cluster"
          heartbeat-timeout = 12s
          heartbeat-interval = 2s
          lease-operation-timeout = 5s
          safety-margin = 2s
        }
        """;

    private readonly LeaseHolder _holder;

    /// <summary>The constructor <see cref="LeaseProvider"/> calls: real time.</summary>
    public InMemoryLease(LeaseSettings settings, ExtendedActorSystem system)
        : this(settings, TimeProvider.System)
    {
        system.RegisterOnTermination(_holder.Dispose);
    }

    public InMemoryLease(LeaseSettings settings, TimeProvider time)
        : base(settings)
    {
        _holder = new LeaseHolder(new InMemoryLeaseStore(time), time, settings);
    }

    /// <summary>The fencing token of the current tenure, or null when not held; grows whenever the owner changes.</summary>
    public long? FencingToken => _holder.FencingToken;

    public override Task<bool> Acquire() => _holder.AcquireAsync(null);

    public override Task<bool> Acquire(Action<Exception> leaseLostCallback) => _holder.AcquireAsync(leaseLostCallback);

    public override Task<bool> Release() => _holder.ReleaseAsync();

    public override bool CheckLease() => _holder.CheckLease();

    /// <summary>Test hook: behave as a SIGSTOPped process (no renewals, no noticing the deadline).</summary>
    internal void Freeze() => _holder.Freeze();

    /// <summary>Test hook: wake up as after SIGCONT.</summary>
    internal void Thaw() => _holder.Thaw();
}

/// <summary>The rows of every <see cref="InMemoryLease"/> in the process, with the same rules as the PostgreSQL statements.</summary>
internal sealed class InMemoryLeaseStore(TimeProvider clock) : ILeaseStore
{
    private static readonly Dictionary<string, Row> Rows = [];

    public Task<long?> TryAcquireAsync(string name, string owner, TimeSpan ttl, CancellationToken ct)
    {
        lock (Rows)
        {
            var now = clock.GetUtcNow();
            if (!Rows.TryGetValue(name, out var row))
            {
                Rows[name] = new Row(owner, 1, now + ttl);
                return Task.FromResult<long?>(1);
            }

            if (row.ExpiresAt >= now && row.Owner != owner)
            {
                return Task.FromResult<long?>(null);
            }

            var token = row.Owner == owner ? row.Token : row.Token + 1;
            Rows[name] = new Row(owner, token, now + ttl);
            return Task.FromResult<long?>(token);
        }
    }

    public Task<bool> TryRenewAsync(string name, string owner, long token, TimeSpan ttl, CancellationToken ct)
    {
        lock (Rows)
        {
            var now = clock.GetUtcNow();
            if (Rows.TryGetValue(name, out var row) && row.Owner == owner && row.Token == token && row.ExpiresAt > now)
            {
                Rows[name] = row with { ExpiresAt = now + ttl };
                return Task.FromResult(true);
            }

            return Task.FromResult(false);
        }
    }

    public Task<bool> ReleaseAsync(string name, string owner, CancellationToken ct)
    {
        lock (Rows)
        {
            // Kept with no owner, as in the table, so the next holder's token is still larger.
            if (Rows.TryGetValue(name, out var row) && row.Owner == owner)
            {
                Rows[name] = row with { Owner = null, ExpiresAt = DateTimeOffset.MinValue };
                return Task.FromResult(true);
            }

            return Task.FromResult(false);
        }
    }

    private sealed record Row(string? Owner, long Token, DateTimeOffset ExpiresAt);
}
