using System.Numerics;
using Cuckoo.Chain;
using Address = Cuckoo.Chain.Address;

namespace Cuckoo.Coordinator.Trust;

/// <summary>
/// The contract's <c>_recover</c> in C#: 65 bytes r‖s‖v, v 27 or 28, s in the lower half, and a signer at all.
/// Anything else is what the contract calls <c>InvalidSignature</c>.
/// </summary>
internal static class ContractSignature
{
    // secp256k1n / 2, the contract's HALF_ORDER.
    private static readonly BigInteger HalfOrder =
        BigInteger.Parse("7FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF5D576E7357A4501DDFE92F46681B20A0", System.Globalization.NumberStyles.HexNumber);

    public static bool TryRecover(byte[] digest, byte[]? signature, out Address signer)
    {
        signer = Address.Zero;
        if (signature is not { Length: 65 } || signature[64] is not (27 or 28))
        {
            return false;
        }
        var s = new BigInteger(signature.AsSpan(32, 32), isUnsigned: true, isBigEndian: true);
        if (s > HalfOrder)
        {
            return false;
        }
        try
        {
            signer = EthSignature.FromBytes(signature).RecoverAddress(digest);
            return !signer.IsZero;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    /// <summary>Whether <paramref name="signatureHex"/> decodes to bytes that recover to <paramref name="expected"/>.</summary>
    public static bool IsBy(byte[] digest, string? signatureHex, Address expected) =>
        Hex.TryDecode(signatureHex, out var bytes) && TryRecover(digest, bytes, out var signer) && signer == expected;
}
