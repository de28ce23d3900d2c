using Org.BouncyCastle.Crypto.Digests;

namespace Cuckoo.Chain;

/// <summary>Keccak-256 as Ethereum uses it (the pre-standard padding, not SHA3-256).</summary>
public static class Keccak256
{
    public const int Size = 32;

    // One digest per thread: KeccakDigest is stateful and creating one per call costs more than hashing a short input.
    [ThreadStatic] private static KeccakDigest? _digest;

    public static byte[] Hash(ReadOnlySpan<byte> data)
    {
        var result = new byte[Size];
        Hash(data, result);
        return result;
    }

    /// <summary>Hashes the UTF-8 bytes of <paramref name="text"/>.</summary>
    public static byte[] Hash(string text) => Hash(System.Text.Encoding.UTF8.GetBytes(text));

    public static void Hash(ReadOnlySpan<byte> data, Span<byte> destination)
    {
        if (destination.Length < Size)
        {
            throw new ArgumentException("The destination needs 32 bytes.", nameof(destination));
        }
        var digest = _digest ??= new KeccakDigest(256);
        digest.Reset();
        // This BouncyCastle version takes arrays only.
        var input = data.ToArray();
        digest.BlockUpdate(input, 0, input.Length);
        var output = new byte[Size];
        digest.DoFinal(output, 0);
        output.CopyTo(destination);
    }
}
