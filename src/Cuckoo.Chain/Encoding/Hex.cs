using System.Globalization;
using System.Numerics;

namespace Cuckoo.Chain;

/// <summary>Hex strings as Ethereum writes them: lowercase, <c>0x</c>-prefixed; quantities without leading zeros.</summary>
public static class Hex
{
    /// <summary>Lowercase hex of <paramref name="bytes"/>, with <c>0x</c> unless <paramref name="prefix"/> is false.</summary>
    public static string Encode(ReadOnlySpan<byte> bytes, bool prefix = true)
    {
        var hex = Convert.ToHexStringLower(bytes);
        return prefix ? "0x" + hex : hex;
    }

    /// <summary>Bytes of a hex string; the <c>0x</c> prefix is optional.</summary>
    /// <exception cref="FormatException">odd length or a character that is not a hex digit.</exception>
    public static byte[] Decode(string hex)
    {
        ArgumentNullException.ThrowIfNull(hex);
        if (!TryDecode(hex, out var bytes))
        {
            throw new FormatException($"'{Shorten(hex)}' is not a hex byte string (even number of hex digits, optional 0x).");
        }
        return bytes;
    }

    public static bool TryDecode(string? hex, out byte[] bytes)
    {
        bytes = [];
        if (hex is null)
        {
            return false;
        }
        var span = Strip(hex.AsSpan());
        if (span.Length % 2 != 0)
        {
            return false;
        }
        var result = new byte[span.Length / 2];
        if (Convert.FromHexString(span, result, out _, out var written) != System.Buffers.OperationStatus.Done || written != result.Length)
        {
            return false;
        }
        bytes = result;
        return true;
    }

    /// <summary>A JSON-RPC quantity: <c>0x0</c> for zero, otherwise no leading zeros.</summary>
    /// <exception cref="ArgumentOutOfRangeException">a negative value.</exception>
    public static string EncodeQuantity(BigInteger value)
    {
        if (value.Sign < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "A quantity cannot be negative.");
        }
        if (value.IsZero)
        {
            return "0x0";
        }
        var hex = Convert.ToHexStringLower(value.ToByteArray(isUnsigned: true, isBigEndian: true)).TrimStart('0');
        return "0x" + hex;
    }

    /// <summary>Parses a hex quantity (<c>0x</c> optional, leading zeros and odd length allowed).</summary>
    /// <exception cref="FormatException">not a hex number.</exception>
    public static BigInteger DecodeQuantity(string hex)
    {
        ArgumentNullException.ThrowIfNull(hex);
        var span = Strip(hex.AsSpan());
        if (span.Length == 0)
        {
            throw new FormatException($"'{Shorten(hex)}' is not a hex quantity.");
        }
        // A leading 0 keeps BigInteger from reading the top bit as a sign.
        if (!BigInteger.TryParse(string.Concat("0", span), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var value))
        {
            throw new FormatException($"'{Shorten(hex)}' is not a hex quantity.");
        }
        return value;
    }

    /// <summary>Unsigned big-endian bytes of <paramref name="value"/> without leading zeros (empty for zero).</summary>
    public static byte[] ToMinimalBytes(BigInteger value)
    {
        if (value.Sign < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "Value cannot be negative.");
        }
        return value.IsZero ? [] : value.ToByteArray(isUnsigned: true, isBigEndian: true);
    }

    /// <summary>Unsigned big-endian bytes of <paramref name="value"/> left-padded to <paramref name="size"/>.</summary>
    public static byte[] ToFixedBytes(BigInteger value, int size)
    {
        var result = new byte[size];
        WriteFixed(value, result);
        return result;
    }

    internal static void WriteFixed(BigInteger value, Span<byte> destination)
    {
        destination.Clear();
        var count = value.GetByteCount(isUnsigned: true);
        if (value.Sign < 0 || count > destination.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(value), $"Value does not fit in {destination.Length} unsigned bytes.");
        }
        if (!value.IsZero)
        {
            value.TryWriteBytes(destination[(destination.Length - count)..], out _, isUnsigned: true, isBigEndian: true);
        }
    }

    internal static ReadOnlySpan<char> Strip(ReadOnlySpan<char> hex) =>
        hex.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? hex[2..] : hex;

    internal static string Shorten(string text) => text.Length <= 80 ? text : text[..77] + "...";
}
