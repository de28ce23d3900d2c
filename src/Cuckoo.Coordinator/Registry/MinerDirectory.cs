using System.Numerics;
using Cuckoo.Chain;

namespace Cuckoo.Coordinator.Registry;

/// <summary>
/// Every miner the coordinator knows of, with one <see cref="FenwickSampler"/> per model holding each serving miner's
/// weight while it is eligible and 0 while not. A change to one miner costs O(models × log n); a pick O(log n), plus
/// O(log n) per excluded miner. Not thread-safe: the <see cref="MinerRegistry"/> actor owns one.
/// </summary>
public sealed class MinerDirectory
{
    /// <summary>
    /// Weights above this count as this: 2^31 slots of it cannot overflow a sampler's UInt128 total, so no stake on
    /// any chain can make an update throw. It is 39 billion CAI, 39 times the initial supply.
    /// </summary>
    public static readonly UInt128 MaxWeight = UInt128.MaxValue >> 33;

    /// <summary>
    /// The order in which a miner's reasons count for <see cref="CountsBySlot"/>: the first one set is the miner's. Chain
    /// standing first, then the coordinator's jail, then the cluster's state, which changes the most often.
    /// </summary>
    public static readonly IReadOnlyList<Ineligibility> ReasonOrder =
    [
        Ineligibility.NotAMiner, Ineligibility.NotRegistered, Ineligibility.Inactive, Ineligibility.BelowMinimumStake, Ineligibility.NoWeight,
        Ineligibility.Jailed, Ineligibility.NotAdmitted, Ineligibility.Unreachable, Ineligibility.NoCredits,
    ];

    private readonly Dictionary<Address, MinerEntry> _miners = [];

    // Miners per slot (0: eligible, 1 + i: first reason ReasonOrder[i]), kept as they change: the metrics read it per message.
    private readonly int[] _bySlot = new int[ReasonOrder.Count + 1];
    private readonly Dictionary<string, ModelPool> _pools = new(StringComparer.Ordinal);
    private readonly BigInteger _minimumSelfStake;

    // Scratch space of a pick: excluded slots zeroed for it, and pinned miners already counted.
    private readonly List<(int Slot, UInt128 Weight)> _hidden = [];
    private readonly HashSet<Address> _seen = [];

    /// <param name="minimumSelfStake">Eligibility needs a self-stake above this, besides the contract's active flag.</param>
    public MinerDirectory(BigInteger minimumSelfStake)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(minimumSelfStake);
        _minimumSelfStake = minimumSelfStake;
    }

    /// <summary>Miners known, admitted or not.</summary>
    public int Count => _miners.Count;

    /// <summary>Miners known by slot: [0] eligible, [1 + i] ineligible with <see cref="ReasonOrder"/>[i] as their first reason.</summary>
    public ReadOnlySpan<int> CountsBySlot => _bySlot;

    /// <summary>The slot of <see cref="CountsBySlot"/> a miner with these reasons counts in.</summary>
    public static int SlotOf(Ineligibility why)
    {
        if (why == Ineligibility.None)
        {
            return 0;
        }
        for (var i = 0; i < ReasonOrder.Count; i++)
        {
            if ((why & ReasonOrder[i]) != 0)
            {
                return i + 1;
            }
        }
        return ReasonOrder.Count;
    }

    /// <summary>Admits <paramref name="miner"/> (reachable) serving <paramref name="models"/>, replacing any models and credits it had.</summary>
    public void Admit(Address miner, IEnumerable<string> models, int freeCredits)
    {
        ArgumentNullException.ThrowIfNull(models);
        ArgumentOutOfRangeException.ThrowIfNegative(freeCredits);
        var wanted = new HashSet<string>(models, StringComparer.Ordinal);
        if (wanted.Any(string.IsNullOrWhiteSpace))
        {
            throw new ArgumentException("A model name must not be empty.", nameof(models));
        }
        var e = GetOrAdd(miner);
        foreach (var model in e.Slots.Keys.Where(m => !wanted.Contains(m)).ToList())
        {
            LeavePool(e, model);
        }
        e.Admitted = true;
        e.Reachable = true;
        e.Credits = freeCredits;
        Refresh(e);
        foreach (var model in wanted.Where(m => !e.Slots.ContainsKey(m)))
        {
            if (!_pools.TryGetValue(model, out var pool))
            {
                _pools[model] = pool = new ModelPool();
            }
            e.Slots[model] = pool.Join(miner, e.Sampled);
        }
    }

    /// <summary>No longer admitted: out of every model's pool. The chain standing stays. False if it was not admitted.</summary>
    public bool Remove(Address miner)
    {
        if (!_miners.TryGetValue(miner, out var e) || !e.Admitted)
        {
            return false;
        }
        foreach (var model in e.Slots.Keys.ToList())
        {
            LeavePool(e, model);
        }
        e.Admitted = false;
        e.Reachable = false;
        e.Credits = 0;
        Refresh(e);
        return true;
    }

    /// <summary>Sets the fields <paramref name="change"/> gives; returns the change that undoes it (their previous values).</summary>
    public UpdateStanding Apply(UpdateStanding change)
    {
        ArgumentNullException.ThrowIfNull(change);
        if (change.SelfStake < 0 || change.Votes < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(change), "Stakes and votes are never negative.");
        }
        var e = GetOrAdd(change.Miner);
        var undo = new UpdateStanding(change.Miner)
        {
            Kind = change.Kind is null ? null : e.Kind,
            Registered = change.Registered is null ? null : e.Registered,
            Active = change.Active is null ? null : e.Active,
            SelfStake = change.SelfStake is null ? null : e.SelfStake,
            Votes = change.Votes is null ? null : e.Votes,
            Jailed = change.Jailed is null ? null : e.Jailed,
        };
        e.Kind = change.Kind ?? e.Kind;
        e.Registered = change.Registered ?? e.Registered;
        e.Active = change.Active ?? e.Active;
        e.SelfStake = change.SelfStake ?? e.SelfStake;
        e.Votes = change.Votes ?? e.Votes;
        e.Jailed = change.Jailed ?? e.Jailed;
        Refresh(e);
        return undo;
    }

    /// <summary>False (and nothing changes) when the miner is not admitted.</summary>
    public bool SetReachable(Address miner, bool reachable) => Change(miner, e => e.Reachable = reachable);

    /// <summary>False (and nothing changes) when the miner is not admitted.</summary>
    public bool SetCredits(Address miner, int freeCredits)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(freeCredits);
        return Change(miner, e => e.Credits = freeCredits);
    }

    /// <summary>Takes one free credit; false when it has none (or is not admitted).</summary>
    public bool TryTakeCredit(Address miner) =>
        _miners.TryGetValue(miner, out var e) && e.Credits > 0 && Change(miner, x => x.Credits--);

    public bool TryPick(string model, IReadOnlySet<Address>? exclude, Random rng, out Address miner) =>
        TryPick(model, exclude, rng, out miner, out _);

    /// <summary>Picks by weight among the eligible miners serving <paramref name="model"/> and not in <paramref name="exclude"/>.</summary>
    public bool TryPick(string model, IReadOnlySet<Address>? exclude, Random rng, out Address miner, out NoMinerReason reason)
    {
        ArgumentNullException.ThrowIfNull(rng);
        miner = default;
        if (model is null || !_pools.TryGetValue(model, out var pool))
        {
            reason = NoMinerReason.UnknownModel;
            return false;
        }
        var sampler = pool.Sampler;
        if (sampler.Total == UInt128.Zero)
        {
            reason = NoMinerReason.NoneEligible;
            return false;
        }
        // Zero the excluded slots for this pick only: O(log n) each, rather than a scan of everyone else.
        if (exclude is HashSet<Address> set)
        {
            // HashSet's struct enumerator: no allocation per pick, as the interface's boxed one would make.
            foreach (var address in set) Hide(sampler, model, address);
        }
        else if (exclude is not null)
        {
            foreach (var address in exclude) Hide(sampler, model, address);
        }
        try
        {
            if (sampler.Total == UInt128.Zero)
            {
                reason = NoMinerReason.AllTried;
                return false;
            }
            miner = pool.At(sampler.Pick(rng));
            reason = default;
            return true;
        }
        finally
        {
            foreach (var (slot, weight) in _hidden)
            {
                sampler.Set(slot, weight);
            }
            _hidden.Clear();
        }
    }

    /// <summary>Picks by weight among the <paramref name="pinned"/> miners that are eligible, serve <paramref name="model"/> and are not excluded.</summary>
    /// <remarks>O(pinned): a pin list names a few miners, not a share of the network.</remarks>
    public bool TryPickPinned(
        string model, IReadOnlyCollection<Address> pinned, IReadOnlySet<Address>? exclude, Random rng, out Address miner, out NoMinerReason reason)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(pinned);
        ArgumentNullException.ThrowIfNull(rng);
        miner = default;
        var total = UInt128.Zero;
        var anyEligible = false;
        foreach (var e in Pinned(model, pinned))
        {
            anyEligible = true;
            if (exclude?.Contains(e.Address) != true)
            {
                total += e.Sampled;
            }
        }
        if (total == UInt128.Zero)
        {
            reason = anyEligible ? NoMinerReason.AllTried : NoMinerReason.NoPinnedMinerEligible;
            return false;
        }
        var r = FenwickSampler.Below(rng, total);
        foreach (var e in Pinned(model, pinned))
        {
            if (exclude?.Contains(e.Address) == true)
            {
                continue;
            }
            if (r < e.Sampled)
            {
                miner = e.Address;
                reason = default;
                return true;
            }
            r -= e.Sampled;
        }
        throw new InvalidOperationException("The pinned miners' weights changed during a pick.");
    }

    /// <summary>The total weight a pick for <paramref name="model"/> draws from now (0 for an unknown model).</summary>
    public UInt128 EligibleWeight(string model) => _pools.TryGetValue(model, out var pool) ? pool.Sampler.Total : UInt128.Zero;

    public MinerInfo? Find(Address miner) => _miners.TryGetValue(miner, out var e) ? Describe(e) : null;

    /// <summary>Every known miner, or those serving <paramref name="model"/>, ordered by address.</summary>
    public IReadOnlyList<MinerInfo> List(string? model = null) =>
        _miners.Values.Where(e => model is null || e.Slots.ContainsKey(model)).OrderBy(e => e.Address).Select(Describe).ToList();

    private void Hide(FenwickSampler sampler, string model, Address address)
    {
        if (_miners.TryGetValue(address, out var e) && e.Sampled != UInt128.Zero && e.Slots.TryGetValue(model, out var slot))
        {
            _hidden.Add((slot, e.Sampled));
            sampler.Set(slot, UInt128.Zero);
        }
    }

    private IEnumerable<MinerEntry> Pinned(string model, IReadOnlyCollection<Address> pinned)
    {
        // A miner named twice counts once.
        _seen.Clear();
        foreach (var address in pinned)
        {
            if (_seen.Add(address) && _miners.TryGetValue(address, out var e) && e.Sampled != UInt128.Zero && e.Slots.ContainsKey(model))
            {
                yield return e;
            }
        }
    }

    private MinerEntry GetOrAdd(Address miner)
    {
        if (!_miners.TryGetValue(miner, out var e))
        {
            _miners[miner] = e = new MinerEntry(miner);
            e.CountedSlot = SlotOf(e.Why(_minimumSelfStake));
            _bySlot[e.CountedSlot]++;
        }
        return e;
    }

    private bool Change(Address miner, Action<MinerEntry> change)
    {
        if (!_miners.TryGetValue(miner, out var e) || !e.Admitted)
        {
            return false;
        }
        change(e);
        Refresh(e);
        return true;
    }

    private void LeavePool(MinerEntry e, string model)
    {
        var pool = _pools[model];
        pool.Leave(e.Slots[model]);
        e.Slots.Remove(model);
        if (pool.Members == 0)
        {
            _pools.Remove(model);
        }
    }

    /// <summary>Puts the miner's eligible weight into every pool it is in, when it changed.</summary>
    private void Refresh(MinerEntry e)
    {
        var capped = e.CappedWeight;
        var why = e.Why(_minimumSelfStake, capped);
        var counted = SlotOf(why);
        if (counted != e.CountedSlot)
        {
            _bySlot[e.CountedSlot]--;
            _bySlot[counted]++;
            e.CountedSlot = counted;
        }
        var weight = why == Ineligibility.None ? capped : UInt128.Zero;
        if (weight == e.Sampled)
        {
            return;
        }
        e.Sampled = weight;
        foreach (var (model, slot) in e.Slots)
        {
            _pools[model].Sampler.Set(slot, weight);
        }
    }

    private MinerInfo Describe(MinerEntry e) => new(
        e.Address, e.Kind, e.Registered, e.Active, e.SelfStake, e.Votes, e.Weight, e.Jailed, e.Admitted, e.Reachable,
        e.Slots.Keys.Order(StringComparer.Ordinal).ToList(), e.Credits, e.Why(_minimumSelfStake));
}
