using System.Numerics;
using Cuckoo.Staking;
using Address = Cuckoo.Chain.Address;

namespace Cuckoo.Gateway.Portal;

/// <summary>
/// Every candidate the contract has registered, found from its registration events (read once, then only the new
/// blocks), with each one's standing read from the chain at the time of asking; answers are reused for a moment so
/// that many open pages cost the chain one read.
/// </summary>
public sealed class NetworkSource
{
    // Hardhat and most providers answer eth_getLogs over a few thousand blocks at a time.
    private const long LogChunk = 5_000;

    private readonly CuckooStakingClient _staking;
    private readonly PortalOptions _options;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly List<Address> _candidates = [];
    private readonly Dictionary<Address, (int Count, BigInteger Burned)> _slashes = [];
    private long _nextBlock;
    private NetworkView? _cached;
    private DateTimeOffset _cachedAt;

    public NetworkSource(CuckooStakingClient staking, long startBlock, PortalOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(staking);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        _staking = staking;
        _options = options;
        _time = time;
        _nextBlock = Math.Max(0, startBlock);
    }

    /// <param name="fresh">Read the chain now, not a recent answer (a page that has just seen its transaction confirmed).</param>
    public async Task<NetworkView> GetAsync(bool fresh, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!fresh && _cached is { } cached && _time.GetUtcNow() - _cachedAt < _options.NetworkCacheFor)
            {
                return cached;
            }
            var block = await ScanAsync(cancellationToken).ConfigureAwait(false);
            var jailed = await _options.Jailed(cancellationToken).ConfigureAwait(false);
            var infos = await Task.WhenAll(_candidates.Select(c => ReadAsync(c, cancellationToken))).ConfigureAwait(false);
            var totals = infos.GroupBy(i => i.Info.Kind).ToDictionary(g => g.Key, g => g.Aggregate(BigInteger.Zero, (sum, i) => sum + i.Info.Weight));
            var views = infos.Select(i => View(i.Info, i.Url, i.Unbonding, totals.GetValueOrDefault(i.Info.Kind), jailed)).ToList();
            _cached = new NetworkView(
                block, totals.GetValueOrDefault(CandidateKind.Miner).ToString(), totals.GetValueOrDefault(CandidateKind.Coordinator).ToString(), views, _time.GetUtcNow());
            _cachedAt = _time.GetUtcNow();
            return _cached;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The candidates known so far (registration order); scans the new blocks first.</summary>
    public async Task<IReadOnlyList<Address>> CandidatesAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await ScanAsync(cancellationToken).ConfigureAwait(false);
            return [.. _candidates];
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<long> ScanAsync(CancellationToken cancellationToken)
    {
        var latest = await _staking.Client.GetBlockNumberAsync(cancellationToken).ConfigureAwait(false);
        while (_nextBlock <= latest)
        {
            var to = Math.Min(latest, _nextBlock + LogChunk - 1);
            foreach (var e in await _staking.GetEventsAsync(_nextBlock, to, cancellationToken).ConfigureAwait(false))
            {
                switch (e)
                {
                    case MinerRegistered m:
                        Add(m.Miner);
                        break;
                    case CoordinatorRegistered c:
                        Add(c.Coordinator);
                        break;
                    case Slashed s:
                        var (count, burned) = _slashes.GetValueOrDefault(s.Candidate);
                        _slashes[s.Candidate] = (count + 1, burned + s.Burned);
                        break;
                }
            }
            _nextBlock = to + 1;
        }
        return latest;
    }

    private void Add(Address candidate)
    {
        if (!_candidates.Contains(candidate))
        {
            _candidates.Add(candidate);
        }
    }

    private async Task<(CandidateInfo Info, string? Url, BigInteger Unbonding)> ReadAsync(Address candidate, CancellationToken cancellationToken)
    {
        var info = await _staking.CandidateOfAsync(candidate).WaitAsync(cancellationToken).ConfigureAwait(false);
        var url = info.Kind == CandidateKind.Coordinator ? await _staking.UrlOfAsync(candidate).WaitAsync(cancellationToken).ConfigureAwait(false) : null;
        var unbonding = info.Registered ? BigInteger.Zero : (await _staking.PoolsOfAsync(candidate).WaitAsync(cancellationToken).ConfigureAwait(false)).Unbonding;
        return (info, url, unbonding);
    }

    private CandidateView View(CandidateInfo c, string? url, BigInteger unbonding, BigInteger total, IReadOnlyDictionary<Address, string> jailed)
    {
        var jailReason = jailed.TryGetValue(c.Candidate, out var reason) ? reason : null;
        var status = jailReason is not null ? "jailed"
            : c.Registered && c.Active ? "active"
            : c.Registered ? "inactive"
            : unbonding > 0 ? "unbonding"
            : "deregistered";
        var (slashes, burned) = _slashes.GetValueOrDefault(c.Candidate);
        var share = total.IsZero ? 0 : Math.Round((double)(c.Weight * 1_000_000 / total) / 1_000_000, 6);
        return new CandidateView(
            c.Candidate.ToString(), c.Kind == CandidateKind.Coordinator ? "coordinator" : "miner", c.Staker.ToString(), c.Intro, string.IsNullOrEmpty(url) ? null : url,
            c.SelfStake.ToString(), c.Votes.ToString(), c.Weight.ToString(), share, status, jailReason, slashes, burned.ToString(), c.CommissionBps);
    }
}
