using Cuckoo.Chain;
using Cuckoo.Staking;

namespace Cuckoo.Miner;

/// <summary>The coordinators a miner can find on chain: every address ever registered as one, still active now.</summary>
public static class CoordinatorDirectory
{
    public static async Task<IReadOnlyList<Address>> ActiveAsync(ChainClient chain, CuckooStakingClient staking, long fromBlock, CancellationToken cancellationToken)
    {
        var head = await chain.GetBlockNumberAsync(cancellationToken);
        var registered = new HashSet<Address>();
        await foreach (var e in staking.GetEventsInWindowsAsync(fromBlock, head, cancellationToken))
        {
            if (e is CoordinatorRegistered registration)
            {
                registered.Add(registration.Coordinator);
            }
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
