using System.Numerics;
using Cuckoo.Chain;
using Nethereum.ABI.EIP712;
using Nethereum.ABI.FunctionEncoding.Attributes;
using Nethereum.Contracts;
using S = Cuckoo.Staking.Contracts.CuckooStaking;

namespace Cuckoo.Staking;

/// <summary>A task as miners and coordinators sign it: 32-byte task id, model id and input digest.</summary>
public sealed record StakingTask(byte[] TaskId, byte[] ModelId, byte[] InputDigest)
{
    public S.TaskStruct ToStruct() => new() { TaskId = Bytes32(TaskId, nameof(TaskId)), ModelId = Bytes32(ModelId, nameof(ModelId)), InputDigest = Bytes32(InputDigest, nameof(InputDigest)) };

    internal static byte[] Bytes32(byte[] value, string name) =>
        value is { Length: 32 } ? value : throw new ArgumentException($"{name} must be 32 bytes.", name);
}

/// <summary>
/// CuckooStaking's EIP-712 typed data (domain "CuckooStaking", version "1", chain id, contract): the digests of
/// <c>Result</c>, <c>Assignment</c> and <c>Registration</c> and their signatures (65 bytes r‖s‖v, v 27/28, low s, as the
/// contract accepts). Hashing is Nethereum's <see cref="Eip712TypedDataEncoder"/>; signing is <see cref="EthKey.Sign"/>.
/// </summary>
public sealed class StakingTypedData
{
    public const string Name = "CuckooStaking";
    public const string Version = "1";

    private readonly Domain _domain;

    public StakingTypedData(BigInteger chainId, Address contract)
    {
        ChainId = chainId;
        Contract = contract;
        _domain = new Domain { Name = Name, Version = Version, ChainId = chainId, VerifyingContract = contract.ToString() };
        DomainSeparator = Eip712TypedDataEncoder.Current.HashDomainSeparator(Typed<ResultMessage>());
    }

    /// <summary>The typed data of the contract a client talks to (reads the chain id from the node).</summary>
    public static async Task<StakingTypedData> ForAsync(CuckooStakingClient staking, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(staking);
        return new StakingTypedData(await staking.Client.GetChainIdAsync(cancellationToken).ConfigureAwait(false), staking.Address);
    }

    public BigInteger ChainId { get; }

    public Address Contract { get; }

    /// <summary>What the contract's <c>DOMAIN_SEPARATOR()</c> returns on this chain.</summary>
    public byte[] DomainSeparator { get; }

    /// <summary>The digest a miner signs for its output of a task assigned by <paramref name="coordinator"/>.</summary>
    public byte[] ResultDigest(StakingTask task, byte[] outputDigest, Address coordinator)
    {
        ArgumentNullException.ThrowIfNull(task);
        return Hash(new ResultMessage
        {
            TaskId = StakingTask.Bytes32(task.TaskId, nameof(task.TaskId)), ModelId = StakingTask.Bytes32(task.ModelId, nameof(task.ModelId)),
            InputDigest = StakingTask.Bytes32(task.InputDigest, nameof(task.InputDigest)), OutputDigest = StakingTask.Bytes32(outputDigest, nameof(outputDigest)),
            Coordinator = coordinator.ToString(),
        });
    }

    /// <summary>The digest a coordinator signs when it assigns a task.</summary>
    public byte[] AssignmentDigest(StakingTask task)
    {
        ArgumentNullException.ThrowIfNull(task);
        var t = task.ToStruct();
        return Hash(new AssignmentMessage { TaskId = t.TaskId, ModelId = t.ModelId, InputDigest = t.InputDigest });
    }

    /// <summary>The digest a candidate key signs to consent to its registration by <paramref name="staker"/> (nonce: <c>consentNonceOf(candidate)</c>).</summary>
    public byte[] RegistrationDigest(Address staker, CandidateKind kind, string intro, BigInteger nonce)
    {
        if (kind is not (CandidateKind.Miner or CandidateKind.Coordinator))
        {
            throw new ArgumentOutOfRangeException(nameof(kind), kind, "A registration is for a miner or a coordinator.");
        }
        return Hash(new RegistrationMessage { Staker = staker.ToString(), Kind = (int)kind, Intro = intro ?? "", Nonce = nonce });
    }

    public byte[] SignResult(EthKey miner, StakingTask task, byte[] outputDigest, Address coordinator) =>
        Sign(miner, ResultDigest(task, outputDigest, coordinator));

    public byte[] SignAssignment(EthKey coordinator, StakingTask task) => Sign(coordinator, AssignmentDigest(task));

    public byte[] SignRegistration(EthKey candidate, Address staker, CandidateKind kind, string intro, BigInteger nonce) =>
        Sign(candidate, RegistrationDigest(staker, kind, intro, nonce));

    /// <summary>Who signed a digest (65-byte signature); the contract's recovery, in C#.</summary>
    public static Address Recover(byte[] digest, byte[] signature)
    {
        ArgumentNullException.ThrowIfNull(signature);
        return EthSignature.FromBytes(signature).RecoverAddress(digest);
    }

    /// <summary>
    /// The evidence a coordinator submits to slash <c>accused</c>: its own signed assignment, the accused miner's signed
    /// result and the signed results of witnesses (active miners of other stakers) that agree with each other.
    /// </summary>
    public S.EvidenceStruct Evidence(
        EthKey coordinator, StakingTask task, byte[] accusedOutput, byte[] accusedSignature, byte[] witnessOutput, IEnumerable<byte[]> witnessSignatures)
    {
        ArgumentNullException.ThrowIfNull(coordinator);
        ArgumentNullException.ThrowIfNull(witnessSignatures);
        return new S.EvidenceStruct
        {
            Task = task.ToStruct(),
            AssignmentSignature = SignAssignment(coordinator, task),
            AccusedOutput = StakingTask.Bytes32(accusedOutput, nameof(accusedOutput)),
            AccusedSignature = accusedSignature,
            WitnessOutput = StakingTask.Bytes32(witnessOutput, nameof(witnessOutput)),
            WitnessSignatures = [.. witnessSignatures],
        };
    }

    private static byte[] Sign(EthKey key, byte[] digest)
    {
        ArgumentNullException.ThrowIfNull(key);
        return key.Sign(digest).ToBytes();
    }

    private byte[] Hash<T>(T message) => Eip712TypedDataEncoder.Current.EncodeAndHashTypedData(message, Typed<T>());

    private TypedData<Domain> Typed<T>() => new()
    {
        Domain = _domain,
        Types = TypesOf<T>.Members,
        PrimaryType = TypesOf<T>.Primary,
    };

    // The type descriptions are read from attributes by reflection, which took a third of a miner's signing time when
    // done per result; they depend only on the types, and the encoder only reads them.
    private static class TypesOf<T>
    {
        public static readonly IDictionary<string, MemberDescription[]> Members = MemberDescriptionFactory.GetTypesMemberDescription(typeof(Domain), typeof(T));

        public static readonly string Primary = typeof(T).GetCustomAttributes(typeof(StructAttribute), false).Cast<StructAttribute>().Single().Name;
    }

    [Struct("Result")]
    private sealed class ResultMessage
    {
        [Parameter("bytes32", "taskId", 1)]
        public byte[] TaskId { get; set; } = [];

        [Parameter("bytes32", "modelId", 2)]
        public byte[] ModelId { get; set; } = [];

        [Parameter("bytes32", "inputDigest", 3)]
        public byte[] InputDigest { get; set; } = [];

        [Parameter("bytes32", "outputDigest", 4)]
        public byte[] OutputDigest { get; set; } = [];

        [Parameter("address", "coordinator", 5)]
        public string Coordinator { get; set; } = "";
    }

    [Struct("Assignment")]
    private sealed class AssignmentMessage
    {
        [Parameter("bytes32", "taskId", 1)]
        public byte[] TaskId { get; set; } = [];

        [Parameter("bytes32", "modelId", 2)]
        public byte[] ModelId { get; set; } = [];

        [Parameter("bytes32", "inputDigest", 3)]
        public byte[] InputDigest { get; set; } = [];
    }

    [Struct("Registration")]
    private sealed class RegistrationMessage
    {
        [Parameter("address", "staker", 1)]
        public string Staker { get; set; } = "";

        [Parameter("uint8", "kind", 2)]
        public int Kind { get; set; }

        [Parameter("string", "intro", 3)]
        public string Intro { get; set; } = "";

        [Parameter("uint256", "nonce", 4)]
        public BigInteger Nonce { get; set; }
    }
}
