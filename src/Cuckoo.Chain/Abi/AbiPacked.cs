using System.Buffers;
using System.Numerics;
using System.Text;

namespace Cuckoo.Chain;

/// <summary>Solidity's non-standard packed mode (<c>abi.encodePacked</c>), for hashing values the way contracts do.</summary>
internal static class AbiPacked
{
    public static byte[] Encode(IReadOnlyList<AbiType> types, IReadOnlyList<object?> values)
    {
        if (types.Count != values.Count)
        {
            throw new AbiEncodingException($"Expected {types.Count} values for packed ({string.Join(",", types)}), got {values.Count}.");
        }
        var output = new ArrayBufferWriter<byte>();
        for (var i = 0; i < types.Count; i++)
        {
            Write(output, types[i], values[i], $"value {i}", inArray: false);
        }
        return output.WrittenSpan.ToArray();
    }

    private static void Write(ArrayBufferWriter<byte> output, AbiType type, object? value, string path, bool inArray)
    {
        if (value is null)
        {
            throw new AbiEncodingException($"{path} ({type}) is null.");
        }
        switch (type.Kind)
        {
            case AbiKind.Bytes or AbiKind.String when !inArray:
                output.Write(value switch
                {
                    string s when type.Kind == AbiKind.String => Encoding.UTF8.GetBytes(s),
                    byte[] b when type.Kind == AbiKind.Bytes => b,
                    _ => throw new AbiEncodingException($"{path} ({type}) cannot be encoded from a {value.GetType().Name}."),
                });
                break;
            case AbiKind.Array or AbiKind.FixedArray when !inArray && !type.Element!.IsDynamic && type.Element.Kind is not (AbiKind.Array or AbiKind.FixedArray or AbiKind.Tuple):
                var items = value as System.Collections.IList ?? throw new AbiEncodingException($"{path} ({type}) needs a list.");
                if (type.Kind == AbiKind.FixedArray && items.Count != type.Length)
                {
                    throw new AbiEncodingException($"{path} ({type}) needs exactly {type.Length} elements, got {items.Count}.");
                }
                for (var i = 0; i < items.Count; i++)
                {
                    Write(output, type.Element, items[i], $"{path}[{i}]", inArray: true);
                }
                break;
            case AbiKind.Uint or AbiKind.Int or AbiKind.Address or AbiKind.Bool or AbiKind.FixedBytes:
                // Array elements are padded to 32 bytes; top-level values take their natural size.
                var word = AbiEncoder.EncodeTuple([type], [value]);
                var size = inArray ? 32 : type.Kind switch
                {
                    AbiKind.Uint or AbiKind.Int => type.Size / 8,
                    AbiKind.Address => 20,
                    AbiKind.Bool => 1,
                    _ => type.Size,
                };
                output.Write(type.Kind == AbiKind.FixedBytes ? word.AsSpan(0, size) : word.AsSpan(32 - size, size));
                break;
            default:
                throw new AbiEncodingException($"{path}: packed encoding does not support {type}.");
        }
    }
}
