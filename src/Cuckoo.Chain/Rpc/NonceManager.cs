using System.Collections.Concurrent;
using System.Numerics;

namespace Cuckoo.Chain;

/// <summary>
/// The next nonce of each sender, tracked locally so that concurrent sends get consecutive nonces without waiting for
/// the node's pending pool. One lock per address; the node is asked again after any uncertainty.
/// </summary>
public sealed class NonceManager
{
    private readonly ConcurrentDictionary<Address, Slot> _slots = new();

    internal Slot For(Address address) => _slots.GetOrAdd(address, _ => new Slot());

    /// <summary>Forgets the local nonce of <paramref name="address"/>; the next send asks the node.</summary>
    public void Reset(Address address)
    {
        if (_slots.TryGetValue(address, out var slot))
        {
            slot.Next = null;
        }
    }

    internal sealed class Slot
    {
        public SemaphoreSlim Lock { get; } = new(1, 1);

        /// <summary>The nonce the next transaction gets; null when it must be read from the node.</summary>
        public BigInteger? Next { get; set; }
    }
}
