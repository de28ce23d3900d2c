using System.Numerics;
using Cuckoo.Chain;
using Nethereum.ABI.FunctionEncoding.Attributes;
using Nethereum.Contracts;
using Nethereum.Hex.HexConvertors.Extensions;
using Nethereum.RPC.Eth.DTOs;
using K = Cuckoo.Staking.Contracts.CaiToken;
using S = Cuckoo.Staking.Contracts.CuckooStaking;
using Log = Cuckoo.Chain.Log;
using TransactionReceipt = Cuckoo.Chain.TransactionReceipt;

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

/// <summary>Stake moved to <see cref="Candidate"/>'s unbonding pool (zero: it backed nothing); <see cref="Unbonding"/> is the staker's whole position there.</summary>
public sealed record UnstakeRequested(Address Staker, Address Candidate, BigInteger Amount, BigInteger Unbonding, DateTimeOffset ReleaseAt) : ContractEvent;

public sealed record Withdrawn(Address Staker, Address Candidate, BigInteger Amount) : ContractEvent;

public sealed record MinerRegistered(Address Staker, Address Miner, string Intro) : ContractEvent;

public sealed record CoordinatorRegistered(Address Staker, Address Coordinator, string Intro, string Url) : ContractEvent;

public sealed record CoordinatorUrlChanged(Address Coordinator, string Url) : ContractEvent;

/// <summary>A candidate key voided its unused consents; the next one must carry <see cref="NextNonce"/>.</summary>
public sealed record ConsentRevoked(Address Candidate, BigInteger NextNonce) : ContractEvent;

public sealed record DustSwept(Address Treasury, BigInteger Amount) : ContractEvent;

public sealed record Deregistered(Address Staker, Address Candidate) : ContractEvent;

public sealed record RegistrationActivated(Address Candidate, BigInteger SelfStake) : ContractEvent;

public sealed record RegistrationDeactivated(Address Candidate, BigInteger SelfStake, BigInteger Minimum) : ContractEvent;

/// <summary>Emitted after every change to a candidate's self-stake, votes or status: enough to keep a weight table.</summary>
public sealed record WeightChanged(Address Candidate, BigInteger SelfStake, BigInteger Votes, bool Active) : ContractEvent
{
    public BigInteger Weight => SelfStake + Votes;
}

/// <summary>Votes count in the weight at once and earn from epoch <see cref="EarningFromEpoch"/> (no event marks that boundary).</summary>
public sealed record Voted(Address Voter, Address Candidate, BigInteger Amount, BigInteger Shares, BigInteger EarningFromEpoch) : ContractEvent;

/// <summary>Votes taken back go to the candidate's unbonding pool: <see cref="Unbonding"/> is the voter's position there until <see cref="ReleaseAt"/>.</summary>
public sealed record Unvoted(Address Voter, Address Candidate, BigInteger Amount, BigInteger Shares, BigInteger Unbonding, DateTimeOffset ReleaseAt) : ContractEvent;

/// <summary>A commission scheduled from epoch <see cref="EffectiveEpoch"/>.</summary>
public sealed record CommissionChanged(Address Staker, int Bps, BigInteger EffectiveEpoch) : ContractEvent;

public sealed record RewardDeposited(Address Coordinator, Address Miner, BigInteger Amount, BigInteger Commission, BigInteger ToVoters) : ContractEvent;

public sealed record RewardsClaimed(Address Account, BigInteger Amount) : ContractEvent;

/// <summary>A miner or coordinator slashed on verified evidence (<see cref="EvidenceId"/>, usable once); <see cref="Burned"/> CAI were destroyed.</summary>
public sealed record Slashed(
    Address Candidate,
    Address Reporter,
    string EvidenceId,
    int Bps,
    BigInteger FromStake,
    BigInteger FromUnbonding,
    BigInteger FromVotes,
    BigInteger Burned) : ContractEvent
{
    public BigInteger Total => FromStake + FromUnbonding + FromVotes;
}

public sealed record TokenTransferred(Address From, Address To, BigInteger Value) : ContractEvent;

public sealed record TokenApproved(Address Owner, Address Spender, BigInteger Value) : ContractEvent;

public sealed record FaucetUsed(Address Recipient, BigInteger Amount, DateTimeOffset NextAvailableAt) : ContractEvent;

public sealed record FaucetToggled(bool Enabled) : ContractEvent;

public sealed record TokenOwnershipTransferred(Address PreviousOwner, Address NewOwner) : ContractEvent;

/// <summary>The owner named <see cref="NewOwner"/>, who becomes owner only by calling <c>acceptOwnership</c>.</summary>
public sealed record TokenOwnershipTransferStarted(Address PreviousOwner, Address NewOwner) : ContractEvent;

/// <summary>
/// Turns logs of the two contracts into <see cref="ContractEvent"/> records. Decoding is Nethereum's
/// (<c>FilterLog.DecodeEvent&lt;T&gt;()</c> with the typed <c>[Event]</c> classes); ours is the mapping to the records.
/// </summary>
public static class ContractEventDecoder
{
    private static readonly Dictionary<string, Func<FilterLog, ContractEvent>> Staking = Map(
        On<S.StakedEvent>(e => new Staked(A(e.Staker), e.Amount, e.SelfStake)),
        On<S.UnstakeRequestedEvent>(e => new UnstakeRequested(A(e.Staker), A(e.Candidate), e.Amount, e.Unbonding, T(e.ReleaseAt))),
        On<S.WithdrawnEvent>(e => new Withdrawn(A(e.Staker), A(e.Candidate), e.Amount)),
        On<S.MinerRegisteredEvent>(e => new MinerRegistered(A(e.Staker), A(e.Miner), e.Intro)),
        On<S.CoordinatorRegisteredEvent>(e => new CoordinatorRegistered(A(e.Staker), A(e.Coordinator), e.Intro, e.Url)),
        On<S.CoordinatorUrlChangedEvent>(e => new CoordinatorUrlChanged(A(e.Coordinator), e.Url)),
        On<S.ConsentRevokedEvent>(e => new ConsentRevoked(A(e.Candidate), e.NextNonce)),
        On<S.DustSweptEvent>(e => new DustSwept(A(e.Treasury), e.Amount)),
        On<S.DeregisteredEvent>(e => new Deregistered(A(e.Staker), A(e.Candidate))),
        On<S.RegistrationActivatedEvent>(e => new RegistrationActivated(A(e.Candidate), e.SelfStake)),
        On<S.RegistrationDeactivatedEvent>(e => new RegistrationDeactivated(A(e.Candidate), e.SelfStake, e.Minimum)),
        On<S.WeightChangedEvent>(e => new WeightChanged(A(e.Candidate), e.SelfStake, e.Votes, e.Active)),
        On<S.VotedEvent>(e => new Voted(A(e.Voter), A(e.Candidate), e.Amount, e.Shares, e.EarningFromEpoch)),
        On<S.UnvotedEvent>(e => new Unvoted(A(e.Voter), A(e.Candidate), e.Amount, e.Shares, e.Unbonding, T(e.ReleaseAt))),
        On<S.CommissionChangedEvent>(e => new CommissionChanged(A(e.Staker), (int)e.Bps, e.EffectiveEpoch)),
        On<S.RewardDepositedEvent>(e => new RewardDeposited(A(e.Coordinator), A(e.Miner), e.Amount, e.Commission, e.ToVoters)),
        On<S.RewardsClaimedEvent>(e => new RewardsClaimed(A(e.Account), e.Amount)),
        On<S.SlashedEvent>(e => new Slashed(
            A(e.Candidate), A(e.Reporter), e.EvidenceId.ToHex(prefix: true), (int)e.Bps, e.FromStake, e.FromUnbonding, e.FromVotes, e.Burned)));

    private static readonly Dictionary<string, Func<FilterLog, ContractEvent>> Token = Map(
        On<K.TransferEvent>(e => new TokenTransferred(A(e.From), A(e.To), e.Value)),
        On<K.ApprovalEvent>(e => new TokenApproved(A(e.Owner), A(e.Spender), e.Value)),
        On<K.FaucetUsedEvent>(e => new FaucetUsed(A(e.Recipient), e.Amount, T(e.NextAvailableAt))),
        On<K.FaucetToggledEvent>(e => new FaucetToggled(e.Enabled)),
        On<K.OwnershipTransferredEvent>(e => new TokenOwnershipTransferred(A(e.PreviousOwner), A(e.NewOwner))),
        On<K.OwnershipTransferStartedEvent>(e => new TokenOwnershipTransferStarted(A(e.PreviousOwner), A(e.NewOwner))));

    /// <summary>Decodes a CuckooStaking log; false for logs of other events (or malformed ones).</summary>
    public static bool TryDecodeStaking(Log log, out ContractEvent? decoded) => TryDecode(Staking, log, out decoded);

    /// <summary>Decodes a CaiToken log; false for logs of other events (or malformed ones).</summary>
    public static bool TryDecodeToken(Log log, out ContractEvent? decoded) => TryDecode(Token, log, out decoded);

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

    private static bool TryDecode(Dictionary<string, Func<FilterLog, ContractEvent>> map, Log log, out ContractEvent? decoded)
    {
        ArgumentNullException.ThrowIfNull(log);
        decoded = null;
        if (log.Topics.Count == 0 || !map.TryGetValue(log.Topics[0].ToHex(prefix: false), out var make))
        {
            return false;
        }
        try
        {
            decoded = make(log.ToNethereum()) with { Position = LogPosition.Of(log) };
            return true;
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or IndexOutOfRangeException or InvalidOperationException or OverflowException or NullReferenceException)
        {
            // A log with our event's topic but not its layout (another contract, or a bad node answer).
            return false;
        }
    }

    private static (string Topic, Func<FilterLog, ContractEvent> Make) On<TEvent>(Func<TEvent, ContractEvent> make)
        where TEvent : IEventDTO, new() =>
        (ABITypedRegistry.GetEvent<TEvent>().Sha3Signature.ToLowerInvariant(),
         log => make((log.DecodeEvent<TEvent>() ?? throw new FormatException($"not a {typeof(TEvent).Name} log")).Event));

    private static Dictionary<string, Func<FilterLog, ContractEvent>> Map(params (string Topic, Func<FilterLog, ContractEvent> Make)[] entries) =>
        entries.ToDictionary(e => e.Topic, e => e.Make);

    private static Address A(string address) => Address.Parse(address);

    private static DateTimeOffset T(BigInteger seconds) => DateTimeOffset.FromUnixTimeSeconds((long)seconds);
}
