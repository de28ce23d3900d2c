using System.Numerics;
using Cuckoo.Chain;
using Cuckoo.Staking;
using Address = Cuckoo.Chain.Address;

namespace Cuckoo.Coordinator.Trust;

public sealed partial class InMemoryTrustChain
{
    public Task<ChainOutcome> SlashAsync(MinerEvidence evidence, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(evidence);
        Staking.Contracts.CuckooStaking.EvidenceStruct e;
        try
        {
            e = EvidenceBuilder.ToStruct(evidence);
        }
        catch (FormatException ex)
        {
            return Task.FromResult(ChainOutcome.Failure($"MalformedEvidence: {ex.Message}", retryable: false));
        }
        lock (_gate)
        {
            return Task.FromResult(Slash(evidence.Accused, e));
        }
    }

    // The contract's slash(miner, evidence), check for check; msg.sender is this chain's coordinator.
    private ChainOutcome Slash(Address miner, Staking.Contracts.CuckooStaking.EvidenceStruct evidence)
    {
        if (!CoordinatorActive)
        {
            return TrustChainErrors.NotActiveCoordinator(Coordinator);
        }
        if (!_miners.TryGetValue(miner, out var accused))
        {
            return TrustChainErrors.NotMiner(miner);
        }
        var task = new StakingTask(evidence.Task.TaskId, evidence.Task.ModelId, evidence.Task.InputDigest);
        var evidenceId = EvidenceBuilder.EvidenceIdOf(miner, Coordinator, task.TaskId);
        if (_usedEvidence.Contains(evidenceId))
        {
            return TrustChainErrors.EvidenceAlreadyUsed(evidenceId);
        }
        if (ExpectSigner(Typed.AssignmentDigest(task), evidence.AssignmentSignature, Coordinator) is { } badAssignment)
        {
            return badAssignment;
        }
        if (ExpectSigner(Typed.ResultDigest(task, evidence.AccusedOutput, Coordinator), evidence.AccusedSignature, miner) is { } badResult)
        {
            return badResult;
        }
        if (evidence.AccusedOutput.AsSpan().SequenceEqual(evidence.WitnessOutput))
        {
            return TrustChainErrors.OutputsAgree(Hex.Encode(evidence.WitnessOutput));
        }
        var signatures = evidence.WitnessSignatures;
        if (signatures.Count < Settings.MinWitnesses)
        {
            return TrustChainErrors.NotEnoughWitnesses(signatures.Count, Settings.MinWitnesses);
        }
        var witnessDigest = Typed.ResultDigest(task, evidence.WitnessOutput, Coordinator);
        var stakers = new List<Address> { accused.Staker };
        foreach (var signature in signatures)
        {
            if (!ContractSignature.TryRecover(witnessDigest, signature, out var witness))
            {
                return TrustChainErrors.InvalidSignature(Hex.Encode(witnessDigest));
            }
            if (!_miners.TryGetValue(witness, out var w) || !w.Active)
            {
                return TrustChainErrors.WitnessNotActiveMiner(witness);
            }
            if (stakers.Contains(w.Staker))
            {
                return TrustChainErrors.DuplicateStaker(w.Staker);
            }
            stakers.Add(w.Staker);
        }
        return ApplySlash(miner, accused, evidenceId);
    }

    // The contract's _slash: the cap counts the staker's tally and this candidate's, whichever is larger.
    private ChainOutcome ApplySlash(Address miner, MinerState accused, string evidenceId)
    {
        var staker = accused.Staker;
        var used = _slashedBpsInEpoch.GetValueOrDefault((staker, _epoch));
        var usedHere = accused.SlashEpoch == _epoch ? accused.SlashedBps : 0;
        var already = Math.Max(used, usedHere);
        var bps = Settings.SlashBps;
        if (already + bps > Settings.MaxSlashBpsPerEpoch)
        {
            return TrustChainErrors.EpochSlashCapExceeded(already, bps, Settings.MaxSlashBpsPerEpoch);
        }
        _usedEvidence.Add(evidenceId);
        _slashedBpsInEpoch[(staker, _epoch)] = used + bps;
        (accused.SlashEpoch, accused.SlashedBps) = (_epoch, usedHere + bps);
        var fromStake = accused.Registered ? _stakes.GetValueOrDefault(staker) * bps / 10_000 : BigInteger.Zero;
        _stakes[staker] = _stakes.GetValueOrDefault(staker) - fromStake;
        // The contract's _refresh: a stake slashed to the minimum or below no longer backs an active miner.
        accused.Active &= _stakes[staker] > Settings.MinMinerStake;
        var hash = NextTransactionHash();
        _slashes.Add(new InMemorySlash(evidenceId, miner, staker, bps, fromStake, _epoch, hash));
        return ChainOutcome.Success(hash);
    }

    private static ChainOutcome? ExpectSigner(byte[] digest, byte[] signature, Address expected)
    {
        if (!ContractSignature.TryRecover(digest, signature, out var signer))
        {
            return TrustChainErrors.InvalidSignature(Hex.Encode(digest));
        }
        return signer == expected ? null : TrustChainErrors.WrongSigner(expected, signer);
    }
}
