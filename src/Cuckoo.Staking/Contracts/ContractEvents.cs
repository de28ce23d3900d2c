using System.Numerics;
using Cuckoo.Chain;

namespace Cuckoo.Staking;

/// <summary>Where a log sits on the chain; the chain watcher orders, checkpoints and de-duplicates by it.</summary>
public sealed record LogPosition(long BlockNumber, string? BlockHash, string? TransactionHash, long LogIndex, bool Removed)
{
    public static LogPosition Of(Log log) => new(log.BlockNumber, log.BlockHash, log.TransactionHash, log.LogIndex, log.Removed);
}

/// <summary>A decoded event of CaiToken or CuckooStaking.</summary>
public abstract record ContractEvent
{
    /// <summary>Null for events decoded from data that did not come from a log.</summary>
    public LogPosition? Position { get; init; }
}

public sealed record Staked(Address Staker, BigInteger Amount, BigInteger SelfStake) : ContractEvent;

public sealed record UnstakeRequested(Address Staker, BigInteger Amount, BigInteger Unbonding, DateTimeOffset ReleaseAt) : ContractEvent;

public sealed record Withdrawn(Address Staker, BigInteger Amount) : ContractEvent;

public sealed record MinerRegistered(Address Staker, Address Miner, string Intro) : ContractEvent;

public sealed record CoordinatorRegistered(Address Staker, Address Coordinator, string Intro) : ContractEvent;

public sealed record Deregistered(Address Staker, Address Candidate) : ContractEvent;

public sealed record RegistrationActivated(Address Candidate, BigInteger SelfStake) : ContractEvent;

public sealed record RegistrationDeactivated(Address Candidate, BigInteger SelfStake, BigInteger Minimum) : ContractEvent;

/// <summary>Emitted after every change to a candidate's self-stake, votes or status: enough to keep a weight table.</summary>
public sealed record WeightChanged(Address Candidate, BigInteger SelfStake, BigInteger Votes, bool Active) : ContractEvent
{
    public BigInteger Weight => SelfStake + Votes;
}

public sealed record Voted(Address Voter, Address Candidate, BigInteger Amount, BigInteger Shares) : ContractEvent;

public sealed record Unvoted(Address Voter, Address Candidate, BigInteger Amount, BigInteger Shares) : ContractEvent;

public sealed record CommissionChanged(Address Staker, int Bps) : ContractEvent;

public sealed record RewardDeposited(Address Coordinator, Address Miner, BigInteger Amount, BigInteger Commission, BigInteger ToVoters) : ContractEvent;

public sealed record RewardsClaimed(Address Account, BigInteger Amount) : ContractEvent;

public sealed record Slashed(
    Address Miner,
    Address Reporter,
    string EvidenceHash,
    int Bps,
    BigInteger FromStake,
    BigInteger FromUnbonding,
    BigInteger FromVotes,
    BigInteger ReporterReward,
    BigInteger ToTreasury) : ContractEvent
{
    public BigInteger Total => FromStake + FromUnbonding + FromVotes;
}

public sealed record TokenTransferred(Address From, Address To, BigInteger Value) : ContractEvent;

public sealed record TokenApproved(Address Owner, Address Spender, BigInteger Value) : ContractEvent;

public sealed record FaucetUsed(Address Recipient, BigInteger Amount, DateTimeOffset NextAvailableAt) : ContractEvent;

public sealed record FaucetToggled(bool Enabled) : ContractEvent;

public sealed record TokenOwnershipTransferred(Address PreviousOwner, Address NewOwner) : ContractEvent;

/// <summary>Turns logs of the two contracts into <see cref="ContractEvent"/> records.</summary>
public static class ContractEventDecoder
{
    private static readonly Dictionary<string, Func<DecodedEvent, ContractEvent>> Staking = new()
    {
        ["Staked"] = e => new Staked(A(e, "staker"), N(e, "amount"), N(e, "selfStake")),
        ["UnstakeRequested"] = e => new UnstakeRequested(A(e, "staker"), N(e, "amount"), N(e, "unbonding"), T(e, "releaseAt")),
        ["Withdrawn"] = e => new Withdrawn(A(e, "staker"), N(e, "amount")),
        ["MinerRegistered"] = e => new MinerRegistered(A(e, "staker"), A(e, "miner"), e.Get<string>("intro")),
        ["CoordinatorRegistered"] = e => new CoordinatorRegistered(A(e, "staker"), A(e, "coordinator"), e.Get<string>("intro")),
        ["Deregistered"] = e => new Deregistered(A(e, "staker"), A(e, "candidate")),
        ["RegistrationActivated"] = e => new RegistrationActivated(A(e, "candidate"), N(e, "selfStake")),
        ["RegistrationDeactivated"] = e => new RegistrationDeactivated(A(e, "candidate"), N(e, "selfStake"), N(e, "minimum")),
        ["WeightChanged"] = e => new WeightChanged(A(e, "candidate"), N(e, "selfStake"), N(e, "votes"), e.Get<bool>("active")),
        ["Voted"] = e => new Voted(A(e, "voter"), A(e, "candidate"), N(e, "amount"), N(e, "shares")),
        ["Unvoted"] = e => new Unvoted(A(e, "voter"), A(e, "candidate"), N(e, "amount"), N(e, "shares")),
        ["CommissionChanged"] = e => new CommissionChanged(A(e, "staker"), (int)N(e, "bps")),
        ["RewardDeposited"] = e => new RewardDeposited(A(e, "coordinator"), A(e, "miner"), N(e, "amount"), N(e, "commission"), N(e, "toVoters")),
        ["RewardsClaimed"] = e => new RewardsClaimed(A(e, "account"), N(e, "amount")),
        ["Slashed"] = e => new Slashed(
            A(e, "miner"), A(e, "reporter"), Hex.Encode(e.Get<byte[]>("evidenceHash")), (int)N(e, "bps"), N(e, "fromStake"),
            N(e, "fromUnbonding"), N(e, "fromVotes"), N(e, "reporterReward"), N(e, "toTreasury")),
    };

    private static readonly Dictionary<string, Func<DecodedEvent, ContractEvent>> Token = new()
    {
        ["Transfer"] = e => new TokenTransferred(A(e, "from"), A(e, "to"), N(e, "value")),
        ["Approval"] = e => new TokenApproved(A(e, "owner"), A(e, "spender"), N(e, "value")),
        ["FaucetUsed"] = e => new FaucetUsed(A(e, "recipient"), N(e, "amount"), T(e, "nextAvailableAt")),
        ["FaucetToggled"] = e => new FaucetToggled(e.Get<bool>("enabled")),
        ["OwnershipTransferred"] = e => new TokenOwnershipTransferred(A(e, "previousOwner"), A(e, "newOwner")),
    };

    /// <summary>Decodes a CuckooStaking log; false for logs of other events.</summary>
    public static bool TryDecodeStaking(Log log, out ContractEvent? decoded) => TryDecode(CuckooStakingAbi.Own, Staking, log, out decoded);

    /// <summary>Decodes a CaiToken log; false for logs of other events.</summary>
    public static bool TryDecodeToken(Log log, out ContractEvent? decoded) => TryDecode(CaiTokenAbi.Abi, Token, log, out decoded);

    /// <summary>The events of the given contracts in a receipt, in log order.</summary>
    public static IReadOnlyList<ContractEvent> FromReceipt(TransactionReceipt receipt, Address? staking, Address? token)
    {
        ArgumentNullException.ThrowIfNull(receipt);
        var events = new List<ContractEvent>();
        foreach (var log in receipt.Logs)
        {
            ContractEvent? decoded = null;
            if ((staking == log.Address && TryDecodeStaking(log, out decoded)) || (token == log.Address && TryDecodeToken(log, out decoded)))
            {
                events.Add(decoded!);
            }
        }
        return events;
    }

    private static bool TryDecode(ContractAbi abi, Dictionary<string, Func<DecodedEvent, ContractEvent>> map, Log log, out ContractEvent? decoded)
    {
        decoded = null;
        if (!abi.TryDecodeLog(log, out var raw) || raw is null || !map.TryGetValue(raw.Name, out var make))
        {
            return false;
        }
        decoded = make(raw) with { Position = LogPosition.Of(log) };
        return true;
    }

    private static Address A(DecodedEvent e, string name) => e.Get<Address>(name);

    private static BigInteger N(DecodedEvent e, string name) => e.Get<BigInteger>(name);

    private static DateTimeOffset T(DecodedEvent e, string name) => DateTimeOffset.FromUnixTimeSeconds((long)N(e, name));
}
