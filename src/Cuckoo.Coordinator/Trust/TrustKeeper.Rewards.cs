using System.Globalization;
using System.Numerics;
using Akka.Actor;
using Akka.Event;
using Address = Cuckoo.Chain.Address;

namespace Cuckoo.Coordinator.Trust;

// Rewards: periods close on a timer with each miner's share worked out, and each share is deposited once (marked before
// its first send, looked for on chain before any other).
public sealed partial class TrustKeeper
{
    private void ArmRewardPeriod(TimeSpan due) =>
        Timers.StartSingleTimer(RewardTimer, ClosePeriod.Instance, due > TimeSpan.Zero ? due : TimeSpan.Zero);

    private void OnClosePeriod()
    {
        ArmRewardPeriod(_settings.RewardPeriod);
        if (_book.CurrentWork.Count == 0 || _book.CurrentStart is not { } start)
        {
            // Nothing earned: the period runs on rather than leave an empty one behind.
            return;
        }
        var shares = RewardSplit.Split(_settings.RewardBudget, _book.CurrentWork, _book.IsJailed);
        var closed = new RewardPeriodClosed(
            _book.CurrentIndex, start, Now, _settings.RewardBudget.ToString(CultureInfo.InvariantCulture), shares);
        _log.Info("trust keeper {0}: reward period {1} closed: {2} miners, {3} forfeited", PersistenceId, closed.Index, shares.Count, shares.Count(s => s.Forfeited));
        Record(closed, () => _depositsDirty = true);
    }

    private (int Period, Address Miner, BigInteger Amount, long? FromBlock)? NextDeposit()
    {
        if (!_depositsDirty || _depositsPaused)
        {
            return null;
        }
        foreach (var period in _book.Closed)
        {
            foreach (var (share, amount) in period.Owed())
            {
                return (period.Closed.Index, share.Miner, amount, period.Started.TryGetValue(share.Miner, out var from) ? from : null);
            }
        }
        _depositsDirty = false;
        return null;
    }

    /// <summary>Sends the first deposit still owed: marks it first when it was never sent, else looks for it on chain.</summary>
    private void StartDeposit((int Period, Address Miner, BigInteger Amount, long? FromBlock) deposit)
    {
        _busy = true;
        var (period, miner, amount, fromBlock) = deposit;
        if (fromBlock is { } from)
        {
            SendDeposit(period, miner, amount, from);
            return;
        }
        // The first send: where it would be found is journaled before it goes out (RewardDepositStarted).
        var chain = _chain;
        var token = _stopping.Token;
        Task.Run(() => chain.DepositMarkAsync(token), token).PipeTo(
            Self,
            success: mark => new DepositMarked(period, miner, amount, mark, null),
            failure: e => new DepositMarked(period, miner, amount, 0, e.GetBaseException().Message));
    }

    private void OnDepositMarked(DepositMarked marked)
    {
        if (marked.Error is { } error)
        {
            OnDepositDone(new DepositDone(marked.Period, marked.Miner, marked.Amount, ChainOutcome.Failure(error, retryable: true)));
            return;
        }
        Record(
            new RewardDepositStarted(marked.Period, marked.Miner, marked.Amount.ToString(CultureInfo.InvariantCulture), marked.FromBlock, Now),
            () => SendDeposit(marked.Period, marked.Miner, marked.Amount, marked.FromBlock));
    }

    /// <summary>
    /// Pays a share unless the chain already has it: a deposit found from <paramref name="fromBlock"/> on is taken as this
    /// one (a crash or a lost receipt came between its send and its journal entry), and none goes out while the
    /// coordinator's earlier transactions are still pending, since this deposit may be one of them.
    /// </summary>
    private void SendDeposit(int period, Address miner, BigInteger amount, long fromBlock)
    {
        var chain = _chain;
        var token = _stopping.Token;
        Task.Run<(ChainOutcome Outcome, bool Found)>(async () =>
        {
            var found = await chain.FindDepositAsync(miner, amount, fromBlock, token).ConfigureAwait(false);
            if (found.TransactionHash is { } hash)
            {
                return (ChainOutcome.Success(hash), true);
            }
            if (found.Pending)
            {
                return (ChainOutcome.Failure("transactions the coordinator sent are not mined yet, and this deposit may be one of them", retryable: true), false);
            }
            // Never more than the coordinator holds: a short balance waits for a top-up instead of failing on chain.
            var balance = await chain.RewardBalanceAsync(token).ConfigureAwait(false);
            return balance < amount
                ? (ChainOutcome.Failure($"the coordinator holds {balance} wei, less than the {amount} wei owed", retryable: true), false)
                : (await chain.DepositRewardAsync(miner, amount, token).ConfigureAwait(false), false);
        }, token).PipeTo(
            Self,
            success: result => new DepositDone(period, miner, amount, result.Outcome, result.Found),
            failure: e => new DepositDone(period, miner, amount, ChainOutcome.Failure(e.GetBaseException().Message, retryable: true)));
    }

    private void OnDepositDone(DepositDone done)
    {
        var outcome = done.Outcome;
        var key = (done.Period, done.Miner);
        if (outcome.Succeeded)
        {
            _depositRetrying.Remove(key);
            if (done.Found)
            {
                _log.Warning("trust keeper {0}: the reward of {1} wei for {2} (period {3}) was already on chain in {4}; not sent again",
                    PersistenceId, done.Amount, done.Miner, done.Period, outcome.TransactionHash);
            }
            Record(new RewardDeposited(done.Period, done.Miner, done.Amount.ToString(CultureInfo.InvariantCulture), outcome.TransactionHash ?? "", Now), Done);
        }
        else if (outcome.Retryable)
        {
            _depositRetrying[key] = outcome.Error ?? "refused for now";
            _log.Info("trust keeper {0}: reward of {1} wei for {2} (period {3}) refused for now ({4}); trying again in {5}",
                PersistenceId, done.Amount, done.Miner, done.Period, outcome.Error, _settings.SlashRetry);
            _depositsPaused = true;
            Timers.StartSingleTimer(DepositRetryTimer, RetryDeposits.Instance, _settings.SlashRetry);
            _busy = false;
            Pump();
        }
        else
        {
            _depositRetrying.Remove(key);
            _log.Error("trust keeper {0}: the contract refused the reward for {1} (period {2}): {3}", PersistenceId, done.Miner, done.Period, outcome.Error);
            Record(new RewardDepositFailed(done.Period, done.Miner, outcome.Error ?? "refused", Now), Done);
        }
    }

    /// <param name="Found">The deposit was found on chain rather than sent now.</param>
    private sealed record DepositDone(int Period, Address Miner, BigInteger Amount, ChainOutcome Outcome, bool Found = false);

    private sealed record DepositMarked(int Period, Address Miner, BigInteger Amount, long FromBlock, string? Error);

    private sealed class ClosePeriod
    {
        public static readonly ClosePeriod Instance = new();
    }

    private sealed class RetryDeposits
    {
        public static readonly RetryDeposits Instance = new();
    }
}
