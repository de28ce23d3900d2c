using System.Numerics;
using Org.BouncyCastle.Crypto.EC;
using BcBigInteger = Org.BouncyCastle.Math.BigInteger;

namespace Cuckoo.Chain;

/// <summary>The secp256k1 group order, in the two big-integer types the code meets it in.</summary>
internal static class Secp256k1
{
    // BouncyCastle's form: the RFC 6979 nonce generator works in it.
    internal static readonly BcBigInteger N = CustomNamedCurves.GetByName("secp256k1").N;
    internal static readonly BigInteger NNet = ToNet(N);
    internal static readonly BigInteger HalfNNet = NNet >> 1;

    internal static BigInteger ToNet(BcBigInteger value) =>
        new(value.ToByteArrayUnsigned(), isUnsigned: true, isBigEndian: true);
}
