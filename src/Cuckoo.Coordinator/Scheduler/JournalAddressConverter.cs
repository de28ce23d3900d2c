using System.Text.Json;
using System.Text.Json.Serialization;
using Address = Cuckoo.Chain.Address;

namespace Cuckoo.Coordinator.Scheduler;

/// <summary>
/// Writes an address in the journal as 0x-prefixed lowercase hex, and reads that form without the EIP-55 check; any
/// other form (the checksummed one older rows hold) goes through <see cref="Address.Parse"/>. The checksum costs a
/// Keccak hash each way, about 2 µs, paid for every assignment and result, and only a person typing an address needs it.
/// </summary>
public sealed class JournalAddressConverter : JsonConverter<Address>
{
    private const int HexLength = 2 + 2 * Address.Size;

    public override Address Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.String && !reader.HasValueSequence && !reader.ValueIsEscaped
            && reader.ValueSpan is { Length: HexLength } utf8 && utf8[0] == '0' && utf8[1] == 'x' && IsLowerHex(utf8[2..]))
        {
            Span<char> chars = stackalloc char[HexLength - 2];
            for (var i = 0; i < chars.Length; i++)
            {
                chars[i] = (char)utf8[i + 2];
            }
            Span<byte> bytes = stackalloc byte[Address.Size];
            Convert.FromHexString(chars, bytes, out _, out _);
            return Address.FromBytes(bytes);
        }
        var text = reader.GetString();
        return Address.TryParse(text, out var address) ? address : throw new JsonException($"'{text}' is not an address.");
    }

    public override void Write(Utf8JsonWriter writer, Address value, JsonSerializerOptions options)
    {
        Span<byte> bytes = stackalloc byte[Address.Size];
        value.WriteTo(bytes);
        Span<char> chars = stackalloc char[HexLength];
        chars[0] = '0';
        chars[1] = 'x';
        Convert.TryToHexStringLower(bytes, chars[2..], out _);
        writer.WriteStringValue(chars);
    }

    private static bool IsLowerHex(ReadOnlySpan<byte> digits)
    {
        foreach (var b in digits)
        {
            if (b is not ((>= (byte)'0' and <= (byte)'9') or (>= (byte)'a' and <= (byte)'f')))
            {
                return false;
            }
        }
        return true;
    }
}

/// <summary>A list of addresses in <see cref="JournalAddressConverter"/>'s form.</summary>
public sealed class JournalAddressListConverter : JsonConverter<IReadOnlyList<Address>>
{
    private static readonly JournalAddressConverter One = new();

    public override IReadOnlyList<Address> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new JsonException("Expected an array of addresses.");
        }
        var list = new List<Address>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            list.Add(One.Read(ref reader, typeof(Address), options));
        }
        return list;
    }

    public override void Write(Utf8JsonWriter writer, IReadOnlyList<Address> value, JsonSerializerOptions options)
    {
        writer.WriteStartArray();
        foreach (var address in value)
        {
            One.Write(writer, address, options);
        }
        writer.WriteEndArray();
    }
}
