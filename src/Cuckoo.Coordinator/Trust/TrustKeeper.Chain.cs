using Akka.Actor;
using Akka.Event;
using Address = Cuckoo.Chain.Address;

namespace Cuckoo.Coordinator.Trust;

// The keeper's chain calls, one at a time, each piped back as a message: slashes here, deposits in TrustKeeper.Rewards.cs.
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
            StartDeposit(deposit);
        }
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

    /// <summary>A call's outcome is journaled: the next may go (the journal's callback pumps right after).</summary>
    private void Done()
    {
        _busy = false;
        _slashesDirty = true;
        _depositsDirty = true;
    }

    private sealed record MinWitnessesRead(int? Value, string? Error);

    private sealed record SlashDone(string EvidenceId, ChainOutcome Outcome);

    private sealed record RetrySlashes(Address Accused);

    private sealed class ReadMinWitnessesAgain
    {
        public static readonly ReadMinWitnessesAgain Instance = new();
    }
}
