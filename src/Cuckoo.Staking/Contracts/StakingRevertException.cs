using System.Numerics;
using Cuckoo.Chain;

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

    /// <summary>A sentence for each custom error of the two contracts, with amounts in CAI.</summary>
    public static string Describe(RevertInfo revert)
    {
        ArgumentNullException.ThrowIfNull(revert);
        if (revert.Kind != RevertKind.CustomError)
        {
            return revert.ToString();
        }
        var a = revert.Args ?? [];
        string Amount(int i) => Cai.Format((BigInteger)a[i]!) + " CAI";
        string Addr(int i) => a[i]?.ToString() ?? "?";
        string Time(int i) => DateTimeOffset.FromUnixTimeSeconds((long)(BigInteger)a[i]!).ToString("u");
        var text = revert.ErrorName switch
        {
            "InvalidParameters" => "the deployment parameters are inconsistent",
            "ZeroAmount" => "the amount must be greater than zero",
            "ZeroAddress" => "the zero address is not allowed here",
            "ReentrantCall" => "re-entrant call refused",
            "TransferFailed" => "the token transfer failed",
            "InsufficientStake" => $"insufficient free stake: {Amount(0)} available, {Amount(1)} requested",
            "BelowMinimum" => $"self-stake {Amount(0)} is below the minimum {Amount(1)}",
            "AlreadyRegistered" => $"staker {Addr(0)} already registered {Addr(1)}",
            "SelfRegistration" => $"the registered address must differ from the staker's own address {Addr(0)}",
            "AddressTaken" => $"address {Addr(0)} is already bound to another registration",
            "NotRegistered" => $"{Addr(0)} is not registered",
            "NotMiner" => $"{Addr(0)} is not a registered miner",
            "NotActiveCoordinator" => $"{Addr(0)} is not an active coordinator",
            "NothingToWithdraw" => "nothing is unbonding",
            "UnbondingNotFinished" => $"the unbonding period ends at {Time(0)}",
            "InsufficientVotes" => $"insufficient votes: {Amount(0)} held, {Amount(1)} requested",
            "InvalidBps" => $"{a[0]} bps is outside 1..10000",
            "SlashTooLarge" => $"{a[0]} bps exceeds the per-incident cap of {a[1]} bps",
            "EpochSlashCapExceeded" => $"{a[1]} bps on top of {a[0]} bps this epoch exceeds the per-epoch cap of {a[2]} bps",
            "NothingToClaim" => "there are no rewards to claim",
            "NotOwner" => $"{Addr(0)} is not the token's owner",
            "InsufficientBalance" => $"insufficient CAI balance: {Addr(0)} has {Amount(1)}, needs {Amount(2)}",
            "InsufficientAllowance" => $"insufficient CAI allowance: {Addr(1)} may spend {Amount(2)} of {Addr(0)}'s, needs {Amount(3)}",
            "FaucetDisabled" => "the faucet is disabled",
            "FaucetCooldown" => $"the faucet is cooling down for {Addr(0)} until {Time(1)}",
            _ => null,
        };
        return text is null ? revert.ToString() : $"{text} ({revert.ErrorName})";
    }
}
