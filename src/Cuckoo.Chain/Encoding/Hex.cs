using System.Numerics;
using Nethereum.Hex.HexConvertors.Extensions;
using Nethereum.Hex.HexTypes;

namespace Cuckoo.Chain;

/// <summary>
/// 0x-hex for byte strings and quantities. The conversions are Nethereum's (<c>Nethereum.Hex</c>); this class only
/// adds strictness (an odd number of digits or a non-hex character is a <see cref="FormatException"/>, where
/// Nethereum would pad or guess) and short error messages.
/// </summary>
public static class Hex
{
    /// <summary>Lowercase hex, <c>0x</c>-prefixed unless <paramref name="prefix"/> is false.</summary>
    public static string Encode(ReadOnlySpan<byte> bytes, bool prefix = true) => bytes.ToArray().ToHex(prefix);

    /// <exception cref="FormatException">odd length or a character that is not a hex digit.</exception>
    public static byte[] Decode(string hex)
    {
        ArgumentNullException.ThrowIfNull(hex);
        return TryDecode(hex, out var bytes)
            ? bytes
            : throw new FormatException($"'{Shorten(hex)}' is not a hex byte string (even number of hex digits, optional 0x).");
    }

    public static bool TryDecode(string? hex, out byte[] bytes)
    {
        bytes = [];
        if (hex is null)
        {
            return false;
        }
        var digits = hex.RemoveHexPrefix();
        if (digits.Length % 2 != 0 || !digits.IsHex())
        {
            return false;
        }
        bytes = digits.HexToByteArray();
        return true;
    }

    /// <summary>A JSON-RPC quantity: <c>0x0</c>, <c>0x1a</c> (no leading zeros).</summary>
    public static string EncodeQuantity(BigInteger value)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(value);
        return new HexBigInteger(value).HexValue;
    }

    /// <exception cref="FormatException">not 0x-prefixed hex digits.</exception>
    public static BigInteger DecodeQuantity(string hex)
    {
        ArgumentNullException.ThrowIfNull(hex);
        var digits = hex.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? hex[2..] : null;
        if (string.IsNullOrEmpty(digits) || !digits.IsHex())
        {
            throw new FormatException($"'{Shorten(hex)}' is not a hex quantity.");
        }
        return new HexBigInteger("0x" + digits).Value;
    }

    internal static string Shorten(string text) => text.Length <= 80 ? text : text[..77] + "...";
}
