using System.Buffers.Binary;
using System.Numerics;
using System.Security.Cryptography;
using System.Text;
using Cuckoo.Chain;
using Address = Cuckoo.Chain.Address;

namespace Cuckoo.Simulation;

public enum MinerKind
{
    Honest,

    /// <summary>Fakes a share of its results on its own, with bytes nobody else produces.</summary>
    Faker,

    /// <summary>One of a group faking the same tasks with the same bytes, so that they agree with each other.</summary>
    Colluder,

    /// <summary>Honest but unlucky: a share of its runs fail or never answer.</summary>
    Crasher,
}

/// <summary>What one run of a task on a simulated miner comes to.</summary>
internal abstract record RunOutcome
{
    /// <summary>Bytes to sign and report; <paramref name="Faked"/> when they are not the model's output.</summary>
    public sealed record Output(byte[] Bytes, bool Faked) : RunOutcome;

    /// <summary>The miner reports a failure (a crash it noticed).</summary>
    public sealed record Failure : RunOutcome;

    /// <summary>The miner never answers: the deadline takes the run away.</summary>
    public sealed record Silence : RunOutcome;
}

/// <summary>
/// The fast deterministic model every simulated miner runs: output = SHA-256(model ‖ input), 32 bytes, and its digest
/// SHA-256(output) in lower-case hex, as miners report digests.
/// </summary>
public static class SimModel
{
    public const string Name = "sim-sha256";

    public static byte[] Run(string model, byte[] input)
    {
        var name = Encoding.UTF8.GetBytes(model);
        var buffer = new byte[name.Length + input.Length];
        name.CopyTo(buffer, 0);
        input.CopyTo(buffer, name.Length);
        return SHA256.HashData(buffer);
    }

    public static string DigestOf(byte[] output) => Convert.ToHexStringLower(SHA256.HashData(output));
}

/// <summary>
/// A simulated miner: its key (it signs every result, fakes included), its stake, and how it behaves. Every decision is
/// a hash of the seed, the miner (or the colluding group) and the task, so a miner given the same task again decides the
/// same way, and colluders decide alike without talking.
/// </summary>
public sealed class SimMiner(int index, EthKey key, MinerKind kind, BigInteger stake, double rate, int seed)
{
    public int Index { get; } = index;

    public EthKey Key { get; } = key;

    public Address Address => Key.Address;

    public MinerKind Kind { get; } = kind;

    /// <summary>Self-stake in CAI wei; the miner is its own staker.</summary>
    public BigInteger Stake { get; } = stake;

    /// <summary>Its fake rate, collusion rate or crash rate by kind; 0 for an honest miner.</summary>
    public double Rate { get; } = rate;

    /// <summary>Would fake results (a faker or colluder), as opposed to honest or only crashing.</summary>
    public bool Lies => Kind is MinerKind.Faker or MinerKind.Colluder;

    internal RunOutcome Run(string taskId, string model, byte[] input)
    {
        switch (Kind)
        {
            case MinerKind.Faker when Draw(seed, $"fake/{Index}", taskId) < Rate:
                return new RunOutcome.Output(Bytes(seed, $"fake-bytes/{Index}", taskId), Faked: true);
            case MinerKind.Colluder when Draw(seed, "collude", taskId) < Rate:
                // The group's shared choice and shared bytes: any two colluders on one task agree.
                return new RunOutcome.Output(Bytes(seed, "collude-bytes", taskId), Faked: true);
            case MinerKind.Crasher when Draw(seed, $"crash/{Index}", taskId) is var d && d < Rate:
                return d < Rate / 2 ? new RunOutcome.Failure() : new RunOutcome.Silence();
            default:
                return new RunOutcome.Output(SimModel.Run(model, input), Faked: false);
        }
    }

    /// <summary>A uniform draw in [0, 1) fixed by the seed, a name and the task.</summary>
    internal static double Draw(int seed, string name, string taskId) =>
        (BinaryPrimitives.ReadUInt64LittleEndian(Bytes(seed, name, taskId)) >> 11) * (1.0 / (1UL << 53));

    private static byte[] Bytes(int seed, string name, string taskId) =>
        SHA256.HashData(Encoding.UTF8.GetBytes($"{seed}/{name}/{taskId}"));
}
