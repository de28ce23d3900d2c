using System.Security.Cryptography;
using Cuckoo.Chain;
using Cuckoo.Cluster.Work;
using Cuckoo.Coordinator.Trust;
using Cuckoo.Staking;
using Xunit;
using Address = Cuckoo.Chain.Address;

namespace Cuckoo.Coordinator.Tests.Trust.Chain;

public sealed class EvidenceBuilderTests
{
    private const string Model = "sum-v1";
    private static readonly byte[] Input = "1 + 1"u8.ToArray();
    private static readonly DateTimeOffset At = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);

    private readonly StakingTypedData _typed = new(31337, EthKey.Generate().Address);
    private readonly EthKey _coordinator = EthKey.Generate();
    private readonly EthKey[] _miners = [.. Enumerable.Range(0, 6).Select(_ => EthKey.Generate())];

    private static string Digest(string text) => Hex.Encode(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text)));

    private static readonly string Right = Digest("2");
    private static readonly string Wrong = Digest("3");
    private static readonly string Other = Digest("4");

    private RunResult Run(int miner, string output, bool agreed, string taskId = "task-1") =>
        new(_miners[miner].Address, miner + 1, output,
            Hex.Encode(_typed.SignResult(_miners[miner], WorkTask.For(taskId, Model, Input), Hex.Decode(output), _coordinator.Address)), agreed);

    private static TaskSettled Settled(params RunResult[] runs) =>
        new("task-1", Model, Hex.Encode(SHA256.HashData(Input)), runs, Audited: false, At);

    [Fact]
    public void Evidence_names_the_task_as_work_task_for_does_and_verifies_off_chain()
    {
        var settled = Settled(Run(0, Wrong, false), Run(1, Right, true), Run(2, Right, true));

        var evidence = EvidenceBuilder.Build(_typed, _coordinator, settled, settled.Runs[0], At)!;

        var task = WorkTask.For("task-1", Model, Input);
        Assert.Equal((Hex.Encode(task.TaskId), Hex.Encode(task.ModelId), Hex.Encode(task.InputDigest)), (evidence.TaskHash, evidence.ModelId, evidence.InputDigest));
        Assert.Equal((_miners[0].Address, Wrong, Right, _coordinator.Address, At), (evidence.Accused, evidence.AccusedOutput, evidence.WitnessOutput, evidence.Coordinator, evidence.At));
        Assert.Equal([_miners[1].Address, _miners[2].Address], evidence.Witnesses);
        Assert.Equal(_coordinator.Address, StakingTypedData.Recover(_typed.AssignmentDigest(task), Hex.Decode(evidence.AssignmentSignature)));
        Assert.True(EvidenceBuilder.Verify(evidence, _typed));
        Assert.False(EvidenceBuilder.Verify(evidence, new StakingTypedData(1, _typed.Contract)));
    }

    [Fact]
    public void Witnesses_are_the_most_common_agreed_digest_without_the_accused()
    {
        // Two agreeing groups (the scheduler's tolerance took both): the larger one witnesses, bit for bit.
        var settled = Settled(Run(0, Wrong, false), Run(1, Other, true), Run(2, Right, true), Run(3, Right, true), Run(4, Wrong, false));

        var evidence = EvidenceBuilder.Build(_typed, _coordinator, settled, settled.Runs[4], At)!;

        Assert.Equal(Right, evidence.WitnessOutput);
        Assert.Equal([_miners[2].Address, _miners[3].Address], evidence.Witnesses);
        Assert.Equal(_miners[4].Address, evidence.Accused);
    }

    [Fact]
    public void A_tie_between_agreed_digests_is_broken_the_same_whatever_the_order_of_the_runs()
    {
        RunResult[] runs = [Run(0, Wrong, false), Run(1, Other, true), Run(2, Right, true)];

        var forward = EvidenceBuilder.Build(_typed, _coordinator, Settled(runs), runs[0], At)!;
        var backward = EvidenceBuilder.Build(_typed, _coordinator, Settled([.. runs.Reverse()]), runs[0], At)!;

        Assert.Equal(forward.WitnessOutput, backward.WitnessOutput);
        Assert.Equal(forward.Witnesses, backward.Witnesses);
        Assert.Single(forward.Witnesses);
    }

    [Fact]
    public void No_evidence_without_a_witness_or_against_a_digest_equal_to_the_witnesses()
    {
        var alone = Settled(Run(0, Wrong, false));
        Assert.Null(EvidenceBuilder.Build(_typed, _coordinator, alone, alone.Runs[0], At));

        var onlyAccusedAgreed = Settled(Run(0, Right, true), Run(1, Wrong, false));
        Assert.Null(EvidenceBuilder.Build(_typed, _coordinator, onlyAccusedAgreed, onlyAccusedAgreed.Runs[0], At));

        // A result bit for bit equal to the witnesses' proves nothing, whatever the scheduler marked it.
        var same = Settled(Run(0, Right, false), Run(1, Right, true), Run(2, Right, true));
        Assert.Null(EvidenceBuilder.Build(_typed, _coordinator, same, same.Runs[0], At));

        var garbled = Settled(Run(0, Wrong, false) with { OutputDigest = "not hex" }, Run(1, Right, true), Run(2, Right, true));
        Assert.Null(EvidenceBuilder.Build(_typed, _coordinator, garbled, garbled.Runs[0], At));
    }

    [Fact]
    public void Digests_in_upper_case_or_without_0x_are_the_same_bytes()
    {
        var settled = Settled(Run(0, Wrong, false), Run(1, Right, true), Run(2, Right, true) with { OutputDigest = Right[2..].ToUpperInvariant() });

        var evidence = EvidenceBuilder.Build(_typed, _coordinator, settled, settled.Runs[0], At)!;

        Assert.Equal(2, evidence.Witnesses.Count);
        Assert.Equal(Right, evidence.WitnessOutput);
        Assert.True(EvidenceBuilder.Verify(evidence, _typed));
    }

    [Fact]
    public void Verify_refuses_every_tampered_field()
    {
        var settled = Settled(Run(0, Wrong, false), Run(1, Right, true), Run(2, Right, true));
        var e = EvidenceBuilder.Build(_typed, _coordinator, settled, settled.Runs[0], At)!;
        var stranger = EthKey.Generate().Address;

        MinerEvidence[] tampered =
        [
            e with { EvidenceId = Hex.Encode(new byte[32]) },
            e with { TaskId = "task-2" },
            e with { Model = "other" },
            e with { InputDigest = Digest("other input") },
            e with { Coordinator = stranger },
            e with { Accused = stranger },
            e with { AccusedOutput = Other },
            e with { AccusedSignature = e.WitnessSignatures[0] },
            e with { WitnessOutput = Wrong },
            e with { WitnessOutput = Other },
            e with { Witnesses = [e.Witnesses[1], e.Witnesses[0]] },
            e with { Witnesses = [e.Witnesses[0], e.Witnesses[0]], WitnessSignatures = [e.WitnessSignatures[0], e.WitnessSignatures[0]] },
            e with { Witnesses = [e.Witnesses[0]] },
            e with { Witnesses = [], WitnessSignatures = [] },
            e with { WitnessSignatures = [e.WitnessSignatures[0], "0x1234"] },
            e with { AssignmentSignature = e.AccusedSignature },
            e with { TaskHash = "zz" },
        ];

        Assert.All(tampered, t => Assert.False(EvidenceBuilder.Verify(t, _typed)));
        Assert.True(EvidenceBuilder.Verify(e, _typed));
    }

    [Fact]
    public void Evidence_id_is_keccak_of_the_abi_encoded_kind_miner_coordinator_and_task()
    {
        var (miner, coordinator) = (EthKey.Generate().Address, EthKey.Generate().Address);
        var task = Keccak256.Hash("task-9");
        // abi.encode pads every static value to a 32-byte word: uint8 right-aligned, addresses right-aligned.
        var words = new byte[128];
        words[31] = 1;
        miner.ToBytes().CopyTo(words, 32 + 12);
        coordinator.ToBytes().CopyTo(words, 64 + 12);
        task.CopyTo(words, 96);

        Assert.Equal(Hex.Encode(Keccak256.Hash(words)), EvidenceBuilder.EvidenceIdOf(miner, coordinator, task));
        Assert.NotEqual(EvidenceBuilder.EvidenceIdOf(miner, coordinator, task), EvidenceBuilder.EvidenceIdOf(coordinator, miner, task));
        Assert.Throws<ArgumentException>(() => EvidenceBuilder.EvidenceIdOf(miner, coordinator, [1, 2, 3]));
    }

    [Fact]
    public void To_struct_carries_the_bytes_the_contract_takes()
    {
        var settled = Settled(Run(0, Wrong, false), Run(1, Right, true), Run(2, Right, true));
        var e = EvidenceBuilder.Build(_typed, _coordinator, settled, settled.Runs[0], At)!;

        var s = EvidenceBuilder.ToStruct(e);

        Assert.Equal(Hex.Decode(e.TaskHash), s.Task.TaskId);
        Assert.Equal(Hex.Decode(Wrong), s.AccusedOutput);
        Assert.Equal(Hex.Decode(Right), s.WitnessOutput);
        Assert.Equal(e.WitnessSignatures.Select(Hex.Decode), s.WitnessSignatures);
        Assert.All(s.WitnessSignatures, w => Assert.Equal(65, w.Length));
        Assert.Throws<FormatException>(() => EvidenceBuilder.ToStruct(e with { WitnessOutput = "0x12" }));
    }
}
