using System.Globalization;
using System.Numerics;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Cuckoo.Chain;

/// <summary>The JSON conventions of Ethereum JSON-RPC: quantities and data as 0x-hex, camelCase names.</summary>
public static class RpcJson
{
    /// <summary>Serializer options with the hex converters; use them to read raw results into your own records.</summary>
    public static JsonSerializerOptions Options { get; } = CreateOptions();

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            PropertyNameCaseInsensitive = true,
        };
        options.Converters.Add(new HexBigIntegerConverter());
        options.Converters.Add(new HexLongConverter());
        options.Converters.Add(new HexBytesConverter());
        options.Converters.Add(new BlockParameterConverter());
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}

/// <summary>Reads a hex quantity, a decimal string or a JSON number; writes a hex quantity.</summary>
public sealed class HexBigIntegerConverter : JsonConverter<BigInteger>
{
    public override BigInteger Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Number)
        {
            return BigInteger.Parse(System.Text.Encoding.UTF8.GetString(reader.ValueSpan), NumberStyles.Integer, CultureInfo.InvariantCulture);
        }
        var text = reader.GetString() ?? throw new JsonException("Expected a quantity, got null.");
        try
        {
            return text.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
                ? Hex.DecodeQuantity(text)
                : BigInteger.Parse(text, NumberStyles.Integer, CultureInfo.InvariantCulture);
        }
        catch (FormatException ex)
        {
            throw new JsonException($"'{text}' is not a quantity.", ex);
        }
    }

    public override void Write(Utf8JsonWriter writer, BigInteger value, JsonSerializerOptions options) =>
        writer.WriteStringValue(Hex.EncodeQuantity(value));
}

/// <summary>Block numbers, indexes and timestamps: hex quantity or number in, hex quantity out.</summary>
public sealed class HexLongConverter : JsonConverter<long>
{
    public override long Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Number)
        {
            return reader.GetInt64();
        }
        var value = new HexBigIntegerConverter().Read(ref reader, typeof(BigInteger), options);
        return value >= long.MinValue && value <= long.MaxValue ? (long)value : throw new JsonException($"{value} does not fit in 64 bits.");
    }

    public override void Write(Utf8JsonWriter writer, long value, JsonSerializerOptions options) =>
        writer.WriteStringValue(Hex.EncodeQuantity(value));
}

/// <summary>Byte strings as 0x-hex.</summary>
public sealed class HexBytesConverter : JsonConverter<byte[]>
{
    public override byte[] Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.GetString() ?? throw new JsonException("Expected hex data, got null.");
        return Hex.TryDecode(text, out var bytes) ? bytes : throw new JsonException($"'{Hex.Shorten(text)}' is not hex data.");
    }

    public override void Write(Utf8JsonWriter writer, byte[] value, JsonSerializerOptions options) =>
        writer.WriteStringValue(Hex.Encode(value));
}

internal sealed class BlockParameterConverter : JsonConverter<BlockParameter>
{
    public override BlockParameter Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        BlockParameter.Parse(reader.GetString() ?? "latest");

    public override void Write(Utf8JsonWriter writer, BlockParameter value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.ToString());
}
