using System.Globalization;
using System.Numerics;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Cuckoo.Coordinator.Admin;

/// <summary>The admin endpoints' JSON, fixed here rather than taken from the host, so that the CLI reads what it expects.</summary>
public static class AdminJson
{
    public static readonly JsonSerializerOptions Options = Create();

    /// <summary>camelCase, nulls written, BigInteger as a decimal string.</summary>
    public static JsonSerializerOptions Create() => new(JsonSerializerDefaults.Web) { Converters = { new BigIntegerStringConverter() } };
}

/// <summary>Wei amounts as decimal strings: a JSON number loses precision past 2^53 in most readers.</summary>
public sealed class BigIntegerStringConverter : JsonConverter<BigInteger>
{
    public override BigInteger Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.TokenType == JsonTokenType.Number ? Encoding(ref reader) : reader.GetString();
        return BigInteger.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new JsonException($"'{text}' is not an integer");
    }

    public override void Write(Utf8JsonWriter writer, BigInteger value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.ToString(CultureInfo.InvariantCulture));

    private static string Encoding(ref Utf8JsonReader reader) => reader.HasValueSequence
        ? System.Text.EncodingExtensions.GetString(System.Text.Encoding.UTF8, reader.ValueSequence)
        : System.Text.Encoding.UTF8.GetString(reader.ValueSpan);
}
