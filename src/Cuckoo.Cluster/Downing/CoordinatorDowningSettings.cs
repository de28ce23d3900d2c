using Akka.Configuration;

namespace Cuckoo.Cluster.Downing;

/// <summary><c>cuckoo.cluster.downing</c> (hocon/shared.conf), bound once when the cluster starts.</summary>
public sealed record CoordinatorDowningSettings
{
    public const string Path = "cuckoo.cluster.downing";

    /// <summary>How long the set of unreachable members must stay the same before anything is downed (default 3 s).</summary>
    public TimeSpan StableAfter { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>The role that decides (default coordinator).</summary>
    public string Role { get; init; } = "coordinator";

    /// <summary>Config path of the lease implementation for a contest between coordinators; empty: none (one coordinator).</summary>
    public string LeaseImplementation { get; init; } = "";

    public string LeaseName { get; init; } = "cuckoo-downing";

    /// <summary>The minority side waits this long before asking for the lease, so that the majority normally gets it (default 2 s).</summary>
    public TimeSpan AcquireLeaseDelayForMinority { get; init; } = TimeSpan.FromSeconds(2);


    public static CoordinatorDowningSettings From(Config config)
    {
        var c = config.GetConfig(Path);
        var defaults = new CoordinatorDowningSettings();
        if (c is null || c.IsEmpty)
        {
            return defaults;
        }
        return new CoordinatorDowningSettings
        {
            StableAfter = c.GetTimeSpan("stable-after", defaults.StableAfter),
            Role = c.GetString("role", defaults.Role),
            LeaseImplementation = c.GetString("lease-implementation", ""),
            LeaseName = c.GetString("lease-name", defaults.LeaseName),
            AcquireLeaseDelayForMinority = c.GetTimeSpan("acquire-lease-delay-for-minority", defaults.AcquireLeaseDelayForMinority),
        };
    }
}
