using System.Buffers;
using System.Collections;
using System.Numerics;
using System.Text;

namespace Cuckoo.Chain;

/// <summary>A value does not fit its ABI type (wrong kind, out of range, wrong length).</summary>
public sealed class AbiEncodingException(string message, Exception? inner = null) : ArgumentException(message, inner);

/// <summary>Standard (non-packed) ABI encoding, as for calldata and return data.</summary>
internal static class AbiEncoder
{
    public static byte[] EncodeTuple(IReadOnlyList<AbiType> types, IReadOnlyList<object?> values)
    {
        if (types.Count != values.Count)
        {
            throw new AbiEncodingException($"Expected {types.Count} values for ({string.Join(",", types)}), got {values.Count}.");
        }
        var writer = new ArrayBufferWriter<byte>(32 * Math.Max(1, types.Count));
        WriteTuple(writer, types, values, "");
        return writer.WrittenSpan.ToArray();
    }

    private static void WriteTuple(ArrayBufferWriter<byte> output, IReadOnlyList<AbiType> types, IReadOnlyList<object?> values, string path)
    {
        var headSize = 0;
        foreach (var type in types)
        {
            headSize += type.HeadSize;
        }
        var heads = new ArrayBufferWriter<byte>(Math.Max(headSize, 1));
        var tails = new ArrayBufferWriter<byte>();
        for (var i = 0; i < types.Count; i++)
        {
            var type = types[i];
            var itemPath = path.Length == 0 ? $"value {i}" : $"{path}[{i}]";
            if (type.IsDynamic)
            {
                WriteUint(heads, (BigInteger)(headSize + tails.WrittenCount));
                WriteValue(tails, type, values[i], itemPath);
            }
            else
            {
                WriteValue(heads, type, values[i], itemPath);
            }
        }
        output.Write(heads.WrittenSpan);
        output.Write(tails.WrittenSpan);
    }

    private static void WriteValue(ArrayBufferWriter<byte> output, AbiType type, object? value, string path)
    {
        if (value is null)
        {
            throw new AbiEncodingException($"{path} ({type}) is null.");
        }
        switch (type.Kind)
        {
            case AbiKind.Uint:
            {
                var v = ToBigInteger(value, type, path);
                if (v.Sign < 0 || v.GetBitLength() > type.Size)
                {
                    throw new AbiEncodingException($"{path} ({type}) is out of range: {v}.");
                }
                WriteUint(output, v);
                break;
            }
            case AbiKind.Int:
            {
                var v = ToBigInteger(value, type, path);
                var limit = BigInteger.One << (type.Size - 1);
                if (v < -limit || v >= limit)
                {
                    throw new AbiEncodingException($"{path} ({type}) is out of range: {v}.");
                }
                var span = output.GetSpan(32)[..32];
                span.Fill(v.Sign < 0 ? (byte)0xff : (byte)0);
                var count = v.GetByteCount();
                v.TryWriteBytes(span[(32 - count)..], out _, isUnsigned: false, isBigEndian: true);
                output.Advance(32);
                break;
            }
            case AbiKind.Address:
            {
                var address = value switch
                {
                    Address a => a,
                    string s => ParseAddress(s, path),
                    _ => throw Mismatch(type, value, path),
                };
                var span = output.GetSpan(32)[..32];
                span[..12].Clear();
                address.WriteTo(span[12..]);
                output.Advance(32);
                break;
            }
            case AbiKind.Bool:
                WriteUint(output, value is bool b ? (b ? BigInteger.One : BigInteger.Zero) : throw Mismatch(type, value, path));
                break;
            case AbiKind.FixedBytes:
            {
                var bytes = ToBytes(value, type, path);
                if (bytes.Length != type.Size)
                {
                    throw new AbiEncodingException($"{path} ({type}) needs exactly {type.Size} bytes, got {bytes.Length}.");
                }
                WritePadded(output, bytes);
                break;
            }
            case AbiKind.Bytes:
            {
                var bytes = ToBytes(value, type, path);
                WriteUint(output, bytes.Length);
                WritePadded(output, bytes);
                break;
            }
            case AbiKind.String:
            {
                var bytes = value is string s ? Encoding.UTF8.GetBytes(s) : throw Mismatch(type, value, path);
                WriteUint(output, bytes.Length);
                WritePadded(output, bytes);
                break;
            }
            case AbiKind.Array:
            {
                var items = ToList(value, type, path);
                WriteUint(output, items.Count);
                WriteTuple(output, Repeat(type.Element!, items.Count), items, path);
                break;
            }
            case AbiKind.FixedArray:
            {
                var items = ToList(value, type, path);
                if (items.Count != type.Length)
                {
                    throw new AbiEncodingException($"{path} ({type}) needs exactly {type.Length} elements, got {items.Count}.");
                }
                WriteTuple(output, Repeat(type.Element!, items.Count), items, path);
                break;
            }
            case AbiKind.Tuple:
            {
                var items = ToList(value, type, path);
                if (items.Count != type.Components.Count)
                {
                    throw new AbiEncodingException($"{path} ({type}) needs {type.Components.Count} components, got {items.Count}.");
                }
                WriteTuple(output, type.Components.Select(c => c.Type).ToArray(), items, path);
                break;
            }
        }
    }

    private static Address ParseAddress(string text, string path)
    {
        try
        {
            return Address.Parse(text);
        }
        catch (FormatException ex)
        {
            throw new AbiEncodingException($"{path} (address): {ex.Message}", ex);
        }
    }

    internal static BigInteger ToBigInteger(object value, AbiType type, string path) => value switch
    {
        BigInteger b => b,
        int i => i,
        long l => l,
        uint u => u,
        ulong ul => ul,
        short s => s,
        ushort us => us,
        byte by => by,
        sbyte sb => sb,
        UInt128 u128 => (BigInteger)u128,
        Int128 i128 => (BigInteger)i128,
        _ => throw Mismatch(type, value, path),
    };

    private static byte[] ToBytes(object value, AbiType type, string path) => value switch
    {
        byte[] bytes => bytes,
        ReadOnlyMemory<byte> memory => memory.ToArray(),
        Memory<byte> memory => memory.ToArray(),
        string hex when Hex.TryDecode(hex, out var decoded) => decoded,
        _ => throw Mismatch(type, value, path),
    };

    private static IReadOnlyList<object?> ToList(object value, AbiType type, string path)
    {
        if (value is IReadOnlyList<object?> list)
        {
            return list;
        }
        if (value is IList untyped && value is not byte[] && value is not string)
        {
            var copy = new object?[untyped.Count];
            untyped.CopyTo(copy, 0);
            return copy;
        }
        if (value is System.Runtime.CompilerServices.ITuple tuple)
        {
            var copy = new object?[tuple.Length];
            for (var i = 0; i < copy.Length; i++)
            {
                copy[i] = tuple[i];
            }
            return copy;
        }
        throw Mismatch(type, value, path);
    }

    private static AbiType[] Repeat(AbiType type, int count)
    {
        var types = new AbiType[count];
        Array.Fill(types, type);
        return types;
    }

    private static AbiEncodingException Mismatch(AbiType type, object value, string path) =>
        new($"{path} ({type}) cannot be encoded from a {value.GetType().Name}.");

    internal static void WriteUint(ArrayBufferWriter<byte> output, BigInteger value)
    {
        var span = output.GetSpan(32)[..32];
        Hex.WriteFixed(value, span);
        output.Advance(32);
    }

    private static void WritePadded(ArrayBufferWriter<byte> output, ReadOnlySpan<byte> bytes)
    {
        var padded = (bytes.Length + 31) / 32 * 32;
        var span = output.GetSpan(Math.Max(padded, 1))[..padded];
        span.Clear();
        bytes.CopyTo(span);
        output.Advance(padded);
    }
}
