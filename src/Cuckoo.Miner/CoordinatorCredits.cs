using System.Numerics;
using Cuckoo.Chain;
using Cuckoo.Staking;
using Microsoft.Extensions.Logging;

namespace Cuckoo.Miner;

/// <summary>
/// The credits one membership may advertise (tasks it may hold at once for its coordinator). Written by
/// <see cref="CreditAllocator"/> on its own schedule, read by the membership's work link at every heartbeat.
/// </summary>
public sealed class CoordinatorCredits(int initial = 0)
{
    private volatile int _value = initial;

    public int Value
    {
        get => _value;
        set => _value = Math.Max(0, value);
    }
}

/// <summary>What the chain says of a coordinator: its weight, and whether it is registered, active and staked above its minimum.</summary>
public sealed record CoordinatorStanding(BigInteger Weight, bool Active);

/// <summary>
/// Divides a miner's capacity among the coordinators it serves in proportion to their weight on chain
/// (<see cref="CapacitySplit"/>); an inactive or deregistered coordinator gets nothing. Refreshed every
/// <see cref="MinerNodeSettings.CreditRefresh"/>. A coordinator whose standing cannot be read keeps its last one (none
/// yet: it gets nothing until it is read), so that a flaky RPC endpoint does not move work around.
/// </summary>
public sealed class CreditAllocator
{
    private readonly int _capacity;
    private readonly IReadOnlyList<Address> _coordinators;
    private readonly Func<Address, CancellationToken, Task<CoordinatorStanding>> _read;
    private readonly ILogger _log;
    private readonly CoordinatorStanding?[] _standings;
    private readonly CoordinatorCredits[] _credits;

    public CreditAllocator(int capacity, IReadOnlyList<Address> coordinators, Func<Address, CancellationToken, Task<CoordinatorStanding>> read, ILogger log)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(capacity);
        _capacity = capacity;
        _coordinators = [.. coordinators];
        _read = read;
        _log = log;
        _standings = new CoordinatorStanding?[_coordinators.Count];
        _credits = [.. _coordinators.Select(_ => new CoordinatorCredits())];
    }

    /// <summary>Reads a coordinator's standing from the staking contract.</summary>
    public static Func<Address, CancellationToken, Task<CoordinatorStanding>> FromChain(CuckooStakingClient staking) => async (coordinator, cancellationToken) =>
    {
        var weight = staking.WeightOfAsync(coordinator);
        var candidate = staking.CandidateOfAsync(coordinator);
        await Task.WhenAll(weight, candidate).WaitAsync(cancellationToken);
        var info = candidate.Result;
        return new CoordinatorStanding(weight.Result, info.Kind == CandidateKind.Coordinator && info.Registered && info.Active);
    };

    /// <summary>The credits of one of the coordinators given to the constructor.</summary>
    public CoordinatorCredits For(Address coordinator)
    {
        var index = IndexOf(coordinator);
        return index >= 0 ? _credits[index] : throw new ArgumentException($"coordinator {coordinator} is not served here", nameof(coordinator));
    }

    /// <summary>Re-reads every coordinator's standing and splits the capacity again.</summary>
    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        for (var i = 0; i < _coordinators.Count; i++)
        {
            try
            {
                _standings[i] = await _read(_coordinators[i], cancellationToken);
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                _log.LogWarning("could not read coordinator {Coordinator}'s standing from the chain ({Reason}); keeping its last credits", _coordinators[i], e.Message);
            }
        }
        var weights = _standings.Select(s => s is { Active: true } ? s.Weight : BigInteger.Zero).ToArray();
        var shares = CapacitySplit.Split(_capacity, weights);
        for (var i = 0; i < _coordinators.Count; i++)
        {
            if (_credits[i].Value != shares[i])
            {
                _log.LogInformation(
                    "credits for coordinator {Coordinator}: {Credits} of {Capacity} (weight {Weight}{Inactive})",
                    _coordinators[i], shares[i], _capacity, _standings[i]?.Weight ?? BigInteger.Zero, _standings[i] is { Active: false } ? ", not active" : "");
            }
            _credits[i].Value = shares[i];
        }
    }

    /// <summary>Refreshes every <paramref name="interval"/> until cancelled.</summary>
    public async Task RunAsync(TimeSpan interval, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(interval);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                await RefreshAsync(cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The node is stopping.
        }
    }

    private int IndexOf(Address coordinator)
    {
        for (var i = 0; i < _coordinators.Count; i++)
        {
            if (_coordinators[i] == coordinator)
            {
                return i;
            }
        }
        return -1;
    }
}
