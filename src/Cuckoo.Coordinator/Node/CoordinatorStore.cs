using Akka.Configuration;
using Cuckoo.Cluster.Lease;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Cuckoo.Coordinator.Node;

/// <summary>
/// What a coordinator's store adds to its configuration. On SQLite (one coordinator, the embedded default) nothing: the
/// file is the node's own. On PostgreSQL (several coordinator nodes of one operator) the singletons run under a
/// PostgreSQL lease, and the journal's connection names this node as the lease owner so that the fence trigger refuses
/// its writes once another node holds the lease (docs/cluster.md, "Several coordinators").
/// </summary>
public static class CoordinatorStore
{
    /// <summary>The singleton that hosts the chain watcher (and the scheduler): its lease guards the journal.</summary>
    public const string LeaderSingleton = "leader";

    public static bool IsPostgres(Config config) =>
        config.GetString("akka.persistence.journal.sql.provider-name", "").StartsWith("PostgreSQL", StringComparison.OrdinalIgnoreCase);

    /// <summary>The HOCON laid over hocon/ on PostgreSQL; empty on SQLite.</summary>
    public static string LeaseHocon(Config config, CoordinatorNodeSettings settings)
    {
        if (!IsPostgres(config))
        {
            return "";
        }
        var cs = config.GetString("cuckoo.persistence.connection-string");
        var owner = JournalFence.OwnerName(settings.SystemName, settings.PublicClusterHost ?? settings.ClusterHost, settings.ClusterPort);
        return PostgresLeaseConfig.Hocon + $$"""

            cuckoo.lease.postgres.connection-string = {{Quote(cs)}}
            akka.cluster.singleton {
              # No singleton starts without the lease: two coordinators that each think they are oldest (a partition, a
              # frozen node) cannot both run the scheduler.
              use-lease = "{{PostgresLeaseConfig.Path}}"
              # A freed lease is tried again every 2 s (Akka's default 5 s) so that a hand-over waits less.
              lease-retry-interval = 2s
            }
            # A partition with coordinators on both sides is settled by the same database: the side that gets this lease stays.
            cuckoo.cluster.downing.lease-implementation = "{{PostgresLeaseConfig.Path}}"
            akka.persistence.journal.sql.connection-string = {{Quote(JournalFence.ForOwner(cs, owner))}}
            """;
    }

    private static string Quote(string value) => System.Text.Json.JsonSerializer.Serialize(value);

    /// <summary>
    /// Installs the journal fence once the journal's tables exist (Akka.Persistence.Sql creates them when the journal
    /// starts); retried for a minute because that happens in the background.
    /// </summary>
    public static async Task InstallFenceAsync(Config config, CoordinatorNodeSettings settings, ILogger log, CancellationToken cancellationToken)
    {
        if (!IsPostgres(config))
        {
            return;
        }
        var cs = config.GetString("cuckoo.persistence.connection-string");
        var lease = $"{settings.SystemName}-singleton-akka://{settings.SystemName}/user/{LeaderSingleton}";
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(1);
        while (true)
        {
            try
            {
                await JournalFence.InstallAsync(cs, lease, "journal", cancellationToken);
                log.LogInformation("journal fence installed for lease {Lease}", lease);
                return;
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UndefinedTable && DateTime.UtcNow < deadline)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(500), cancellationToken);
            }
        }
    }
}
