using System.Numerics;
using Nethereum.Signer;
using Nethereum.Signer.Crypto;

namespace Cuckoo.Chain;

/// <summary>
/// Where the curve arithmetic runs. Nethereum signs and recovers with BouncyCastle's big-integer points unless
/// <see cref="EthECKey.SignRecoverable"/> is set, when it uses NBitcoin.Secp256k1 (libsecp256k1's algorithms in
/// C#: constant-time signing, and recovery about twice as fast). We always set it.
/// </summary>
internal static class Secp256k1Backend
{
    /// <summary>The order n of the curve's group.</summary>
    public static readonly BigInteger N = BigInteger.Parse("0" + ECKey.CURVE_ORDER.ToString(16), System.Globalization.NumberStyles.HexNumber);

    public static readonly BigInteger HalfN = N / 2;

    public static void Use() => EthECKey.SignRecoverable = true;

    public static bool IsValidPrivateKey(ReadOnlySpan<byte> key)
    {
        var d = new BigInteger(key, isUnsigned: true, isBigEndian: true);
        return key.Length == 32 && d.Sign > 0 && d < N;
    }
}
