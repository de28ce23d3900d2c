using System.Numerics;
using Nethereum.Hex.HexConvertors.Extensions;
using Cuckoo.Chain;
using K = Cuckoo.Staking.Contracts.CaiToken;
using S = Cuckoo.Staking.Contracts.CuckooStaking;

namespace Cuckoo.Staking;

/// <summary>A CaiToken or CuckooStaking call reverted; <see cref="Exception.Message"/> says why in words.</summary>
public sealed class StakingRevertException : Exception
{
    public StakingRevertException(string contract, string function, RevertInfo revert, Exception inner)
        : base($"{contract}.{function} failed: {Describe(revert)}", inner)
    {
        Contract = contract;
        Function = function;
        Revert = revert;
    }

    public string Contract { get; }

    public string Function { get; }

    public RevertInfo Revert { get; }

    /// <summary>The custom error's name (e.g. <c>BelowMinimum</c>), or null for other reverts.</summary>
    public string? ErrorName => Revert.ErrorName;

    public IReadOnlyList<object?> ErrorArgs => Revert.Args ?? [];

    /// <summary>A sentence for each custom error of the two contracts (decoded into their typed <c>[Error]</c> classes), with amounts in CAI.</summary>
    public static string Describe(RevertInfo revert)
    {
        ArgumentNullException.ThrowIfNull(revert);
        if (revert.Kind != RevertKind.CustomError)
        {
            return revert.ToString();
        }
        static string Cai(BigInteger wei) => Staking.Cai.Format(wei) + " CAI";
        static string Time(BigInteger seconds) => DateTimeOffset.FromUnixTimeSeconds((long)seconds).ToString("u");
        var text = revert.Error switch
        {
            S.InvalidParametersError => "the deployment parameters are inconsistent",
            S.ZeroAmountError => "the amount must be greater than zero",
            S.ZeroAddressError or K.ZeroAddressError => "the zero address is not allowed here",
            S.ReentrantCallError => "re-entrant call refused",
            S.TransferFailedError => "the token transfer failed",
            S.InsufficientStakeError e => $"insufficient free stake: {Cai(e.Available)} available, {Cai(e.Requested)} requested",
            S.BelowMinimumError e => $"self-stake {Cai(e.SelfStake)} must be more than the minimum {Cai(e.Minimum)}",
            S.AlreadyRegisteredError e => $"staker {A(e.Staker)} already registered {A(e.Candidate)}",
            S.SelfRegistrationError e => $"the registered address must differ from the staker's own address {A(e.Staker)}",
            S.AddressTakenError e => $"address {A(e.Candidate)} is already bound to another registration",
            S.NotRegisteredError e => $"{A(e.Candidate)} is not registered",
            S.NotMinerError e => $"{A(e.Candidate)} is not a registered miner",
            S.NotActiveCoordinatorError e => $"{A(e.Caller)} is not an active coordinator",
            S.NothingToWithdrawError => "nothing is unbonding on that candidate",
            S.UnbondingNotFinishedError e => $"the unbonding period ends at {Time(e.ReleaseAt)}",
            S.InsufficientVotesError e => $"insufficient votes: {Cai(e.Available)} held, {Cai(e.Requested)} requested",
            S.InvalidBpsError e => $"{e.Bps} bps is outside 1..10000",
            S.EpochSlashCapExceededError e => $"{e.Bps} bps on top of {e.AlreadySlashedBps} bps this epoch exceeds the per-epoch cap of {e.MaxPerEpoch} bps",
            S.NothingToClaimError => "there are no rewards to claim",
            S.NotCoordinatorError e => $"{A(e.Candidate)} is not a registered coordinator",
            S.InactiveMinerError e => $"{A(e.Miner)} is not an active miner, so it cannot receive rewards",
            S.StakeBacksRegistrationError e => $"staker {A(e.Staker)} backs its registration {A(e.Candidate)} with its stake and cannot vote; deregister first",
            S.CommissionStepTooLargeError e => $"a commission change from {e.Current} to {e.Requested} bps is larger than the allowed step of {e.MaxStep} bps",
            S.InvalidUrlError e => $"the URL is {e.Length} bytes; it must be 1 to 256 bytes",
            S.NothingToSweepError => "there is no dust to sweep",
            S.InvalidSignatureError => "the signature is malformed (65 bytes r‖s‖v with v 27 or 28 and low s)",
            S.WrongSignerError e => $"the signature is by {A(e.Recovered)}, not by {A(e.Expected)}",
            S.NotEnoughWitnessesError e => $"{e.Given} witness results given, at least {e.Required} needed",
            S.OutputsAgreeError => "the accused output equals the witnesses' output, so there is nothing to slash",
            S.WitnessNotActiveMinerError e => $"witness {A(e.Witness)} is not an active miner",
            S.DuplicateStakerError e => $"staker {A(e.Staker)} appears more than once among the accused and the witnesses",
            S.EvidenceAlreadyUsedError e => $"this evidence ({e.EvidenceId.ToHex(prefix: true)}) was already used for a slash",
            S.TaskMismatchError => "the two assignments are for different tasks",
            S.AssignmentsAgreeError => "the two assignments agree, so they prove nothing",
            K.NotOwnerError e => $"{A(e.Caller)} is not the token's owner",
            K.NotPendingOwnerError e => $"{A(e.Caller)} is not the token's pending owner",
            K.FaucetNotAllowedError e => $"a faucet is allowed only on the devnet (chain 31337) with a cooldown, not on chain {e.ChainId} with cooldown {e.Cooldown} s",
            K.InsufficientBalanceError e => $"insufficient CAI balance: {A(e.Account)} has {Cai(e.Balance)}, needs {Cai(e.Needed)}",
            K.InsufficientAllowanceError e => $"insufficient CAI allowance: {A(e.Spender)} may spend {Cai(e.Allowance)} of {A(e.Owner)}'s, needs {Cai(e.Needed)}",
            K.FaucetDisabledError => "the faucet is disabled",
            K.FaucetCooldownError e => $"the faucet is cooling down for {A(e.Recipient)} until {Time(e.AvailableAt)}",
            _ => null,
        };
        return text is null ? revert.ToString() : $"{text} ({revert.ErrorName})";
    }

    private static string A(string address) => Address.TryParse(address, out var a) ? a.ToString() : address;
}
