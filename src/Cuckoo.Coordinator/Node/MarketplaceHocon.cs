using Akka.Configuration;
using Cuckoo.Coordinator.Scheduler;

namespace Cuckoo.Coordinator.Node;

/// <summary>The scheduler's and dispatcher's settings from hocon/coordinator.conf (<c>cuckoo.scheduler</c>, <c>cuckoo.dispatcher</c>), the records' defaults where a key is absent.</summary>
public static class MarketplaceHocon
{
    public static SchedulerSettings Scheduler(Config config, string persistenceId)
    {
        var d = new SchedulerSettings();
        var c = config.GetConfig("cuckoo.scheduler") ?? Config.Empty;
        var settings = d with
        {
            PersistenceId = persistenceId,
            MaxQueue = c.GetInt("max-queue", d.MaxQueue),
            PerAppQuota = c.GetInt("per-app-quota", d.PerAppQuota),
            TaskDeadline = c.GetTimeSpan("task-deadline", d.TaskDeadline),
            MaxAttempts = c.GetInt("max-attempts", d.MaxAttempts),
            MaxQueueWait = c.GetTimeSpan("max-queue-wait", d.MaxQueueWait),
            AssignmentRetry = c.GetTimeSpan("assignment-retry", d.AssignmentRetry),
            SnapshotEvery = c.GetInt("snapshot-every", d.SnapshotEvery),
            RetryAfter = c.GetTimeSpan("retry-after", d.RetryAfter),
            AuditRate = c.GetDouble("audit-rate", d.AuditRate),
            ExtraRuns = c.GetInt("extra-runs", d.ExtraRuns),
            MaxVerify = c.GetInt("max-verify", d.MaxVerify),
            AuditWait = c.GetTimeSpan("audit-wait", d.AuditWait),
        };
        settings.Validate();
        return settings;
    }

    public static TimeSpan LinkGrace(Config config, TimeSpan fallback) =>
        config.GetTimeSpan("cuckoo.dispatcher.link-grace", fallback);
}
