using System.Numerics;
using Cuckoo.Chain;

namespace Cuckoo.Staking;

public enum CandidateKind
{
    None = 0,
    Miner = 1,
    Coordinator = 2,
}

/// <summary>A miner or coordinator address as the contract sees it.</summary>
public sealed record CandidateInfo(
    Address Candidate,
    CandidateKind Kind,
    Address Staker,
    bool Registered,
    bool Active,
    BigInteger SelfStake,
    BigInteger Votes,
    BigInteger Weight,
    int CommissionBps,
    string Intro)
{
    /// <summary>False when the address was never registered.</summary>
    public bool Known => Kind != CandidateKind.None;
}

/// <summary>
/// Stake on its way out of one candidate's pool (<see cref="Candidate"/> zero: stake that backed nothing): slashable for
/// what that candidate did until withdrawn at <see cref="ReleaseAt"/>.
/// </summary>
public sealed record Unbonding(Address Candidate, BigInteger Amount, DateTimeOffset? ReleaseAt)
{
    public bool ReleasedAt(DateTimeOffset now) => Amount > 0 && ReleaseAt is { } at && at <= now;
}

/// <summary>
/// A voter's position on a candidate: worth <see cref="Value"/> now, of which <see cref="PendingValue"/> starts earning at
/// epoch <see cref="EarningFromEpoch"/> (0 when all of it earns; votes earn from the epoch after the one they were cast in).
/// </summary>
public sealed record VotePosition(BigInteger Value, BigInteger PendingValue, BigInteger EarningFromEpoch)
{
    public BigInteger Earning => Value - PendingValue;
}

/// <summary>A candidate's pools: votes not yet earning (and from which epoch they do), and stake unbonding from it.</summary>
public sealed record CandidatePools(BigInteger PendingVotes, BigInteger EarningFromEpoch, BigInteger Unbonding);

/// <summary>A staker's commission now and the scheduled one from <see cref="EffectiveEpoch"/> (equal when nothing is scheduled).</summary>
public sealed record CommissionSchedule(int Current, int Next, BigInteger EffectiveEpoch);

/// <summary>The staking contract's constructor parameters. Defaults are the devnet's.</summary>
public sealed record StakingParameters
{
    /// <summary>Receives only swept rounding dust; slashed CAI is burned.</summary>
    public Address Treasury { get; init; }

    /// <summary>Self-stake a miner registration needs: 20,000 CAI.</summary>
    public BigInteger MinMinerStake { get; init; } = Cai.Tokens(20_000);

    /// <summary>Self-stake a coordinator registration needs: 2,000,000 CAI.</summary>
    public BigInteger MinCoordinatorStake { get; init; } = Cai.Tokens(2_000_000);

    /// <summary>Time between <c>requestUnstake</c> and <c>withdraw</c>: 7 days.</summary>
    public TimeSpan UnbondingPeriod { get; init; } = TimeSpan.FromDays(7);

    /// <summary>Window of the per-epoch slash cap, and the step at which votes start earning: 1 day.</summary>
    public TimeSpan EpochLength { get; init; } = TimeSpan.FromDays(1);

    /// <summary>What one proven incident slashes: 10% (1,000 bps).</summary>
    public int SlashBps { get; init; } = 1_000;

    /// <summary>Most a miner can be slashed per epoch: 20% (2,000 bps); must stay below 100%.</summary>
    public int MaxSlashBpsPerEpoch { get; init; } = 2_000;

    /// <summary>Signed results of other miners (distinct stakers) a slash needs: 2.</summary>
    public int MinWitnesses { get; init; } = 2;

    /// <summary>Largest change of a commission per scheduled step: 5% (500 bps).</summary>
    public int MaxCommissionStepBps { get; init; } = 500;
}

/// <summary>The token's constructor parameters. Defaults are the devnet's.</summary>
public sealed record TokenParameters
{
    /// <summary>Minted to the deployer: 1,000,000,000 CAI.</summary>
    public BigInteger InitialSupply { get; init; } = Cai.Tokens(1_000_000_000);

    /// <summary>Minted per faucet call: 2,500,000 CAI, enough to register a coordinator.</summary>
    public BigInteger FaucetAmount { get; init; } = Cai.Tokens(2_500_000);

    /// <summary>Wait between two faucet calls from one address: 1 hour.</summary>
    public TimeSpan FaucetCooldown { get; init; } = TimeSpan.FromHours(1);
}
