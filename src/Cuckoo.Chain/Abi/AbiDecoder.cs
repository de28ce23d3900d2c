using System.Numerics;
using System.Text;

namespace Cuckoo.Chain;

/// <summary>ABI data that is truncated, points outside itself, or holds a value its type does not allow.</summary>
public sealed class AbiDecodingException(string message, Exception? inner = null) : FormatException(message, inner);

/// <summary>Strict ABI decoding: every offset and length is bounds-checked and dirty padding bits are rejected.</summary>
internal static class AbiDecoder
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static object?[] DecodeTuple(IReadOnlyList<AbiType> types, ReadOnlySpan<byte> data) => DecodeTuple(types, data, 0, "");

    private static object?[] DecodeTuple(IReadOnlyList<AbiType> types, ReadOnlySpan<byte> data, int start, string path)
    {
        var values = new object?[types.Count];
        var head = start;
        for (var i = 0; i < types.Count; i++)
        {
            var type = types[i];
            var itemPath = path.Length == 0 ? $"value {i}" : $"{path}[{i}]";
            if (type.IsDynamic)
            {
                var offset = ReadLength(data, head, itemPath);
                var target = (long)start + offset;
                if (target > data.Length)
                {
                    throw new AbiDecodingException($"{itemPath} ({type}) points to offset {target} beyond the {data.Length} bytes of data.");
                }
                values[i] = DecodeValue(type, data, (int)target, itemPath);
                head += 32;
            }
            else
            {
                values[i] = DecodeValue(type, data, head, itemPath);
                head += type.HeadSize;
            }
        }
        return values;
    }

    internal static object? DecodeValue(AbiType type, ReadOnlySpan<byte> data, int at, string path)
    {
        switch (type.Kind)
        {
            case AbiKind.Uint:
            {
                var word = Word(data, at, type, path);
                var v = new BigInteger(word, isUnsigned: true, isBigEndian: true);
                if (type.Size < 256 && v.GetBitLength() > type.Size)
                {
                    throw new AbiDecodingException($"{path} ({type}) has a value wider than {type.Size} bits.");
                }
                return v;
            }
            case AbiKind.Int:
            {
                var word = Word(data, at, type, path);
                var v = new BigInteger(word, isUnsigned: false, isBigEndian: true);
                if (type.Size < 256)
                {
                    var limit = BigInteger.One << (type.Size - 1);
                    if (v < -limit || v >= limit)
                    {
                        throw new AbiDecodingException($"{path} ({type}) has a value outside its range.");
                    }
                }
                return v;
            }
            case AbiKind.Address:
            {
                var word = Word(data, at, type, path);
                if (word[..12].IndexOfAnyExcept((byte)0) >= 0)
                {
                    throw new AbiDecodingException($"{path} (address) has non-zero padding.");
                }
                return Address.FromBytes(word[12..]);
            }
            case AbiKind.Bool:
            {
                var word = Word(data, at, type, path);
                if (word[..31].IndexOfAnyExcept((byte)0) >= 0 || word[31] > 1)
                {
                    throw new AbiDecodingException($"{path} (bool) is neither 0 nor 1.");
                }
                return word[31] == 1;
            }
            case AbiKind.FixedBytes:
            {
                var word = Word(data, at, type, path);
                if (word[type.Size..].IndexOfAnyExcept((byte)0) >= 0)
                {
                    throw new AbiDecodingException($"{path} ({type}) has non-zero padding.");
                }
                return word[..type.Size].ToArray();
            }
            case AbiKind.Bytes:
                return ReadDynamicBytes(data, at, type, path).ToArray();
            case AbiKind.String:
                try
                {
                    return StrictUtf8.GetString(ReadDynamicBytes(data, at, type, path));
                }
                catch (DecoderFallbackException ex)
                {
                    throw new AbiDecodingException($"{path} (string) is not valid UTF-8.", ex);
                }
            case AbiKind.Array:
            {
                var count = ReadLength(data, at, path);
                // Each element takes at least one word, so a count beyond the data is a lie; checked before allocating.
                if ((long)count * type.Element!.HeadSize > data.Length - at - 32)
                {
                    throw new AbiDecodingException($"{path} ({type}) claims {count} elements, more than the data holds.");
                }
                return DecodeTuple(Repeat(type.Element, count), data, at + 32, path);
            }
            case AbiKind.FixedArray:
                return DecodeTuple(Repeat(type.Element!, type.Length), data, at, path);
            case AbiKind.Tuple:
                return DecodeTuple(type.Components.Select(c => c.Type).ToArray(), data, at, path);
            default:
                throw new AbiDecodingException($"{path}: unsupported type {type}.");
        }
    }

    private static ReadOnlySpan<byte> ReadDynamicBytes(ReadOnlySpan<byte> data, int at, AbiType type, string path)
    {
        var length = ReadLength(data, at, path);
        if ((long)at + 32 + length > data.Length)
        {
            throw new AbiDecodingException($"{path} ({type}) claims {length} bytes, more than the data holds.");
        }
        return data.Slice(at + 32, length);
    }

    private static int ReadLength(ReadOnlySpan<byte> data, int at, string path)
    {
        if ((long)at + 32 > data.Length)
        {
            throw new AbiDecodingException($"{path}: data ends at byte {data.Length}, before the offset/length word at {at}.");
        }
        var word = data.Slice(at, 32);
        if (word[..28].IndexOfAnyExcept((byte)0) >= 0 || word[28] >= 0x80)
        {
            throw new AbiDecodingException($"{path}: offset or length is too large.");
        }
        return (word[28] << 24) | (word[29] << 16) | (word[30] << 8) | word[31];
    }

    private static ReadOnlySpan<byte> Word(ReadOnlySpan<byte> data, int at, AbiType type, string path)
    {
        if ((long)at + 32 > data.Length)
        {
            throw new AbiDecodingException($"{path} ({type}): data ends at byte {data.Length}, before the word at {at}.");
        }
        return data.Slice(at, 32);
    }

    private static AbiType[] Repeat(AbiType type, int count)
    {
        var types = new AbiType[count];
        Array.Fill(types, type);
        return types;
    }
}
