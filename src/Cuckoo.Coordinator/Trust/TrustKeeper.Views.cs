using System.Globalization;

namespace Cuckoo.Coordinator.Trust;

// Answers to the keeper's queries, built from the journaled state and the retries in flight.
public sealed partial class TrustKeeper
{
    private object FindEvidence(string evidenceId) =>
        _book.FindEvidence(evidenceId) is { } stored
            ? new EvidenceFound(stored.Evidence, SlashStateOf(stored))
            : new EvidenceNotFound(evidenceId);

    private SlashState SlashStateOf(TrustBook.Stored stored)
    {
        var evidence = stored.Evidence;
        if (stored.TransactionHash is { } tx)
        {
            return new SlashState(SlashStatus.Submitted, tx);
        }
        if (stored.Error is { } error)
        {
            return new SlashState(SlashStatus.Refused, Error: error);
        }
        if (_minWitnesses is { } min && (evidence.Witnesses.Count < min || evidence.WitnessSignatures.Count < min))
        {
            return new SlashState(SlashStatus.TooFewWitnesses, Error: $"{evidence.Witnesses.Count} witness(es); the contract wants {min}");
        }
        if (_book.JailOf(evidence.Accused)?.EvidenceIds.Count < _settings.SlashAfter)
        {
            return new SlashState(SlashStatus.Waiting);
        }
        return _slashRetrying.TryGetValue(evidence.EvidenceId, out var why)
            ? new SlashState(SlashStatus.Retrying, Error: why)
            : new SlashState(SlashStatus.Pending);
    }

    private JailList JailView() => new([
        .. _book.JailedMiners
            .Select(m => _book.JailOf(m)!)
            .OrderBy(j => j.At).ThenBy(j => j.Miner)
            .Select(j => new JailEntry(
                j.Miner, j.Reason, j.At, [.. j.EvidenceIds],
                j.EvidenceIds.Count(id => _book.FindEvidence(id)?.TransactionHash is not null))
            {
                Unprovable = [.. j.Unprovable],
            }),
    ]);

    private RewardsReport RewardsView()
    {
        var budget = _settings.RewardBudget.ToString(CultureInfo.InvariantCulture);
        var current = new RewardPeriodView(
            _book.CurrentIndex,
            _book.CurrentStart ?? Now,
            null,
            budget,
            [.. _book.CurrentWork.OrderBy(w => w.Key).Select(w => new MinerReward(w.Key, w.Value, null, _book.IsJailed(w.Key), DepositStatus.None))]);
        var closed = _book.Closed.Select(p => new RewardPeriodView(
            p.Closed.Index,
            p.Closed.Start,
            p.Closed.End,
            p.Closed.Budget,
            [.. p.Closed.Shares.Select(s => ShareView(p, s))]));
        return new RewardsReport(current, [.. closed]);
    }

    private MinerReward ShareView(TrustBook.Period period, PeriodShare share)
    {
        var view = new MinerReward(share.Miner, share.Work, share.Amount, share.Forfeited, DepositStatus.None);
        if (share.Forfeited || share.Amount == "0")
        {
            return view;
        }
        if (period.Deposits.TryGetValue(share.Miner, out var deposit))
        {
            return deposit.TransactionHash is { } tx
                ? view with { Deposit = DepositStatus.Deposited, TransactionHash = tx }
                : view with { Deposit = DepositStatus.Failed, Error = deposit.Error };
        }
        return _depositRetrying.TryGetValue((period.Closed.Index, share.Miner), out var why)
            ? view with { Deposit = DepositStatus.Retrying, Error = why }
            : view with { Deposit = DepositStatus.Pending };
    }
}
