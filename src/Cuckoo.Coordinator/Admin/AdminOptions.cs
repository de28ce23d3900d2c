namespace Cuckoo.Coordinator.Admin;

/// <summary>Settings of the admin endpoints (<see cref="AdminEndpoints.MapAdmin"/>), registered in DI.</summary>
public sealed record AdminOptions
{
    /// <summary>
    /// The bearer token every admin request must carry (<see cref="AdminAccessFile.NewToken"/> makes one). Empty by
    /// default, and empty refuses every request: the admin endpoints are never open by accident.
    /// </summary>
    public string Token { get; init; } = "";

    /// <summary>
    /// Cluster events held for one <c>/cluster/events</c> client that does not read them; past that its stream is cut
    /// (an <c>overflow</c> event) rather than let a stalled client grow the coordinator's memory. 1024 is many minutes
    /// of membership churn in a large cluster.
    /// </summary>
    public int EventBuffer { get; init; } = 1024;

    /// <summary>
    /// How long an idle event stream waits before it sends an SSE comment: keeps proxies from timing it out and lets
    /// the server notice a client that went away. 15 s is under every common proxy's idle timeout.
    /// </summary>
    public TimeSpan EventKeepAlive { get; init; } = TimeSpan.FromSeconds(15);
}
