using Akka.Actor;
using Akka.Configuration;
using Akka.Coordination;

namespace Cuckoo.Cluster.Lease;

/// <summary>
/// An Akka lease held in a PostgreSQL row (table <c>cuckoo_leases</c> by default, created if missing) that the
/// coordinators of one operator share. Configure it as a lease section (<see cref="PostgresLeaseConfig.Hocon"/>) and
/// name that section in <c>akka.cluster.singleton.use-lease</c> or the split-brain resolver's lease-majority.
/// Expiry is decided by the database clock; while held the row is renewed every heartbeat-interval, and the lease
/// counts as lost (CheckLease false, lost callback once) on the first failed renewal or at the local deadline:
/// last successful renewal's start + heartbeat-timeout - safety-margin. Every database call is bounded by
/// lease-operation-timeout and fails with <see cref="LeaseTimeoutException"/> or <see cref="LeaseException"/>.
/// </summary>
public sealed class PostgresLease : Akka.Coordination.Lease
{
    private readonly LeaseHolder _holder;

    /// <summary>The constructor <see cref="LeaseProvider"/> calls, with the settings of the configured section.</summary>
    public PostgresLease(LeaseSettings settings, ExtendedActorSystem system)
        : base(settings)
    {
        var config = settings.LeaseConfig;
        var connectionString = config.GetString("connection-string", "");
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new ConfigurationException(
                $"Lease {settings.LeaseName}: connection-string is empty (coordinator.conf sets it to the shared PostgreSQL).");
        }

        var timing = LeaseTiming.From(settings);
        var store = new PostgresLeaseStore(connectionString, config.GetString("table", PostgresLeaseStore.DefaultTable), timing.OperationTimeout);
        _holder = new LeaseHolder(store, TimeProvider.System, settings);
        // A terminated system must stop renewing, or its lease would outlive its singletons until someone kills the process.
        system.RegisterOnTermination(() =>
        {
            _holder.Dispose();
            store.Dispose();
        });
    }

    /// <summary>
    /// The fencing token of the current tenure, or null when not held. It grows every time the lease changes owner, so
    /// anything outside this database that records the token it was given can refuse a smaller one from a deposed holder.
    /// </summary>
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
