using System.Numerics;
using Org.BouncyCastle.Crypto.EC;
using BcBigInteger = Org.BouncyCastle.Math.BigInteger;

namespace Cuckoo.Chain.Tests;

/// <summary>Our secp256k1 arithmetic against BouncyCastle's and against BigInteger, edges included.</summary>
public sealed class CurveMathTests
{
    private static readonly BigInteger P = (BigInteger.One << 256) - (BigInteger.One << 32) - 977;
    private static readonly BigInteger N = Secp256k1.NNet;

    private static FieldElement Fe(BigInteger value)
    {
        Span<byte> bytes = stackalloc byte[32];
        Hex.WriteFixed(value, bytes);
        // Values up to 2^256 − 1 are allowed internally even when not below p.
        return new FieldElement(
            System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(bytes[24..]),
            System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(bytes[16..]),
            System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]),
            System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(bytes));
    }

    private static BigInteger Value(FieldElement fe)
    {
        Span<byte> bytes = stackalloc byte[32];
        fe.WriteBytes(bytes);
        return new BigInteger(bytes, isUnsigned: true, isBigEndian: true);
    }

    private static IEnumerable<BigInteger> Samples(int seed, BigInteger max)
    {
        var random = new Random(seed);
        var top = (BigInteger.One << 256) - 1;
        yield return 0;
        yield return 1;
        yield return P - 1;
        yield return P;
        yield return P + 1;
        yield return top;
        yield return N - 1;
        yield return BigInteger.One << 255;
        for (var i = 0; i < 300; i++)
        {
            var bytes = new byte[32];
            random.NextBytes(bytes);
            yield return BigInteger.Min(new BigInteger(bytes, isUnsigned: true, isBigEndian: true), max);
        }
    }

    [Fact]
    public void Field_arithmetic_matches_big_integers_modulo_p()
    {
        var top = (BigInteger.One << 256) - 1;
        var values = Samples(1, top).ToArray();
        var others = Samples(2, top).ToArray();
        for (var i = 0; i < values.Length; i++)
        {
            var a = values[i];
            var b = others[(i * 7) % others.Length];
            Assert.Equal((a + b) % P, Value(Fe(a) + Fe(b)));
            Assert.Equal((((a - b) % P) + P) % P, Value(Fe(a) - Fe(b)));
            Assert.Equal(a * b % P, Value(Fe(a) * Fe(b)));
            Assert.Equal(a * a % P, Value(Fe(a).Square()));
            if (a % P != 0)
            {
                Assert.Equal(BigInteger.One, Value(Fe(a).Invert() * Fe(a)));
            }
        }
    }

    [Fact]
    public void Scalar_inversion_matches_fermat()
    {
        foreach (var a in Samples(3, N - 1).Where(a => a > 0 && a < N))
        {
            Assert.Equal(BigInteger.One, ScalarN.Invert(a) * a % N);
        }
    }

    [Fact]
    public void Base_point_multiples_match_bouncycastle()
    {
        var curve = CustomNamedCurves.GetByName("secp256k1");
        foreach (var k in Samples(4, N - 1).Where(k => k > 0 && k < N).Take(60).Append(N - 1).Append(2).Append(3))
        {
            var ours = CurveMath.MultiplyG(k).ToAffine();
            var theirs = curve.G.Multiply(new BcBigInteger(1, k.ToByteArray(isUnsigned: true, isBigEndian: true))).Normalize();
            Assert.Equal(Secp256k1.ToNet(theirs.AffineXCoord.ToBigInteger()), Value(ours.X));
            Assert.Equal(Secp256k1.ToNet(theirs.AffineYCoord.ToBigInteger()), Value(ours.Y));
        }
        Assert.True(CurveMath.MultiplyG(N).IsInfinity);
    }

    [Fact]
    public void Recovery_matches_bouncycastle_verification()
    {
        var curve = CustomNamedCurves.GetByName("secp256k1");
        var domain = new Org.BouncyCastle.Crypto.Parameters.ECDomainParameters(curve.Curve, curve.G, curve.N, curve.H);
        var random = new Random(5);
        for (var i = 0; i < 40; i++)
        {
            var key = EthKey.Generate();
            var hash = new byte[32];
            random.NextBytes(hash);
            if (i == 0)
            {
                // A hash above n exercises the reduction of e.
                Array.Fill(hash, (byte)0xff);
            }
            var signature = key.Sign(hash);
            var verifier = new Org.BouncyCastle.Crypto.Signers.ECDsaSigner();
            verifier.Init(false, new Org.BouncyCastle.Crypto.Parameters.ECPublicKeyParameters(curve.Curve.DecodePoint(key.PublicKey), domain));
            Assert.True(verifier.VerifySignature(hash, new BcBigInteger(1, signature.RBytes()), new BcBigInteger(1, signature.SBytes())));
            Assert.Equal(Hex.Encode(key.PublicKey), Hex.Encode(EcRecover.RecoverPublicKey(hash, signature)));
            // The other recovery id gives another key, never an error.
            var flipped = new EthSignature(signature.R, signature.S, signature.RecoveryId ^ 1);
            Assert.NotEqual(key.Address, EcRecover.RecoverAddress(hash, flipped));
        }
    }

    [Fact]
    public void Endomorphism_constants_and_scalar_split_are_consistent()
    {
        // λ·G = (β·Gx, Gy), and λ³ ≡ 1 (mod n).
        var lambdaG = CurveMath.MultiplyG(CurveMath.Lambda).ToAffine();
        Assert.Equal(Value(CurveMath.G.X * CurveMath.Beta), Value(lambdaG.X));
        Assert.Equal(Value(CurveMath.G.Y), Value(lambdaG.Y));
        Assert.Equal(BigInteger.One, BigInteger.ModPow(CurveMath.Lambda, 3, N));
        var bound = BigInteger.One << 129;
        foreach (var k in Samples(6, N - 1).Where(k => k < N))
        {
            var (k1, k2) = CurveMath.Split(k);
            Assert.Equal(k, (((k1 + (k2 * CurveMath.Lambda)) % N) + N) % N);
            Assert.True(BigInteger.Abs(k1) < bound && BigInteger.Abs(k2) < bound, $"split of {k} is not short");
        }
    }
}
