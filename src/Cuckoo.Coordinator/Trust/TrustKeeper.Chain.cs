using System.Globalization;
using System.Numerics;
using Akka.Actor;
using Akka.Event;
using Address = Cuckoo.Chain.Address;

namespace Cuckoo.Coordinator.Trust;

// Slashes, reward periods and deposits: the keeper's chain calls, one at a time, each piped back as a message.
public sealed partial class TrustKeeper
{
    private const string RewardTimer = "reward-period";
    private const string SlashRetryTimer = "slash-retry:";
    private const string DepositRetryTimer = "deposit-retry";
    private const string MinWitnessesTimer = "min-witnesses";

    // Why each piece of evidence or deposit last failed for now, shown while it waits for its retry.
    private readonly Dictionary<string, string> _slashRetrying = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<(int Period, Address Miner), string> _depositRetrying = [];

    // The contract's minWitnesses, read once; no slash goes out before it is known.
    private int? _minWitnesses;

    // A chain call is out, or its outcome is being journaled: nothing else is sent meanwhile.
    private bool _busy;

    // Accused miners whose slash was refused for now: the cap is per staker and epoch, so only theirs wait.
    private readonly HashSet<Address> _slashesWaiting = [];
    private bool _depositsPaused;

    // Whether there may be something to send, so that a settlement's write does not rescan every stored piece.
    private bool _slashesDirty = true;
    private bool _depositsDirty = true;

    private void ChainCommands()
    {
        Command<MinWitnessesRead>(OnMinWitnesses);
        Command<SlashDone>(OnSlashDone);
        Command<DepositDone>(OnDepositDone);
        Command<DepositMarked>(OnDepositMarked);
        Command<ClosePeriod>(_ => OnClosePeriod());
        Command<RetrySlashes>(m =>
        {
            _slashesWaiting.Remove(m.Accused);
            _slashesDirty = true;
            Pump();
        });
        Command<RetryDeposits>(_ =>
        {
            _depositsPaused = false;
            _depositsDirty = true;
            Pump();
        });
        Command<ReadMinWitnessesAgain>(_ => ReadMinWitnesses());
    }

    private void ReadMinWitnesses()
    {
        var chain = _chain;
        var token = _stopping.Token;
        Task.Run(() => chain.MinWitnessesAsync(token), token).PipeTo(
            Self, success: n => new MinWitnessesRead(n, null), failure: e => new MinWitnessesRead(null, e.GetBaseException().Message));
    }

    private void OnMinWitnesses(MinWitnessesRead read)
    {
        if (read.Value is not { } value)
        {
            _log.Warning("trust keeper {0}: could not read the contract's minWitnesses ({1}); slashes wait, trying again in {2}",
                PersistenceId, read.Error, _settings.SlashRetry);
            Timers.StartSingleTimer(MinWitnessesTimer, ReadMinWitnessesAgain.Instance, _settings.SlashRetry);
            return;
        }
        _minWitnesses = value;
        _slashesDirty = true;
        Pump();
    }

    /// <summary>Sends the next slash, else the next deposit, unless a call is out.</summary>
    private void Pump()
    {
        if (_busy)
        {
            return;
        }
        if (NextSlash() is { } evidence)
        {
            _busy = true;
            var chain = _chain;
            var token = _stopping.Token;
            Task.Run(() => chain.SlashAsync(evidence, token), token).PipeTo(
                Self,
                success: outcome => new SlashDone(evidence.EvidenceId, outcome),
                failure: e => new SlashDone(evidence.EvidenceId, ChainOutcome.Failure(e.GetBaseException().Message, retryable: true)));
            return;
        }
        if (NextDeposit() is { } deposit)
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

    private MinerEvidence? NextSlash()
    {
        if (!_slashesDirty || _minWitnesses is not { } min)
        {
            return null;
        }
        foreach (var stored in _book.Evidence)
        {
            if (!stored.Decided && !_slashesWaiting.Contains(stored.Evidence.Accused) && stored.Evidence.Witnesses.Count >= min && stored.Evidence.WitnessSignatures.Count >= min
                && _book.JailOf(stored.Evidence.Accused)?.EvidenceIds.Count >= _settings.SlashAfter)
            {
                return stored.Evidence;
            }
        }
        _slashesDirty = false;
        return null;
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

    private void OnSlashDone(SlashDone done)
    {
        var outcome = done.Outcome;
        if (outcome.Succeeded)
        {
            _slashRetrying.Remove(done.EvidenceId);
            _log.Warning("trust keeper {0}: slash of evidence {1} submitted in {2}", PersistenceId, done.EvidenceId, outcome.TransactionHash);
            Record(new SlashSubmitted(done.EvidenceId, outcome.TransactionHash ?? "", Now), Done);
        }
        else if (outcome.Retryable)
        {
            // The epoch's cap (per staker) or the node: this miner's slashes wait for the timer, others go on.
            _slashRetrying[done.EvidenceId] = outcome.Error ?? "refused for now";
            var accused = _book.FindEvidence(done.EvidenceId)!.Evidence.Accused;
            _log.Info("trust keeper {0}: slash of evidence {1} refused for now ({2}); trying again in {3}",
                PersistenceId, done.EvidenceId, outcome.Error, _settings.SlashRetry);
            _slashesWaiting.Add(accused);
            Timers.StartSingleTimer(SlashRetryTimer + accused.ToLowerHex(), new RetrySlashes(accused), _settings.SlashRetry);
            _busy = false;
            Pump();
        }
        else
        {
            _slashRetrying.Remove(done.EvidenceId);
            _log.Error("trust keeper {0}: the contract refused evidence {1}: {2}", PersistenceId, done.EvidenceId, outcome.Error);
            Record(new SlashRefused(done.EvidenceId, outcome.Error ?? "refused", Now), Done);
        }
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

    /// <summary>A call's outcome is journaled: the next may go (the journal's callback pumps right after).</summary>
    private void Done()
    {
        _busy = false;
        _slashesDirty = true;
        _depositsDirty = true;
    }

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

    private sealed record MinWitnessesRead(int? Value, string? Error);

    private sealed record SlashDone(string EvidenceId, ChainOutcome Outcome);

    /// <param name="Found">The deposit was found on chain rather than sent now.</param>
    private sealed record DepositDone(int Period, Address Miner, BigInteger Amount, ChainOutcome Outcome, bool Found = false);

    private sealed record DepositMarked(int Period, Address Miner, BigInteger Amount, long FromBlock, string? Error);

    private sealed class ClosePeriod
    {
        public static readonly ClosePeriod Instance = new();
    }

    private sealed record RetrySlashes(Address Accused);

    private sealed class RetryDeposits
    {
        public static readonly RetryDeposits Instance = new();
    }

    private sealed class ReadMinWitnessesAgain
    {
        public static readonly ReadMinWitnessesAgain Instance = new();
    }
}
