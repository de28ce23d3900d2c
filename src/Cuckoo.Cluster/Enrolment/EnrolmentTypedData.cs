using System.Buffers.Binary;
using System.Text;
using System.Text.Json.Nodes;
using Cuckoo.Chain;

namespace Cuckoo.Cluster.Enrolment;

/// <summary>
/// EIP-712 typed data of enrolment, domain "CuckooEnrolment" version "1" on the chain id and the staking contract (so an
/// answer for one network is worthless on another): the miner's <c>Enrolment</c> and the coordinator's <c>Admission</c>.
/// Every member is a static word, so the encoding is written out here; <see cref="EnrolmentWalletJson"/> gives the same data
/// as <c>eth_signTypedData_v4</c> JSON for wallets, and the tests check both digests against Hardhat's signer.
/// </summary>
public static partial class EnrolmentTypedData
{
    public const string Name = "CuckooEnrolment";
    public const string Version = "1";

    /// <summary>modelsHash is keccak256 of the concatenated keccak256 of each model id (UTF-8), in order: EIP-712's string[] encoding.</summary>
    public static readonly IReadOnlyList<(string Name, string Type)> EnrolmentMembers =
    [
        ("nonce", "bytes32"), ("coordinator", "address"), ("miner", "address"), ("certificate", "bytes32"), ("modelsHash", "bytes32"),
        ("capacity", "uint32"), ("softwareVersion", "string"), ("node", "string"), ("provider", "string"), ("expiresAt", "uint64"),
    ];

    /// <summary>The coordinator's signature covers the challenge nonce, so an old acceptance cannot be passed off as the answer to a new request.</summary>
    public static readonly IReadOnlyList<(string Name, string Type)> AdmissionMembers =
    [
        ("nonce", "bytes32"), ("coordinator", "address"), ("miner", "address"), ("certificate", "bytes32"), ("models", "string[]"),
        ("capacity", "uint32"), ("softwareVersion", "string"), ("node", "string"), ("provider", "string"), ("admittedAt", "uint64"), ("systemName", "string"), ("seedNodes", "string[]"),
        ("coordinatorThumbprints", "bytes32[]"),
    ];

    private static readonly IReadOnlyList<(string Name, string Type)> DomainMembers =
        [("name", "string"), ("version", "string"), ("chainId", "uint256"), ("verifyingContract", "address")];

    public static string EnrolmentType { get; } = TypeString("Enrolment", EnrolmentMembers);

    public static string AdmissionType { get; } = TypeString("Admission", AdmissionMembers);

    private static readonly byte[] DomainTypeHash = Keccak256.Hash(TypeString("EIP712Domain", DomainMembers));
    private static readonly byte[] EnrolmentTypeHash = Keccak256.Hash(EnrolmentType);
    private static readonly byte[] AdmissionTypeHash = Keccak256.Hash(AdmissionType);

    public static byte[] DomainSeparator(long chainId, Address stakingContract) =>
        Keccak256.Hash([.. DomainTypeHash, .. Keccak256.Hash(Name), .. Keccak256.Hash(Version), .. Uint(checked((ulong)chainId)), .. Word(stakingContract)]);

    public static byte[] ModelsHash(IReadOnlyList<string> models) => StringArrayHash(models);

    /// <summary>The digest a miner key signs to answer <paramref name="challenge"/>.</summary>
    /// <param name="node">The <c>host:port</c> its cluster node will listen at: a member is matched to its admission by it.</param>
    /// <param name="provider">Where its models run (<c>cpu</c> or <c>cuda</c>), as the coordinator shows and schedules it.</param>
    /// <exception cref="FormatException">the nonce or thumbprint is not 32 bytes of hex.</exception>
    public static byte[] EnrolmentDigest(
        EnrolmentChallenge challenge, Address miner, string certificateThumbprint, IReadOnlyList<string> models, int capacity, string softwareVersion,
        string node, string provider)
    {
        ArgumentNullException.ThrowIfNull(challenge);
        ArgumentNullException.ThrowIfNull(softwareVersion);
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(provider);
        byte[] structHash = Keccak256.Hash([
            .. EnrolmentTypeHash, .. Bytes32(challenge.Nonce), .. Word(challenge.Coordinator), .. Word(miner), .. Bytes32(certificateThumbprint),
            .. ModelsHash(models), .. Uint(checked((uint)capacity)), .. Keccak256.Hash(softwareVersion), .. Keccak256.Hash(node), .. Keccak256.Hash(provider),
            .. Uint(UnixSeconds(challenge.ExpiresAt)),
        ]);
        return Typed(DomainSeparator(challenge.ChainId, challenge.StakingContract), structHash);
    }

    /// <summary>The miner's signed answer to <paramref name="challenge"/>.</summary>
    public static EnrolmentRequest SignRequest(
        EthKey miner, EnrolmentChallenge challenge, string certificateThumbprint, IReadOnlyList<string> models, int capacity, string softwareVersion,
        string node, string provider)
    {
        ArgumentNullException.ThrowIfNull(miner);
        var digest = EnrolmentDigest(challenge, miner.Address, certificateThumbprint, models, capacity, softwareVersion, node, provider);
        return new EnrolmentRequest(
            challenge.Nonce, miner.Address, certificateThumbprint, [.. models], capacity, softwareVersion, miner.Sign(digest).ToHex(), challenge.ChainId)
        {
            NodeAddress = node,
            Provider = provider,
        };
    }

    /// <summary>The digest the coordinator key signs over an acceptance of the enrolment that answered <paramref name="nonce"/>.</summary>
    /// <exception cref="FormatException">the nonce or a thumbprint is not 32 bytes of hex.</exception>
    public static byte[] AcceptedDigest(long chainId, Address stakingContract, string nonce, Admission admission, ClusterDescriptor cluster, Address coordinator)
    {
        ArgumentNullException.ThrowIfNull(admission);
        ArgumentNullException.ThrowIfNull(cluster);
        ArgumentNullException.ThrowIfNull(cluster.CoordinatorThumbprints);
        byte[] structHash = Keccak256.Hash([
            .. AdmissionTypeHash, .. Bytes32(nonce), .. Word(coordinator), .. Word(admission.Miner), .. Bytes32(admission.CertificateThumbprint),
            .. StringArrayHash(admission.Models), .. Uint(checked((uint)admission.Capacity)), .. Keccak256.Hash(admission.SoftwareVersion ?? ""),
            .. Keccak256.Hash(admission.NodeAddress ?? ""), .. Keccak256.Hash(admission.Provider ?? ""), .. Uint(UnixSeconds(admission.AdmittedAt)), .. Keccak256.Hash(cluster.SystemName ?? ""), .. StringArrayHash(cluster.SeedNodes),
            .. Keccak256.Hash(cluster.CoordinatorThumbprints.SelectMany(Bytes32).ToArray()),
        ]);
        return Typed(DomainSeparator(chainId, stakingContract), structHash);
    }

    public static EnrolmentAccepted SignAccepted(EthKey coordinator, long chainId, Address stakingContract, string nonce, Admission admission, ClusterDescriptor cluster)
    {
        ArgumentNullException.ThrowIfNull(coordinator);
        var digest = AcceptedDigest(chainId, stakingContract, nonce, admission, cluster, coordinator.Address);
        return new EnrolmentAccepted(admission, cluster, coordinator.Address, coordinator.Sign(digest).ToHex());
    }

    /// <summary>True when <paramref name="expectedCoordinator"/> signed <paramref name="accepted"/> as the answer to <paramref name="nonce"/>.</summary>
    public static bool VerifyAccepted(EnrolmentAccepted accepted, long chainId, Address stakingContract, string nonce, Address expectedCoordinator)
    {
        ArgumentNullException.ThrowIfNull(accepted);
        try
        {
            // A fraction of a second is not signed; refusing it keeps "what was signed" and "what was read" the same.
            if (accepted.Coordinator != expectedCoordinator || accepted.Admission.AdmittedAt.UtcTicks % TimeSpan.TicksPerSecond != 0)
            {
                return false;
            }
            var digest = AcceptedDigest(chainId, stakingContract, nonce, accepted.Admission, accepted.Cluster, accepted.Coordinator);
            return TryRecover(digest, accepted.Signature, out var signer) && signer == expectedCoordinator;
        }
        catch (Exception ex) when (ex is FormatException or OverflowException or ArgumentException or NullReferenceException)
        {
            return false;
        }
    }

    /// <summary>Who signed <paramref name="digest"/>: false unless the signature is 65 bytes of hex, v 27/28 (or 0/1), low s, and recovers.</summary>
    public static bool TryRecover(byte[] digest, string? signatureHex, out Address signer)
    {
        signer = default;
        if (!EthSignature.TryParse(signatureHex, out var signature) || !signature!.IsLowS)
        {
            return false;
        }
        try
        {
            signer = signature.RecoverAddress(digest);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    /// <summary>The miner's <c>Enrolment</c> as <c>eth_signTypedData_v4</c> JSON, for a wallet to sign instead of <see cref="SignRequest"/>.</summary>
    public static string EnrolmentWalletJson(
        EnrolmentChallenge challenge, Address miner, string certificateThumbprint, IReadOnlyList<string> models, int capacity, string softwareVersion,
        string node, string provider)
    {
        ArgumentNullException.ThrowIfNull(challenge);
        var message = new JsonObject
        {
            ["nonce"] = challenge.Nonce, ["coordinator"] = challenge.Coordinator.ToString(), ["miner"] = miner.ToString(),
            ["certificate"] = Hex.Encode(Bytes32(certificateThumbprint)), ["modelsHash"] = Hex.Encode(ModelsHash(models)), ["capacity"] = capacity,
            ["softwareVersion"] = softwareVersion, ["node"] = node, ["provider"] = provider, ["expiresAt"] = UnixSeconds(challenge.ExpiresAt),
        };
        return WalletJson("Enrolment", EnrolmentMembers, challenge.ChainId, challenge.StakingContract, message);
    }

    /// <summary>The coordinator's <c>Admission</c> as <c>eth_signTypedData_v4</c> JSON.</summary>
    public static string AdmissionWalletJson(long chainId, Address stakingContract, string nonce, Admission admission, ClusterDescriptor cluster, Address coordinator)
    {
        ArgumentNullException.ThrowIfNull(admission);
        ArgumentNullException.ThrowIfNull(cluster);
        var message = new JsonObject
        {
            ["nonce"] = nonce, ["coordinator"] = coordinator.ToString(), ["miner"] = admission.Miner.ToString(),
            ["certificate"] = Hex.Encode(Bytes32(admission.CertificateThumbprint)), ["models"] = new JsonArray([.. admission.Models.Select(m => JsonValue.Create(m))]),
            ["capacity"] = admission.Capacity, ["softwareVersion"] = admission.SoftwareVersion,
            ["node"] = admission.NodeAddress, ["provider"] = admission.Provider, ["admittedAt"] = UnixSeconds(admission.AdmittedAt),
            ["systemName"] = cluster.SystemName, ["seedNodes"] = new JsonArray([.. cluster.SeedNodes.Select(s => JsonValue.Create(s))]),
            ["coordinatorThumbprints"] = new JsonArray([.. cluster.CoordinatorThumbprints.Select(t => JsonValue.Create(Hex.Encode(Bytes32(t))))]),
        };
        return WalletJson("Admission", AdmissionMembers, chainId, stakingContract, message);
    }

    private static string WalletJson(string primaryType, IReadOnlyList<(string Name, string Type)> members, long chainId, Address contract, JsonObject message)
    {
        static JsonArray Types(IEnumerable<(string Name, string Type)> list) =>
            new([.. list.Select(m => (JsonNode)new JsonObject { ["name"] = m.Name, ["type"] = m.Type })]);
        var json = new JsonObject
        {
            ["types"] = new JsonObject { ["EIP712Domain"] = Types(DomainMembers), [primaryType] = Types(members) },
            ["primaryType"] = primaryType,
            ["domain"] = new JsonObject { ["name"] = Name, ["version"] = Version, ["chainId"] = chainId, ["verifyingContract"] = contract.ToString() },
            ["message"] = message,
        };
        return json.ToJsonString();
    }

    private static string TypeString(string name, IEnumerable<(string Name, string Type)> members) =>
        $"{name}({string.Join(',', members.Select(m => $"{m.Type} {m.Name}"))})";

    private static byte[] Typed(byte[] domainSeparator, byte[] structHash) => Keccak256.Hash([0x19, 0x01, .. domainSeparator, .. structHash]);

    private static byte[] StringArrayHash(IReadOnlyList<string> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        return Keccak256.Hash(items.SelectMany(s => Keccak256.Hash(Encoding.UTF8.GetBytes(s ?? throw new ArgumentException("A list item is null.", nameof(items))))).ToArray());
    }

    internal static byte[] Bytes32(string hex)
    {
        var bytes = Hex.Decode(hex ?? throw new FormatException("A 32-byte value is required."));
        return bytes.Length == 32 ? bytes : throw new FormatException($"Expected 32 bytes of hex, got {bytes.Length}.");
    }

    private static byte[] Word(Address address)
    {
        var word = new byte[32];
        address.WriteTo(word.AsSpan(12));
        return word;
    }

    private static byte[] Uint(ulong value)
    {
        var word = new byte[32];
        BinaryPrimitives.WriteUInt64BigEndian(word.AsSpan(24), value);
        return word;
    }

    private static ulong UnixSeconds(DateTimeOffset at) => checked((ulong)at.ToUnixTimeSeconds());
}
