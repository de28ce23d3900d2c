using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Cuckoo.Chain;
using Cuckoo.Cluster.Membership;

namespace Cuckoo.Cluster.Tests.Membership;

/// <summary>Admissions and revocations as a coordinator key signs them, for tests.</summary>
internal static class Signed
{
    public static MinerAdmitted Admission(EthKey key, Address miner, string thumbprint, long atMs, string node = "127.0.0.1:5001") =>
        AdmissionLedger.Sign(key, Unsigned(miner, thumbprint, node) with { AdmittedAtMs = atMs });

    public static MinerRevoked Revocation(EthKey key, Address miner, string thumbprint, long atMs, string reason = "test") =>
        AdmissionLedger.Sign(key, new MinerRevoked(miner.ToString(), thumbprint, reason, atMs, ""));

    /// <summary>What enrolment hands the keeper: no time and no signature yet (the keeper adds both).</summary>
    public static MinerAdmitted Unsigned(Address miner, string thumbprint, string node) =>
        new(miner.ToString(), thumbprint, node, ["resnet50", "whisper-small"], 4, "cuda", "0.9.0", 0, "");

    /// <summary>A well-formed certificate thumbprint (64 lowercase hex), the same for the same number.</summary>
    public static string Thumbprint(int n) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(n.ToString(CultureInfo.InvariantCulture))));

    /// <summary>The checksummed address with its first letter's case flipped: the same 20 bytes, a checksum that fails.</summary>
    public static string BadChecksum(Address address)
    {
        var text = address.ToString().ToCharArray();
        var i = Array.FindIndex(text, 2, char.IsAsciiLetter);
        text[i] = char.IsUpper(text[i]) ? char.ToLowerInvariant(text[i]) : char.ToUpperInvariant(text[i]);
        return new string(text);
    }
}
