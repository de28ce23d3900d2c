using System.Collections.Concurrent;
using Cuckoo.Chain;

namespace Cuckoo.Cluster.Enrolment;

/// <summary>Miners this coordinator refuses whatever their stake (filled by the trust layer).</summary>
public interface IJailBook
{
    bool IsJailed(Address miner, out string? reason);
}

/// <summary>An in-memory, thread-safe <see cref="IJailBook"/>.</summary>
public sealed class JailBook : IJailBook
{
    private readonly ConcurrentDictionary<Address, string> _jailed = new();

    /// <summary>A snapshot of the jailed miners and why.</summary>
    public IReadOnlyDictionary<Address, string> Jailed => new Dictionary<Address, string>(_jailed);

    /// <summary>Jails <paramref name="miner"/>, or replaces the reason it is jailed for.</summary>
    public void Jail(Address miner, string reason)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        _jailed[miner] = reason;
    }

    /// <returns>False when the miner was not jailed.</returns>
    public bool Release(Address miner) => _jailed.TryRemove(miner, out _);

    public bool IsJailed(Address miner, out string? reason) => _jailed.TryGetValue(miner, out reason);
}
