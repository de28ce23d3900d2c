using System.Numerics;
using Cuckoo.Chain;
using Cuckoo.Staking;
using Nethereum.Hex.HexConvertors.Extensions;
using Address = Cuckoo.Chain.Address;
using K = Cuckoo.Staking.Contracts.CaiToken;
using S = Cuckoo.Staking.Contracts.CuckooStaking;

namespace Cuckoo.Coordinator.Trust;

/// <summary>
/// <see cref="ITrustChain"/> over the deployed CuckooStaking and CaiToken contracts, sending from the coordinator's key.
/// Reverts become <see cref="ChainOutcome"/>s worded by <see cref="TrustChainErrors"/>; an unreachable or slow node is a
/// retryable outcome too, so the trust keeper never sees an exception for a refusal.
/// </summary>
public sealed class StakingTrustChain : ITrustChain
{
    private readonly CuckooStakingClient _staking;
    private readonly CaiTokenClient _token;
    private readonly TransactionSender _coordinator;
    // One deposit at a time: an approval is an overwrite, so two interleaved deposits would spend each other's allowance.
    private readonly SemaphoreSlim _deposits = new(1, 1);

    private int _minWitnesses;

    /// <param name="coordinator">The coordinator key's sender: the contract takes slashes and rewards from an active coordinator only.</param>
    public StakingTrustChain(CuckooStakingClient staking, CaiTokenClient token, TransactionSender coordinator)
    {
        ArgumentNullException.ThrowIfNull(staking);
        ArgumentNullException.ThrowIfNull(token);
        ArgumentNullException.ThrowIfNull(coordinator);
        (_staking, _token, _coordinator) = (staking, token, coordinator);
    }

    public Address Coordinator => _coordinator.Address;

    public async Task<int> MinWitnessesAsync(CancellationToken cancellationToken)
    {
        // Immutable in the contract: read once.
        if (_minWitnesses == 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            _minWitnesses = (await _staking.GetParametersAsync().WaitAsync(cancellationToken).ConfigureAwait(false)).MinWitnesses;
        }
        return _minWitnesses;
    }

    public async Task<ChainOutcome> SlashAsync(MinerEvidence evidence, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(evidence);
        S.EvidenceStruct evidenceStruct;
        try
        {
            evidenceStruct = EvidenceBuilder.ToStruct(evidence);
        }
        catch (FormatException e)
        {
            return ChainOutcome.Failure($"MalformedEvidence: {e.Message}", retryable: false);
        }
        return await GuardAsync(async () =>
        {
            var outcome = await _staking.SlashAsync(_coordinator, evidence.Accused, evidenceStruct, cancellationToken).ConfigureAwait(false);
            return ChainOutcome.Success(outcome.TransactionHash);
        }, cancellationToken).ConfigureAwait(false);
    }

    public Task<ChainOutcome> DepositRewardAsync(Address miner, BigInteger amount, CancellationToken cancellationToken)
    {
        // Zero goes to the contract, which refuses it after checking the sender, as the twin does.
        if (amount.Sign < 0)
        {
            return Task.FromResult(TrustChainErrors.NegativeAmount(amount));
        }
        return GuardAsync(async () =>
        {
            await _deposits.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                return await DepositAsync(miner, amount, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                _deposits.Release();
            }
        }, cancellationToken);
    }

    public async Task<BigInteger> RewardBalanceAsync(CancellationToken cancellationToken) =>
        await _token.BalanceOfAsync(_coordinator.Address).WaitAsync(cancellationToken).ConfigureAwait(false);

    public async Task<long> DepositMarkAsync(CancellationToken cancellationToken) =>
        await _coordinator.Client.GetBlockNumberAsync(cancellationToken).ConfigureAwait(false) + 1;

    public async Task<DepositSearch> FindDepositAsync(Address miner, BigInteger amount, long fromBlock, CancellationToken cancellationToken)
    {
        var client = _coordinator.Client;
        // Read before the logs: a deposit mined after this read is then either in the logs or still counted as pending.
        var pending = await client.GetTransactionCountAsync(_coordinator.Address, BlockParameter.Pending, cancellationToken).ConfigureAwait(false);
        var head = await client.GetBlockNumberAsync(cancellationToken).ConfigureAwait(false);
        var mined = await client.GetTransactionCountAsync(_coordinator.Address, BlockParameter.Number(head), cancellationToken).ConfigureAwait(false);
        // In windows: a coordinator may come back after long, and public nodes refuse log queries over wide ranges.
        await foreach (var e in _staking.GetEventsInWindowsAsync(fromBlock, head, cancellationToken).ConfigureAwait(false))
        {
            if (e is Cuckoo.Staking.RewardDeposited d && d.Coordinator == _coordinator.Address && d.Miner == miner && d.Amount == amount && d.Position?.TransactionHash is { } hash)
            {
                return DepositSearch.Found(hash);
            }
        }
        return pending > mined ? DepositSearch.StillPending : DepositSearch.NotFound;
    }

    /// <summary>The contract's refusal in <see cref="TrustChainErrors"/>' words, the same as the twin's.</summary>
    public static ChainOutcome Describe(StakingRevertException revert)
    {
        ArgumentNullException.ThrowIfNull(revert);
        static Address A(string address) => Address.TryParse(address, out var a) ? a : Address.Zero;
        return revert.Revert.Error switch
        {
            S.NotActiveCoordinatorError e => TrustChainErrors.NotActiveCoordinator(A(e.Caller)),
            S.NotMinerError e => TrustChainErrors.NotMiner(A(e.Candidate)),
            S.NotRegisteredError e => TrustChainErrors.NotRegistered(A(e.Candidate)),
            S.InactiveMinerError e => TrustChainErrors.InactiveMiner(A(e.Miner)),
            S.ZeroAmountError => TrustChainErrors.ZeroAmount(),
            S.EvidenceAlreadyUsedError e => TrustChainErrors.EvidenceAlreadyUsed(e.EvidenceId.ToHex(prefix: true)),
            S.InvalidSignatureError e => TrustChainErrors.InvalidSignature(e.Digest.ToHex(prefix: true)),
            S.WrongSignerError e => TrustChainErrors.WrongSigner(A(e.Expected), A(e.Recovered)),
            S.OutputsAgreeError e => TrustChainErrors.OutputsAgree(e.Output.ToHex(prefix: true)),
            S.NotEnoughWitnessesError e => TrustChainErrors.NotEnoughWitnesses(e.Given, e.Required),
            S.WitnessNotActiveMinerError e => TrustChainErrors.WitnessNotActiveMiner(A(e.Witness)),
            S.DuplicateStakerError e => TrustChainErrors.DuplicateStaker(A(e.Staker)),
            S.EpochSlashCapExceededError e => TrustChainErrors.EpochSlashCapExceeded(e.AlreadySlashedBps, e.Bps, e.MaxPerEpoch),
            K.InsufficientBalanceError e => TrustChainErrors.InsufficientBalance(A(e.Account), e.Balance, e.Needed),
            K.InsufficientAllowanceError e => TrustChainErrors.InsufficientAllowance(A(e.Owner), A(e.Spender), e.Allowance, e.Needed),
            _ => TrustChainErrors.Refused(revert.ErrorName ?? "Reverted", StakingRevertException.Describe(revert.Revert)),
        };
    }

    private async Task<ChainOutcome> DepositAsync(Address miner, BigInteger amount, CancellationToken cancellationToken)
    {
        var allowance = await _token.AllowanceAsync(_coordinator.Address, _staking.Address).WaitAsync(cancellationToken).ConfigureAwait(false);
        if (allowance < amount)
        {
            await _token.ApproveAsync(_coordinator, _staking.Address, amount, cancellationToken).ConfigureAwait(false);
        }
        var outcome = await _staking.DepositRewardAsync(_coordinator, miner, amount, cancellationToken).ConfigureAwait(false);
        return ChainOutcome.Success(outcome.TransactionHash);
    }

    private static async Task<ChainOutcome> GuardAsync(Func<Task<ChainOutcome>> send, CancellationToken cancellationToken)
    {
        try
        {
            return await send().ConfigureAwait(false);
        }
        catch (StakingRevertException e)
        {
            return Describe(e);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (WrongChainException e)
        {
            return ChainOutcome.Failure($"WrongChain: {e.Message}", retryable: false);
        }
        catch (Exception e) when (e is RpcUnavailableException or RpcException or TimeoutException or HttpRequestException or IOException)
        {
            // TransactionUnconfirmedException is a TimeoutException: the slash may still land, and a resend of used
            // evidence is refused by the contract as EvidenceAlreadyUsed rather than slashing twice.
            return TrustChainErrors.Unreachable(e.Message);
        }
    }
}
