using Nethereum.Util;

namespace Cuckoo.Chain;

/// <summary>Keccak-256 (Ethereum's SHA-3 variant), from <c>Nethereum.Util.Sha3Keccack</c>.</summary>
public static class Keccak256
{
    public const int Size = 32;

    public static byte[] Hash(ReadOnlySpan<byte> data) => Sha3Keccack.Current.CalculateHash(data.ToArray());

    /// <summary>The hash of the UTF-8 bytes of <paramref name="text"/>.</summary>
    public static byte[] Hash(string text) => Hash(System.Text.Encoding.UTF8.GetBytes(text));
}
