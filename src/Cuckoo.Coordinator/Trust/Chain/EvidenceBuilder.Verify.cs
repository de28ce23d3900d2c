using Cuckoo.Chain;
using Cuckoo.Staking;
using Address = Cuckoo.Chain.Address;

namespace Cuckoo.Coordinator.Trust;

public static partial class EvidenceBuilder
{
    /// <summary>
    /// Whether the evidence holds together off chain as the contract would check it: its id, names and hashes agree,
    /// the assignment is the coordinator's, the accused's result is the accused's, the outputs differ, and every witness
    /// signature is by its listed witness, each witness distinct and not the accused. Who is an active miner and which
    /// staker backs it is the chain's to say, not this. Never throws on stored bytes.
    /// </summary>
    public static bool Verify(MinerEvidence evidence, StakingTypedData typed)
    {
        ArgumentNullException.ThrowIfNull(typed);
        if (evidence?.Witnesses is null || evidence.WitnessSignatures is null || evidence.TaskId is null || evidence.Model is null)
        {
            return false;
        }
        try
        {
            var s = ToStruct(evidence);
            var task = new StakingTask(s.Task.TaskId, s.Task.ModelId, s.Task.InputDigest);
            var witnesses = evidence.Witnesses;
            return task.TaskId.AsSpan().SequenceEqual(Keccak256.Hash(evidence.TaskId))
                && task.ModelId.AsSpan().SequenceEqual(Keccak256.Hash(evidence.Model))
                && string.Equals(evidence.EvidenceId, EvidenceIdOf(evidence.Accused, evidence.Coordinator, task.TaskId), StringComparison.OrdinalIgnoreCase)
                && ContractSignature.TryRecover(typed.AssignmentDigest(task), s.AssignmentSignature, out var assigner) && assigner == evidence.Coordinator
                && ContractSignature.TryRecover(typed.ResultDigest(task, s.AccusedOutput, evidence.Coordinator), s.AccusedSignature, out var accused)
                && accused == evidence.Accused
                && !s.AccusedOutput.AsSpan().SequenceEqual(s.WitnessOutput)
                && witnesses.Count > 0
                && witnesses.Count == s.WitnessSignatures.Count
                && witnesses.Distinct().Count() == witnesses.Count
                && !witnesses.Contains(evidence.Accused)
                && WitnessesSigned(typed.ResultDigest(task, s.WitnessOutput, evidence.Coordinator), witnesses, s.WitnessSignatures);
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            return false;
        }
    }

    private static bool WitnessesSigned(byte[] digest, IReadOnlyList<Address> witnesses, IReadOnlyList<byte[]> signatures)
    {
        for (var i = 0; i < witnesses.Count; i++)
        {
            if (!ContractSignature.TryRecover(digest, signatures[i], out var signer) || signer != witnesses[i])
            {
                return false;
            }
        }
        return true;
    }
}
