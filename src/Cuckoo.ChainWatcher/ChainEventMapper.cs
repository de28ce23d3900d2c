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
            S.UnstakeRequested x => new StakeChanged(x.Staker, StakeChangeKind.UnstakeRequested, x.Amount, null, x.Unbonding, p)
                { Candidate = x.Candidate, ReleaseAt = x.ReleaseAt },
            S.Withdrawn x => new StakeChanged(x.Staker, StakeChangeKind.Withdrawn, x.Amount, null, 0, p) { Candidate = x.Candidate },
            S.MinerRegistered x => new MinerRegistered(x.Miner, x.Staker, x.Intro, p),
            S.CoordinatorRegistered x => new CoordinatorRegistered(x.Coordinator, x.Staker, x.Intro, x.Url, p),
            S.CoordinatorUrlChanged x => new CoordinatorUrlChanged(x.Coordinator, x.Url, p),
            S.ConsentRevoked x => new ConsentRevoked(x.Candidate, x.NextNonce, p),
            S.DustSwept x => new DustSwept(x.Treasury, x.Amount, p),
            S.Deregistered x => new CandidateDeregistered(x.Candidate, x.Staker, p),
            S.RegistrationActivated x => new CandidateActivationChanged(x.Candidate, true, x.SelfStake, p),
            S.RegistrationDeactivated x => new CandidateActivationChanged(x.Candidate, false, x.SelfStake, p),
            S.WeightChanged x => new WeightChanged(x.Candidate, x.SelfStake, x.Votes, x.Active, p),
            S.Voted x => new VoteChanged(x.Voter, x.Candidate, x.Amount, p) { EarningFromEpoch = x.EarningFromEpoch },
            S.Unvoted x => new VoteChanged(x.Voter, x.Candidate, -x.Amount, p) { Unbonding = x.Unbonding, ReleaseAt = x.ReleaseAt },
            S.CommissionChanged x => new CommissionChanged(x.Staker, x.Bps, x.EffectiveEpoch, p),
            S.RewardDeposited x => new MinerRewarded(x.Coordinator, x.Miner, x.Amount, x.Commission, x.ToVoters, p),
            S.RewardsClaimed x => new RewardsClaimed(x.Account, x.Amount, p),
            S.Slashed x => new CandidateSlashed(x.Candidate, x.Reporter, x.EvidenceId, x.Bps, x.Total, x.Burned, p),
            _ => null,
        };
    }
}
