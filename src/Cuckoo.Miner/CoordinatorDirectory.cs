using Cuckoo.Chain;
using Cuckoo.Staking;

namespace Cuckoo.Miner;

/// <summary>The coordinators a miner can find on chain: every address ever registered as one, still active now.</summary>
public static class CoordinatorDirectory
{
    /// <summary>Blocks per log query: public RPC providers cap eth_getLogs ranges, commonly at a few thousand blocks.</summary>
    private const long Window = 2_000;

    public static async Task<IReadOnlyList<Address>> ActiveAsync(ChainClient chain, CuckooStakingClient staking, long fromBlock, CancellationToken cancellationToken)
    {
        var head = await chain.GetBlockNumberAsync(cancellationToken);
        var registered = new HashSet<Address>();
        for (var from = Math.Max(0, fromBlock); from <= head; from += Window)
        {
            var events = await staking.GetEventsAsync(from, Math.Min(head, from + Window - 1), cancellationToken);
            registered.UnionWith(events.OfType<CoordinatorRegistered>().Select(e => e.Coordinator));
        }
        var active = new List<Address>();
        foreach (var coordinator in registered)
        {
            if (await staking.IsActiveCoordinatorAsync(coordinator).WaitAsync(cancellationToken))
            {
                active.Add(coordinator);
            }
        }
        return active;
    }
}
