using System.Numerics;
using System.Text;
using System.Text.Json.Nodes;

namespace Cuckoo.Chain.Tests.Support;

/// <summary>Random ABI types and values (seeded), and their JSON form for ethers.</summary>
internal sealed class AbiSamples(int seed)
{
    private static readonly string Alphabet = "abcXYZ 019_-ßé€中😀";

    public Random Random { get; } = new(seed);

    public AbiType Type(int depth = 0)
    {
        var pick = Random.Next(depth >= 2 ? 8 : 11);
        return pick switch
        {
            0 => AbiType.Uint(8 * (1 + Random.Next(32))),
            1 => AbiType.Int(8 * (1 + Random.Next(32))),
            2 => AbiType.Address,
            3 => AbiType.Bool,
            4 => AbiType.FixedBytes(1 + Random.Next(32)),
            5 => AbiType.Bytes,
            6 => AbiType.String,
            7 => AbiType.Uint(256),
            8 => AbiType.ArrayOf(Type(depth + 1)),
            9 => AbiType.FixedArrayOf(Type(depth + 1), 1 + Random.Next(3)),
            _ => AbiType.Tuple(Enumerable.Range(0, 1 + Random.Next(3)).Select(_ => Type(depth + 1)).ToArray()),
        };
    }

    public object Value(AbiType type) => type.Kind switch
    {
        AbiKind.Uint => UnsignedOf(type.Size),
        AbiKind.Int => UnsignedOf(type.Size) - (BigInteger.One << (type.Size - 1)),
        AbiKind.Address => Address.FromBytes(Bytes(20)),
        AbiKind.Bool => Random.Next(2) == 1,
        AbiKind.FixedBytes => Bytes(type.Size),
        AbiKind.Bytes => Bytes(Random.Next(3) == 0 ? 0 : Random.Next(70)),
        AbiKind.String => Text(),
        AbiKind.Array => Enumerable.Range(0, Random.Next(4)).Select(_ => Value(type.Element!)).ToArray(),
        AbiKind.FixedArray => Enumerable.Range(0, type.Length).Select(_ => Value(type.Element!)).ToArray(),
        _ => type.Components.Select(c => Value(c.Type)).ToArray(),
    };

    public byte[] Bytes(int length)
    {
        var bytes = new byte[length];
        Random.NextBytes(bytes);
        return bytes;
    }

    public string Text()
    {
        var sb = new StringBuilder();
        var length = Random.Next(3) == 0 ? 0 : Random.Next(50);
        var runes = Alphabet.EnumerateRunes().ToArray();
        for (var i = 0; i < length; i++)
        {
            sb.Append(runes[Random.Next(runes.Length)].ToString());
        }
        return sb.ToString();
    }

    private BigInteger UnsignedOf(int bits)
    {
        // Edges matter most: zero, the maximum, and the sign boundary.
        var max = (BigInteger.One << bits) - 1;
        return Random.Next(6) switch
        {
            0 => BigInteger.Zero,
            1 => max,
            2 => BigInteger.One << (bits - 1),
            3 => new BigInteger(Random.Next(1000)) & max,
            _ => new BigInteger(Bytes(bits / 8), isUnsigned: true, isBigEndian: true),
        };
    }

    /// <summary>The value as ethers takes it (and as our normalized decoding is compared): integers as decimal strings.</summary>
    public static JsonNode? ToJson(object? value) => value switch
    {
        null => null,
        BigInteger b => JsonValue.Create(b.ToString()),
        Address a => JsonValue.Create(a.ToString()),
        bool b => JsonValue.Create(b),
        byte[] bytes => JsonValue.Create(Hex.Encode(bytes)),
        string s => JsonValue.Create(s),
        object?[] items => new JsonArray(items.Select(ToJson).ToArray()),
        _ => throw new ArgumentException($"No JSON form for {value.GetType()}"),
    };
}
