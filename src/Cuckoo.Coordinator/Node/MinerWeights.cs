using System.Collections.Concurrent;
using System.Numerics;
using Cuckoo.Chain;

namespace Cuckoo.Coordinator.Node;

/// <summary>
/// The last weight seen for each miner (from its admission check and from the chain's WeightChanged events), for the
/// admin views; thread-safe. The scheduler's own registry keeps its weights separately.
/// </summary>
public sealed class MinerWeights
{
    private readonly ConcurrentDictionary<Address, BigInteger> _weights = new();

    public void Set(Address miner, BigInteger weight) => _weights[miner] = weight;

    public BigInteger Get(Address miner) => _weights.TryGetValue(miner, out var w) ? w : BigInteger.Zero;
}
