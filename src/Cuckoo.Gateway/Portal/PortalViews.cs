namespace Cuckoo.Gateway.Portal;

// What the portal's JSON endpoints answer (snake_case, as the rest of the gateway). Amounts are wei as decimal strings.

/// <summary><c>GET /portal/api/config</c>: what the page needs to talk to the chain.</summary>
/// <param name="Rpc">The same-origin JSON-RPC relay the page reads the chain through when no wallet is connected.</param>
/// <param name="DevAccounts">Hardhat's well-known keys, only on the local devnet (chain 31337); empty elsewhere.</param>
public sealed record PortalConfigView(
    long ChainId, string Staking, string Token, string Coordinator, string Rpc, long EpochSeconds, long UnbondingSeconds,
    IReadOnlyList<DevAccountView> DevAccounts);

public sealed record DevAccountView(string Role, string Address, string PrivateKey);

/// <summary><c>GET /portal/api/network</c>: every registered (or once registered) miner and coordinator.</summary>
public sealed record NetworkView(long Block, string TotalMinerWeight, string TotalCoordinatorWeight, IReadOnlyList<CandidateView> Candidates, DateTimeOffset At);

/// <param name="Kind"><c>miner</c> or <c>coordinator</c>.</param>
/// <param name="Share">Its weight over the total weight of its kind, 0 to 1.</param>
/// <param name="Status"><c>active</c>, <c>inactive</c> (below the minimum), <c>jailed</c>, <c>unbonding</c> (deregistered, stake still bonded) or <c>deregistered</c>.</param>
public sealed record CandidateView(
    string Address, string Kind, string Staker, string Intro, string? Url, string SelfStake, string Votes, string Weight, double Share,
    string Status, string? JailReason, int Slashes, string SlashedTotal, int CommissionBps);

/// <summary><c>GET /portal/api/cluster</c>: the cluster as this coordinator sees it.</summary>
public sealed record ClusterView(string Self, string? Leader, IReadOnlyList<ClusterMemberView> Members, DateTimeOffset At);

/// <param name="Status">Akka's member status (Joining, Up, Leaving, ...), or <c>Unreachable</c> when the failure detector says so.</param>
public sealed record ClusterMemberView(
    string Address, IReadOnlyList<string> Roles, string Status, bool Reachable, DateTimeOffset? UpSince, double? UptimeSeconds, ClusterMinerView? Miner);

/// <param name="FreeCredits">Tasks it could take now (null when the registry did not answer).</param>
public sealed record ClusterMinerView(string Address, IReadOnlyList<string> Models, int Capacity, int? FreeCredits, string Provider, string Weight, bool Jailed);

/// <summary><c>GET /portal/api/me/{address}</c>: one account's position.</summary>
public sealed record StakerView(
    string Address, string Balance, string Allowance, string Stake, string? Registration, IReadOnlyList<VoteView> Votes,
    IReadOnlyList<UnbondingView> Unbonding, string Claimable, long CurrentEpoch, DateTimeOffset At);

/// <param name="Pending">The part not yet earning rewards; it earns from <paramref name="EarningFromEpoch"/>.</param>
public sealed record VoteView(string Candidate, string Value, string Pending, long EarningFromEpoch);

/// <param name="Candidate">The candidate it left, or the zero address for stake that backed nothing.</param>
/// <param name="Withdrawable">Its release time has passed.</param>
public sealed record UnbondingView(string Candidate, string Amount, DateTimeOffset? ReleaseAt, bool Withdrawable);

/// <summary>One step of one task, as the work view shows it.</summary>
/// <param name="Status"><c>queued</c>, <c>running</c> (assigned to a miner), <c>completed</c> or <c>failed</c>.</param>
/// <param name="LatencyMs">From acceptance to this step, for final steps.</param>
/// <param name="Image">The gallery URL of its output, for a completed task whose output is a PNG.</param>
public sealed record TaskStepView(
    string TaskId, string App, string Model, string Status, string? Miner, int? Attempt, string? Reason, DateTimeOffset Since, DateTimeOffset At,
    double? LatencyMs, string? Image);

public sealed record WorkCounts(int Queued, int Running, int Completed, int Failed);

public sealed record MinerAssignments(string Miner, int Count);

/// <summary>Milliseconds from acceptance to completion over the last completed tasks; null while there are none.</summary>
public sealed record LatencyView(int Count, double? P50Ms, double? P90Ms, double? P99Ms);

public sealed record GalleryImage(long Seq, string TaskId, string Model, string? Miner, string Url, DateTimeOffset At);

public sealed record WorkSummary(WorkCounts Counts, IReadOnlyList<MinerAssignments> Assignments, LatencyView Latency);

/// <summary><c>GET /portal/api/work</c>, and the first event of the work stream.</summary>
public sealed record WorkSnapshot(WorkSummary Summary, IReadOnlyList<TaskStepView> Tasks, IReadOnlyList<GalleryImage> Gallery);

/// <summary>One <c>task</c> event of the work stream: the step, the summary after it, and its image if it made one.</summary>
public sealed record WorkEvent(TaskStepView Step, WorkSummary Summary, GalleryImage? Image);
