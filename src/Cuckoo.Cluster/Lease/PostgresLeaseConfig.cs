namespace Cuckoo.Cluster.Lease;

/// <summary>The lease section for <see cref="PostgresLease"/>; coordinator.conf fills in connection-string.</summary>
public static class PostgresLeaseConfig
{
    /// <summary>The path to give <c>use-lease</c> and <c>lease-implementation</c>.</summary>
    public const string Path = "cuckoo.lease.postgres";

    public const string Hocon = """
        cuckoo.lease.postgres {
          # LeaseProvider creates it with (LeaseSettings, ExtendedActorSystem), one instance per lease name and owner.
          lease-class = "Cuckoo.Cluster.Lease.PostgresLease, Cuckoo.Cluster"

          # The PostgreSQL the coordinators share (the journal's database, so the journal fence can read the lease
          # table in the same transaction as a write). Empty here so that a node without it fails at start, not later.
          connection-string = ""

          # How long a row stays ours without renewal, on the database clock: the longest a crashed or frozen holder
          # keeps its successor waiting. 12 s rides out a few failed round trips and a long GC pause without making a
          # failover slow; the singleton's hand-over on a clean leave releases at once and does not wait for it.
          heartbeat-timeout = 12s

          # Renewal period. Akka requires less than half the timeout; 2 s keeps the local deadline (below) well ahead
          # of the database's expiry. One failed renewal already counts as lost, so a shorter period gains nothing.
          heartbeat-interval = 2s

          # Bound on every database call (acquire, renew, release; connect included). Akka's default; a renewal is
          # further cut to what is left of the local deadline.
          lease-operation-timeout = 5s

          # The node stops believing it leads at last renewal start + heartbeat-timeout - this margin: it covers the
          # local clock running slower than the database's and the delay between CheckLease and acting on it. Must be
          # less than heartbeat-timeout - heartbeat-interval.
          safety-margin = 2s

          # The lease table ([schema.]name), created if missing: cuckoo_leases(name, owner, token, expires_at).
          table = cuckoo_leases
        }
        """;
}
