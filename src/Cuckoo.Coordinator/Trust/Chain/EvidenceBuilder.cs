using Cuckoo.Chain;
using Cuckoo.Staking;
using Cuckoo.Staking.Contracts.CuckooStaking;
using Nethereum.ABI;
using Address = Cuckoo.Chain.Address;

namespace Cuckoo.Coordinator.Trust;

/// <summary>
/// Turns a settled task's signed results into the evidence the contract's <c>slash</c> verifies: the coordinator's
/// signed assignment, the accused's signed result, and the signed results of the majority that agreed bit for bit.
/// </summary>
public static partial class EvidenceBuilder
{
    /// <summary>The contract's <c>Kind.Miner</c>, the first field of a miner slash's evidence id.</summary>
    private const byte MinerKind = 1;

    /// <summary>
    /// The evidence against <paramref name="accused"/>, or null when there is none to give: no other agreeing result,
    /// the accused's digest equal to the witnesses', or a digest or signature that is not the contract's bytes.
    /// </summary>
    public static MinerEvidence? Build(StakingTypedData typed, EthKey coordinator, TaskSettled settled, RunResult accused, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(typed);
        ArgumentNullException.ThrowIfNull(coordinator);
        ArgumentNullException.ThrowIfNull(settled);
        ArgumentNullException.ThrowIfNull(accused);
        if (!TryBytes32(accused.OutputDigest, out var accusedOutput) || !TryBytes32(settled.InputDigest, out var inputDigest)
            || !IsSignature(accused.Signature))
        {
            return null;
        }
        // The contract compares digests bit for bit, so group by the bytes, not by the tolerance the scheduler used.
        var agreed = settled.Runs
            .Where(r => r.Agreed && TryBytes32(r.OutputDigest, out _) && IsSignature(r.Signature))
            .GroupBy(r => Normalize(r.OutputDigest))
            .OrderByDescending(g => g.Count())
            .ThenBy(g => g.Key, StringComparer.Ordinal)
            .FirstOrDefault();
        if (agreed is null)
        {
            return null;
        }
        var witnessOutput = Hex.Decode(agreed.Key);
        var witnesses = agreed
            .Where(r => r.Miner != accused.Miner)
            .GroupBy(r => r.Miner)
            .Select(g => g.OrderBy(r => r.Attempt).First())
            .OrderBy(r => r.Attempt)
            .ThenBy(r => r.Miner)
            .ToList();
        if (witnesses.Count == 0 || witnessOutput.AsSpan().SequenceEqual(accusedOutput))
        {
            return null;
        }
        var task = new StakingTask(Keccak256.Hash(settled.TaskId), Keccak256.Hash(settled.Model), inputDigest);
        return new MinerEvidence(
            EvidenceIdOf(accused.Miner, coordinator.Address, task.TaskId),
            settled.TaskId,
            settled.Model,
            Hex.Encode(task.TaskId),
            Hex.Encode(task.ModelId),
            Hex.Encode(task.InputDigest),
            coordinator.Address,
            Hex.Encode(typed.SignAssignment(coordinator, task)),
            accused.Miner,
            Hex.Encode(accusedOutput),
            Normalize(accused.Signature),
            agreed.Key,
            [.. witnesses.Select(w => w.Miner)],
            [.. witnesses.Select(w => Normalize(w.Signature))],
            at);
    }

    /// <summary>The contract's <c>Evidence</c> struct for <c>slash(evidence.Accused, …)</c>.</summary>
    /// <exception cref="FormatException">a field is not the hex of the bytes the contract takes.</exception>
    public static EvidenceStruct ToStruct(MinerEvidence evidence)
    {
        ArgumentNullException.ThrowIfNull(evidence);
        return new EvidenceStruct
        {
            Task = new TaskStruct { TaskId = Bytes32(evidence.TaskHash), ModelId = Bytes32(evidence.ModelId), InputDigest = Bytes32(evidence.InputDigest) },
            AssignmentSignature = Hex.Decode(evidence.AssignmentSignature),
            AccusedOutput = Bytes32(evidence.AccusedOutput),
            AccusedSignature = Hex.Decode(evidence.AccusedSignature),
            WitnessOutput = Bytes32(evidence.WitnessOutput),
            WitnessSignatures = [.. evidence.WitnessSignatures.Select(Hex.Decode)],
        };
    }

    /// <summary>keccak256(abi.encode(uint8(1), miner, coordinator, taskId)) as 0x hex: the id the contract marks used.</summary>
    public static string EvidenceIdOf(Address miner, Address coordinator, byte[] taskHash)
    {
        ArgumentNullException.ThrowIfNull(taskHash);
        if (taskHash.Length != 32)
        {
            throw new ArgumentException("A task hash is 32 bytes.", nameof(taskHash));
        }
        var encoded = new ABIEncode().GetABIEncoded(
            new ABIValue("uint8", MinerKind),
            new ABIValue("address", miner.ToString()),
            new ABIValue("address", coordinator.ToString()),
            new ABIValue("bytes32", taskHash));
        return Hex.Encode(Keccak256.Hash(encoded));
    }

    private static bool TryBytes32(string? hex, out byte[] bytes) => Hex.TryDecode(hex, out bytes) && bytes.Length == 32;

    private static byte[] Bytes32(string hex) =>
        TryBytes32(hex, out var bytes) ? bytes : throw new FormatException($"'{hex}' is not 32 bytes of hex.");

    private static bool IsSignature(string? hex) => Hex.TryDecode(hex, out var bytes) && bytes.Length == 65;

    private static string Normalize(string hex) => Hex.Encode(Hex.Decode(hex));
}
