using Akka.Configuration;
using Akka.Coordination;

namespace Cuckoo.Cluster.Lease;

/// <summary>
/// The timings both lease implementations run on, read from the lease's config section (Akka has already parsed and
/// checked heartbeat-interval &lt; heartbeat-timeout / 2 into <see cref="TimeoutSettings"/>).
/// </summary>
internal sealed record LeaseTiming(TimeSpan Interval, TimeSpan Ttl, TimeSpan OperationTimeout, TimeSpan SafetyMargin)
{
    public static LeaseTiming From(LeaseSettings settings)
    {
        var t = settings.TimeoutSettings;
        // Absent from a section written for another lease: the renewal period is slack enough for drift.
        var margin = settings.LeaseConfig.HasPath("safety-margin")
            ? settings.LeaseConfig.GetTimeSpan("safety-margin")
            : t.HeartbeatInterval;
        var timing = new LeaseTiming(t.HeartbeatInterval, t.HeartbeatTimeout, t.OperationTimeout, margin);
        timing.Validate();
        return timing;
    }

    /// <summary>
    /// The local deadline after a renewal that started at <paramref name="startedTimestamp"/>: measured from the start,
    /// not the reply, because the database stamped the new expiry at some moment in between.
    /// </summary>
    public long DeadlineAfter(long startedTimestamp, TimeProvider time) =>
        startedTimestamp + (long)((Ttl - SafetyMargin).TotalSeconds * time.TimestampFrequency);

    private void Validate()
    {
        if (Interval <= TimeSpan.Zero || OperationTimeout <= TimeSpan.Zero || SafetyMargin < TimeSpan.Zero)
        {
            throw new ConfigurationException("Lease heartbeat-interval and lease-operation-timeout must be positive, safety-margin not negative.");
        }

        // Otherwise the local deadline would pass between two prompt renewals and CheckLease would flap to false.
        if (Interval + SafetyMargin >= Ttl)
        {
            throw new ConfigurationException(
                $"Lease heartbeat-interval ({Interval}) + safety-margin ({SafetyMargin}) must be less than heartbeat-timeout ({Ttl}).");
        }
    }
}
