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
        // One letter recased; but a recasing that leaves the text all lower or all upper case is a valid (unchecked)
        // address, so the next letter is tried then.
        var text = address.ToString().ToCharArray();
        for (var i = 2; i < text.Length; i++)
        {
            if (!char.IsAsciiLetter(text[i]))
            {
                continue;
            }
            var original = text[i];
            text[i] = char.IsUpper(original) ? char.ToLowerInvariant(original) : char.ToUpperInvariant(original);
            if (!Address.TryParse(new string(text), out _))
            {
                return new string(text);
            }
            text[i] = original;
        }
        throw new InvalidOperationException($"no recasing of {address} breaks its checksum");
    }
}
