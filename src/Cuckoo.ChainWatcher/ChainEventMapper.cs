using Cuckoo.Chain;
using S = Cuckoo.Staking;

namespace Cuckoo.ChainWatcher;

/// <summary>Turns the staking client's decoded events into the watcher's cluster messages.</summary>
internal static class ChainEventMapper
{
    /// <summary>The message for <paramref name="e"/>, or null for events the cluster does not need.</summary>
    public static IChainEvent? Map(S.ContractEvent e, Log log)
    {
        var p = new ChainEventPosition(log.BlockNumber, log.BlockHash ?? "", log.TransactionHash ?? "", log.LogIndex);
        return e switch
        {
            S.Staked x => new StakeChanged(x.Staker, StakeChangeKind.Staked, x.Amount, x.SelfStake, null, p),
            S.UnstakeRequested x => new StakeChanged(x.Staker, StakeChangeKind.UnstakeRequested, x.Amount, null, x.Unbonding, p),
            S.Withdrawn x => new StakeChanged(x.Staker, StakeChangeKind.Withdrawn, x.Amount, null, 0, p),
            S.MinerRegistered x => new MinerRegistered(x.Miner, x.Staker, x.Intro, p),
            S.CoordinatorRegistered x => new CoordinatorRegistered(x.Coordinator, x.Staker, x.Intro, p),
            S.Deregistered x => new CandidateDeregistered(x.Candidate, x.Staker, p),
            S.RegistrationActivated x => new CandidateActivationChanged(x.Candidate, true, x.SelfStake, p),
            S.RegistrationDeactivated x => new CandidateActivationChanged(x.Candidate, false, x.SelfStake, p),
            S.WeightChanged x => new WeightChanged(x.Candidate, x.SelfStake, x.Votes, x.Active, p),
            S.Voted x => new VoteChanged(x.Voter, x.Candidate, x.Amount, p),
            S.Unvoted x => new VoteChanged(x.Voter, x.Candidate, -x.Amount, p),
            S.CommissionChanged x => new CommissionChanged(x.Staker, x.Bps, p),
            S.RewardDeposited x => new MinerRewarded(x.Coordinator, x.Miner, x.Amount, x.Commission, x.ToVoters, p),
            S.RewardsClaimed x => new RewardsClaimed(x.Account, x.Amount, p),
            S.Slashed x => new MinerSlashed(x.Miner, x.Reporter, x.EvidenceHash, x.Bps, x.Total, p),
            _ => null,
        };
    }
}
