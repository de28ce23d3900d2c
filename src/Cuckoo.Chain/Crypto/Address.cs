using System.Buffers.Binary;
using System.Text.Json;
using System.Text.Json.Serialization;
using Nethereum.Hex.HexConvertors.Extensions;
using Nethereum.Util;

namespace Cuckoo.Chain;

/// <summary>
/// A 20-byte Ethereum address. Formats with the EIP-55 checksum; parsing rejects mixed case whose checksum is wrong.
/// </summary>
[JsonConverter(typeof(AddressJsonConverter))]
public readonly struct Address : IEquatable<Address>, IComparable<Address>
{
    public const int Size = 20;

    // Three words instead of an array: a value type with free equality and no allocation.
    private readonly ulong _a;
    private readonly ulong _b;
    private readonly uint _c;

    private Address(ReadOnlySpan<byte> bytes)
    {
        _a = BinaryPrimitives.ReadUInt64BigEndian(bytes);
        _b = BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]);
        _c = BinaryPrimitives.ReadUInt32BigEndian(bytes[16..]);
    }

    public static Address Zero => default;

    public bool IsZero => _a == 0 && _b == 0 && _c == 0;

    /// <exception cref="ArgumentException">not 20 bytes.</exception>
    public static Address FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Size)
        {
            throw new ArgumentException($"An address is 20 bytes, not {bytes.Length}.", nameof(bytes));
        }
        return new Address(bytes);
    }

    /// <summary>The address of a public key: the last 20 bytes of keccak256(x‖y).</summary>
    /// <param name="publicKey">64 bytes x‖y or 65 bytes 04‖x‖y.</param>
    public static Address FromPublicKey(ReadOnlySpan<byte> publicKey)
    {
        if (publicKey.Length == 65 && publicKey[0] == 0x04)
        {
            publicKey = publicKey[1..];
        }
        if (publicKey.Length != 64)
        {
            throw new ArgumentException("A public key is 64 bytes x‖y or 65 bytes 04‖x‖y.", nameof(publicKey));
        }
        return new Address(Keccak256.Hash(publicKey).AsSpan(12));
    }

    /// <summary>Parses a 0x-prefixed (or bare) 40-digit hex address.</summary>
    /// <exception cref="FormatException">not 20 bytes of hex, or mixed case with a wrong EIP-55 checksum.</exception>
    public static Address Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return TryParse(text, out var address, out var error) ? address : throw new FormatException(error);
    }

    public static bool TryParse(string? text, out Address address) => TryParse(text, out address, out _);

    private static bool TryParse(string? text, out Address address, out string error)
    {
        address = default;
        if (text is null)
        {
            error = "An address is required.";
            return false;
        }
        var trimmed = text.Trim();
        var digits = trimmed.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? trimmed[2..] : trimmed;
        if (digits.Length != 40)
        {
            error = $"'{Hex.Shorten(text)}' is not an address: expected 40 hex digits, got {digits.Length}.";
            return false;
        }
        if (!digits.IsHex())
        {
            error = $"'{Hex.Shorten(text)}' is not an address: it has characters that are not hex digits.";
            return false;
        }
        var candidate = new Address(digits.HexToByteArray());
        var hasLower = digits.Any(ch => ch is >= 'a' and <= 'f');
        var hasUpper = digits.Any(ch => ch is >= 'A' and <= 'F');
        if (hasLower && hasUpper && !AddressUtil.Current.IsChecksumAddress("0x" + digits))
        {
            error = $"'{text}' has a bad EIP-55 checksum (mistyped?); expected {candidate}.";
            return false;
        }
        address = candidate;
        error = "";
        return true;
    }

    public void WriteTo(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt64BigEndian(destination, _a);
        BinaryPrimitives.WriteUInt64BigEndian(destination[8..], _b);
        BinaryPrimitives.WriteUInt32BigEndian(destination[16..], _c);
    }

    public byte[] ToBytes()
    {
        var bytes = new byte[Size];
        WriteTo(bytes);
        return bytes;
    }

    /// <summary>0x-prefixed lowercase hex (the form JSON-RPC nodes return).</summary>
    public string ToLowerHex() => ToBytes().ToHex(prefix: true);

    /// <summary>The EIP-55 checksummed form (Nethereum's <c>AddressUtil</c>).</summary>
    public override string ToString() => AddressUtil.Current.ConvertToChecksumAddress(ToLowerHex());

    public bool Equals(Address other) => _a == other._a && _b == other._b && _c == other._c;

    public override bool Equals(object? obj) => obj is Address other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(_a, _b, _c);

    public int CompareTo(Address other)
    {
        var c = _a.CompareTo(other._a);
        if (c != 0)
        {
            return c;
        }
        c = _b.CompareTo(other._b);
        return c != 0 ? c : _c.CompareTo(other._c);
    }

    public static bool operator ==(Address left, Address right) => left.Equals(right);

    public static bool operator !=(Address left, Address right) => !left.Equals(right);
}

/// <summary>Reads any valid address form; writes the checksummed one.</summary>
public sealed class AddressJsonConverter : JsonConverter<Address>
{
    public override Address Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.GetString();
        return Address.TryParse(text, out var address) ? address : throw new JsonException($"'{text}' is not an address.");
    }

    public override void Write(Utf8JsonWriter writer, Address value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.ToString());
}
