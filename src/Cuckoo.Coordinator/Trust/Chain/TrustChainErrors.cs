using System.Numerics;
using Cuckoo.Staking;
using Address = Cuckoo.Chain.Address;

namespace Cuckoo.Coordinator.Trust;

/// <summary>
/// The refusals of <c>slash</c> and <c>depositReward</c> as <see cref="ChainOutcome"/>s, worded once for the contract and
/// its in-memory twin alike: "ErrorName: what it means, with its arguments". Only the epoch's slash cap and a short
/// balance or allowance pass with time; evidence the contract refused once it refuses for good.
/// </summary>
public static class TrustChainErrors
{
    private static readonly HashSet<string> Retryable = ["EpochSlashCapExceeded", "InsufficientBalance", "InsufficientAllowance"];

    public static bool IsRetryable(string errorName) => Retryable.Contains(errorName);

    public static ChainOutcome NotActiveCoordinator(Address caller) => Refused("NotActiveCoordinator", $"{caller} is not an active coordinator");

    public static ChainOutcome NotMiner(Address candidate) => Refused("NotMiner", $"{candidate} is not a registered miner");

    public static ChainOutcome NotRegistered(Address candidate) => Refused("NotRegistered", $"{candidate} is not registered");

    public static ChainOutcome InactiveMiner(Address miner) => Refused("InactiveMiner", $"{miner} is not an active miner, so it cannot receive rewards");

    public static ChainOutcome ZeroAmount() => Refused("ZeroAmount", "the amount must be greater than zero");

    /// <summary>Not the contract's (a uint256 cannot be negative): refused before anything is sent.</summary>
    public static ChainOutcome NegativeAmount(BigInteger amount) => Refused("NegativeAmount", $"{amount} wei is not an amount");

    public static ChainOutcome EvidenceAlreadyUsed(string evidenceId) => Refused("EvidenceAlreadyUsed", $"evidence {evidenceId} was already used for a slash");

    public static ChainOutcome InvalidSignature(string digest) =>
        Refused("InvalidSignature", $"a signature over {digest} is malformed (65 bytes r‖s‖v with v 27 or 28 and low s)");

    public static ChainOutcome WrongSigner(Address expected, Address recovered) =>
        Refused("WrongSigner", $"the signature is by {recovered}, not by {expected}");

    public static ChainOutcome OutputsAgree(string output) =>
        Refused("OutputsAgree", $"the accused output equals the witnesses' output {output}, so there is nothing to slash");

    public static ChainOutcome NotEnoughWitnesses(BigInteger given, BigInteger required) =>
        Refused("NotEnoughWitnesses", $"{given} witness results given, at least {required} needed");

    public static ChainOutcome WitnessNotActiveMiner(Address witness) => Refused("WitnessNotActiveMiner", $"witness {witness} is not an active miner");

    public static ChainOutcome DuplicateStaker(Address staker) =>
        Refused("DuplicateStaker", $"staker {staker} appears more than once among the accused and the witnesses");

    public static ChainOutcome EpochSlashCapExceeded(BigInteger alreadySlashedBps, BigInteger bps, BigInteger maxPerEpoch) =>
        Refused("EpochSlashCapExceeded", $"{alreadySlashedBps} bps already slashed this epoch, {bps} more would pass the cap of {maxPerEpoch}");

    public static ChainOutcome InsufficientBalance(Address account, BigInteger balance, BigInteger needed) =>
        Refused("InsufficientBalance", $"{account} has {Cai.Format(balance)} CAI, needs {Cai.Format(needed)} CAI");

    public static ChainOutcome InsufficientAllowance(Address owner, Address spender, BigInteger allowance, BigInteger needed) =>
        Refused("InsufficientAllowance", $"{spender} may spend {Cai.Format(allowance)} CAI of {owner}'s, needs {Cai.Format(needed)} CAI");

    /// <summary>A refusal by its contract error name and words.</summary>
    public static ChainOutcome Refused(string errorName, string words)
    {
        ArgumentException.ThrowIfNullOrEmpty(errorName);
        return ChainOutcome.Failure($"{errorName}: {words}", IsRetryable(errorName));
    }

    /// <summary>The node could not be reached or did not confirm in time: worth trying again.</summary>
    public static ChainOutcome Unreachable(string words) => ChainOutcome.Failure($"ChainUnavailable: {words}", retryable: true);
}
