using Cuckoo.Chain;

namespace Cuckoo.Coordinator.Registry;

/// <summary>The miners serving one model: a sampler whose slots hold their eligible weights, and who sits in each slot.</summary>
internal sealed class ModelPool
{
    private readonly List<Address?> _bySlot = [];

    // Slots of miners that left, reused so that the sampler does not grow with churn.
    private readonly Stack<int> _free = new();

    public FenwickSampler Sampler { get; } = new();

    public int Members { get; private set; }

    public Address At(int slot) => _bySlot[slot] ?? throw new InvalidOperationException($"Slot {slot} is empty.");

    public int Join(Address miner, UInt128 weight)
    {
        int slot;
        if (_free.Count > 0)
        {
            slot = _free.Pop();
            _bySlot[slot] = miner;
        }
        else
        {
            slot = _bySlot.Count;
            _bySlot.Add(miner);
        }
        Sampler.Set(slot, weight);
        Members++;
        return slot;
    }

    public void Leave(int slot)
    {
        Sampler.Set(slot, UInt128.Zero);
        _bySlot[slot] = null;
        _free.Push(slot);
        Members--;
    }
}
