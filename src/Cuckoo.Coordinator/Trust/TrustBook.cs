using System.Numerics;
using Cuckoo.Persistence;
using Address = Cuckoo.Chain.Address;

namespace Cuckoo.Coordinator.Trust;

/// <summary>
/// The trust keeper's durable state, changed only by <see cref="Apply"/> of its journaled events (in recovery and as
/// each write completes alike): settled task ids, the jail, stored evidence with its outcome, and the reward periods.
/// </summary>
internal sealed class TrustBook(int recentCapacity, int keepPeriods)
{
    private readonly HashSet<string> _recent = new(StringComparer.Ordinal);
    private readonly Queue<string> _recentOrder = new();
    private readonly Dictionary<Address, Jailed> _jail = [];
    private readonly Dictionary<string, Stored> _evidence = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<Stored> _evidenceOrder = [];
    private readonly Dictionary<Address, long> _work = [];
    private readonly List<Period> _closed = [];

    public int CurrentIndex { get; private set; } = 1;

    public DateTimeOffset? CurrentStart { get; private set; }

    public IReadOnlyDictionary<Address, long> CurrentWork => _work;

    public IEnumerable<Address> JailedMiners => _jail.Keys;

    public IReadOnlyList<Period> Closed => _closed;

    /// <summary>Stored evidence, oldest first.</summary>
    public IReadOnlyList<Stored> Evidence => _evidenceOrder;

    public bool WasSettled(string taskId) => _recent.Contains(taskId);

    public bool IsJailed(Address miner) => _jail.ContainsKey(miner);

    public Jailed? JailOf(Address miner) => _jail.GetValueOrDefault(miner);

    public Stored? FindEvidence(string id) => _evidence.GetValueOrDefault(id);

    /// <summary>Applies a journaled event; returns the miners it jailed (an empty list for every other event).</summary>
    public IReadOnlyList<Address> Apply(IPersistedEvent e)
    {
        switch (e)
        {
            case SettlementJournaled settled:
                return ApplySettlement(settled);
            case SlashSubmitted submitted when FindEvidence(submitted.EvidenceId) is { } stored:
                stored.TransactionHash = submitted.TransactionHash;
                break;
            case SlashRefused refused when FindEvidence(refused.EvidenceId) is { } stored:
                stored.Error = refused.Error;
                break;
            case RewardPeriodStarted started:
                CurrentIndex = started.Index;
                CurrentStart = started.Start;
                break;
            case RewardPeriodClosed closed:
                _closed.Add(new Period(closed));
                CurrentIndex = closed.Index + 1;
                CurrentStart = closed.End;
                _work.Clear();
                Trim();
                break;
            case RewardDepositStarted started when FindPeriod(started.Period) is { } period:
                period.Started.TryAdd(started.Miner, started.FromBlock);
                break;
            case RewardDeposited deposited when FindPeriod(deposited.Period) is { } period:
                period.Deposits[deposited.Miner] = new DepositRecord(deposited.Miner, deposited.TransactionHash, null);
                period.Started.Remove(deposited.Miner);
                Trim();
                break;
            case RewardDepositFailed failed when FindPeriod(failed.Period) is { } period:
                period.Deposits[failed.Miner] = new DepositRecord(failed.Miner, null, failed.Error);
                period.Started.Remove(failed.Miner);
                Trim();
                break;
            case TrustSnapshot snapshot:
                Restore(snapshot);
                break;
        }
        return [];
    }

    public Period? FindPeriod(int index) => _closed.Find(p => p.Closed.Index == index);

    /// <summary>The reason a suspect of <paramref name="settled"/> is jailed for, in words.</summary>
    public static string ReasonFor(SettlementJournaled settled, SettledRun suspect)
    {
        var agreed = settled.Runs.Where(r => r.Agreed).ToList();
        var majority = agreed.Count > 0 ? agreed[0].OutputDigest : "none";
        return $"task {settled.TaskId} ({settled.Model}{(settled.Audited ? ", audited" : "")}): its output {suspect.OutputDigest} " +
               $"disagreed with {agreed.Count} agreeing result(s) of other miners (output {majority})";
    }

    private IReadOnlyList<Address> ApplySettlement(SettlementJournaled settled)
    {
        Remember(settled.TaskId);
        List<Address>? jailed = null;
        foreach (var run in settled.Runs)
        {
            if (run.Agreed)
            {
                _work[run.Miner] = _work.GetValueOrDefault(run.Miner) + 1;
            }
            else if (!_jail.ContainsKey(run.Miner))
            {
                _jail[run.Miner] = new Jailed(run.Miner, ReasonFor(settled, run), settled.At);
                (jailed ??= []).Add(run.Miner);
            }
        }
        foreach (var evidence in settled.Evidence ?? [])
        {
            if (_evidence.ContainsKey(evidence.EvidenceId))
            {
                continue;
            }
            var stored = new Stored(evidence);
            _evidence[evidence.EvidenceId] = stored;
            _evidenceOrder.Add(stored);
            JailFor(evidence.Accused, settled).EvidenceIds.Add(evidence.EvidenceId);
        }
        foreach (var unprovable in settled.Unprovable ?? [])
        {
            JailFor(unprovable.Miner, settled).Unprovable.Add($"{settled.TaskId}: {unprovable.Why}");
        }
        return jailed ?? (IReadOnlyList<Address>)[];
    }

    // Evidence always names a suspect of its own settlement, jailed above; this only guards a malformed row.
    private Jailed JailFor(Address miner, SettlementJournaled settled)
    {
        if (!_jail.TryGetValue(miner, out var entry))
        {
            entry = _jail[miner] = new Jailed(miner, $"task {settled.TaskId} ({settled.Model}): evidence against it", settled.At);
        }
        return entry;
    }

    private void Remember(string taskId)
    {
        if (!_recent.Add(taskId))
        {
            return;
        }
        _recentOrder.Enqueue(taskId);
        while (_recentOrder.Count > recentCapacity)
        {
            _recent.Remove(_recentOrder.Dequeue());
        }
    }

    /// <summary>Drops the oldest fully settled periods beyond <c>keepPeriods</c>; one with deposits still owed stays.</summary>
    private void Trim()
    {
        var excess = _closed.Count - keepPeriods;
        for (var i = 0; i < _closed.Count && excess > 0;)
        {
            if (_closed[i].Owed().Any())
            {
                i++;
                continue;
            }
            _closed.RemoveAt(i);
            excess--;
        }
    }

    public TrustSnapshot ToSnapshot() => new(
        [.. _recentOrder],
        [.. _jail.Values.Select(j => new JailRecord(j.Miner, j.Reason, j.At, [.. j.EvidenceIds], [.. j.Unprovable]))],
        [.. _evidenceOrder.Select(s => new EvidenceRecord(s.Evidence, s.TransactionHash, s.Error))],
        CurrentIndex,
        CurrentStart,
        [.. _work.Select(w => new WorkRecord(w.Key, w.Value))],
        [.. _closed.Select(p => new PeriodRecord(p.Closed, [.. p.Deposits.Values], [.. p.Started.Select(x => new StartedDeposit(x.Key, x.Value))]))]);

    private void Restore(TrustSnapshot snapshot)
    {
        _recent.Clear();
        _recentOrder.Clear();
        foreach (var id in snapshot.Recent)
        {
            Remember(id);
        }
        _jail.Clear();
        foreach (var j in snapshot.Jail)
        {
            var entry = new Jailed(j.Miner, j.Reason, j.At);
            entry.EvidenceIds.AddRange(j.EvidenceIds);
            entry.Unprovable.AddRange(j.Unprovable);
            _jail[j.Miner] = entry;
        }
        _evidence.Clear();
        _evidenceOrder.Clear();
        foreach (var e in snapshot.Evidence)
        {
            var stored = new Stored(e.Evidence) { TransactionHash = e.TransactionHash, Error = e.Error };
            _evidence[e.Evidence.EvidenceId] = stored;
            _evidenceOrder.Add(stored);
        }
        CurrentIndex = snapshot.CurrentIndex;
        CurrentStart = snapshot.CurrentStart;
        _work.Clear();
        foreach (var w in snapshot.CurrentWork)
        {
            _work[w.Miner] = w.Work;
        }
        _closed.Clear();
        foreach (var p in snapshot.Closed)
        {
            var period = new Period(p.Period);
            foreach (var d in p.Deposits)
            {
                period.Deposits[d.Miner] = d;
            }
            foreach (var started in p.Started ?? [])
            {
                period.Started[started.Miner] = started.FromBlock;
            }
            _closed.Add(period);
        }
    }

    internal sealed class Jailed(Address miner, string reason, DateTimeOffset at)
    {
        public Address Miner { get; } = miner;

        public string Reason { get; } = reason;

        public DateTimeOffset At { get; } = at;

        public List<string> EvidenceIds { get; } = [];

        public List<string> Unprovable { get; } = [];
    }

    internal sealed class Stored(MinerEvidence evidence)
    {
        public MinerEvidence Evidence { get; } = evidence;

        public string? TransactionHash { get; set; }

        public string? Error { get; set; }

        /// <summary>Submitted or refused for good: nothing more to do.</summary>
        public bool Decided => TransactionHash is not null || Error is not null;
    }

    internal sealed class Period(RewardPeriodClosed closed)
    {
        public RewardPeriodClosed Closed { get; } = closed;

        public Dictionary<Address, DepositRecord> Deposits { get; } = [];

        /// <summary>Deposits sent at least once with no outcome journaled: the block from which they would be found.</summary>
        public Dictionary<Address, long> Started { get; } = [];

        /// <summary>Shares with an amount to deposit and no journaled outcome yet.</summary>
        public IEnumerable<(PeriodShare Share, BigInteger Amount)> Owed() =>
            Closed.Shares
                .Where(s => !s.Forfeited && !Deposits.ContainsKey(s.Miner))
                .Select(s => (s, BigInteger.Parse(s.Amount, System.Globalization.CultureInfo.InvariantCulture)))
                .Where(x => x.Item2 > 0);
    }
}
