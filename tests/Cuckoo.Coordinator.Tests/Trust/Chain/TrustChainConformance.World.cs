using Cuckoo.Chain;
using Cuckoo.Coordinator.Trust;
using Cuckoo.Staking;
using Xunit;

namespace Cuckoo.Coordinator.Tests.Trust.Chain;

// The suite's world: tasks, signed results and the evidence built from them, the same for every chain.
public abstract partial class TrustChainConformance
{
    protected static string NewTaskId() => "task-" + Guid.NewGuid().ToString("N");

    protected static string Digest(string text) => Hex.Encode(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text)));

    protected static string InputDigestOf(string taskId) => Digest("input of " + taskId);

    /// <summary>A miner's Result signature as <c>WorkTask.SignResult</c> makes it: over keccak(task id), keccak(model), the input digest.</summary>
    protected string Sign(TrustMiner miner, string taskId, string outputDigest) =>
        Hex.Encode(Typed.SignResult(miner.Key, TaskOf(taskId), Hex.Decode(outputDigest), Coordinator.Address));

    protected static StakingTask TaskOf(string taskId) =>
        new(Keccak256.Hash(taskId), Keccak256.Hash(Model), Hex.Decode(InputDigestOf(taskId)));

    /// <summary>The accused (attempt 1) answered <paramref name="accusedOutput"/>; the witnesses the right sum.</summary>
    protected TaskSettled Settle(string taskId, string accusedOutput, IEnumerable<TrustMiner> witnesses)
    {
        var runs = new List<RunResult> { new(Accused.Address, 1, accusedOutput, Sign(Accused, taskId, accusedOutput), accusedOutput == Right) };
        runs.AddRange(witnesses.Select((w, i) => new RunResult(w.Address, i + 2, Right, Sign(w, taskId, Right), true)));
        return new TaskSettled(taskId, Model, InputDigestOf(taskId), runs, Audited: true, DateTimeOffset.UnixEpoch);
    }

    protected MinerEvidence Evidence(string taskId, IEnumerable<TrustMiner> witnesses)
    {
        var settled = Settle(taskId, Wrong, witnesses);
        var evidence = EvidenceBuilder.Build(Typed, Coordinator, settled, settled.Runs[0], DateTimeOffset.UnixEpoch);
        Assert.NotNull(evidence);
        return evidence;
    }

    private static void Refused(ChainOutcome outcome, string errorName, bool retryable)
    {
        Assert.False(outcome.Succeeded);
        Assert.Null(outcome.TransactionHash);
        Assert.StartsWith(errorName + ": ", outcome.Error);
        Assert.Equal(retryable, outcome.Retryable);
    }
}
