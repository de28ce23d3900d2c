using System.Numerics;

namespace Cuckoo.Chain;

/// <summary>A decoded RLP value: a byte string or a list of items.</summary>
public sealed class RlpItem
{
    private RlpItem(byte[]? bytes, IReadOnlyList<RlpItem>? items)
    {
        _bytes = bytes;
        _items = items;
    }

    private readonly byte[]? _bytes;
    private readonly IReadOnlyList<RlpItem>? _items;

    public static RlpItem FromBytes(byte[] bytes) => new(bytes ?? throw new ArgumentNullException(nameof(bytes)), null);

    public static RlpItem FromList(params IReadOnlyList<RlpItem> items) => new(null, items ?? throw new ArgumentNullException(nameof(items)));

    /// <summary>An unsigned integer as its minimal big-endian bytes (zero is the empty string).</summary>
    public static RlpItem FromInteger(BigInteger value) => new(Hex.ToMinimalBytes(value), null);

    public bool IsList => _items is not null;

    /// <exception cref="InvalidOperationException">the item is a list.</exception>
    public byte[] Bytes => _bytes ?? throw new InvalidOperationException("This RLP item is a list, not a byte string.");

    /// <exception cref="InvalidOperationException">the item is a byte string.</exception>
    public IReadOnlyList<RlpItem> Items => _items ?? throw new InvalidOperationException("This RLP item is a byte string, not a list.");

    /// <summary>Reads the byte string as an unsigned integer; canonical form (no leading zero) is required.</summary>
    /// <exception cref="RlpException">a list, or an integer with leading zero bytes.</exception>
    public BigInteger ToBigInteger()
    {
        if (_bytes is null)
        {
            throw new RlpException("Expected an RLP integer, found a list.");
        }
        if (_bytes.Length > 0 && _bytes[0] == 0)
        {
            throw new RlpException("An RLP integer must not have leading zero bytes.");
        }
        return new BigInteger(_bytes, isUnsigned: true, isBigEndian: true);
    }
}

/// <summary>The input is not valid (canonical) RLP.</summary>
public sealed class RlpException(string message) : FormatException(message);

/// <summary>Recursive Length Prefix encoding, the serialization of transactions and of the state trie.</summary>
public static class Rlp
{
    public static byte[] Encode(RlpItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        if (!item.IsList)
        {
            return EncodeBytes(item.Bytes);
        }
        var encoded = new byte[item.Items.Count][];
        for (var i = 0; i < encoded.Length; i++)
        {
            encoded[i] = Encode(item.Items[i]);
        }
        return EncodeList(encoded);
    }

    /// <summary>A byte string: a single byte below 0x80 is itself; otherwise a length prefix.</summary>
    public static byte[] EncodeBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length == 1 && bytes[0] < 0x80)
        {
            return [bytes[0]];
        }
        var header = Header(0x80, bytes.Length);
        var result = new byte[header.Length + bytes.Length];
        header.CopyTo(result, 0);
        bytes.CopyTo(result.AsSpan(header.Length));
        return result;
    }

    /// <summary>An unsigned integer as a byte string of its minimal big-endian bytes.</summary>
    public static byte[] EncodeInteger(BigInteger value) => EncodeBytes(Hex.ToMinimalBytes(value));

    /// <summary>A list of already encoded items.</summary>
    public static byte[] EncodeList(params byte[][] encodedItems)
    {
        ArgumentNullException.ThrowIfNull(encodedItems);
        var length = 0;
        foreach (var item in encodedItems)
        {
            length += item.Length;
        }
        var header = Header(0xc0, length);
        var result = new byte[header.Length + length];
        header.CopyTo(result, 0);
        var offset = header.Length;
        foreach (var item in encodedItems)
        {
            item.CopyTo(result, offset);
            offset += item.Length;
        }
        return result;
    }

    /// <summary>Decodes exactly one item that spans all of <paramref name="encoded"/>.</summary>
    /// <exception cref="RlpException">truncated, trailing bytes, or a non-canonical length.</exception>
    public static RlpItem Decode(ReadOnlySpan<byte> encoded)
    {
        var item = DecodeItem(encoded, out var consumed);
        if (consumed != encoded.Length)
        {
            throw new RlpException($"RLP has {encoded.Length - consumed} trailing bytes after the first item.");
        }
        return item;
    }

    private static RlpItem DecodeItem(ReadOnlySpan<byte> input, out int consumed)
    {
        if (input.Length == 0)
        {
            throw new RlpException("RLP input ended where an item was expected.");
        }
        var prefix = input[0];
        if (prefix < 0x80)
        {
            consumed = 1;
            return RlpItem.FromBytes([prefix]);
        }
        if (prefix < 0xc0)
        {
            var (offset, length) = ReadLength(input, 0x80);
            if (length == 1 && input[offset] < 0x80)
            {
                throw new RlpException("A single byte below 0x80 must be encoded as itself.");
            }
            consumed = offset + length;
            return RlpItem.FromBytes(input.Slice(offset, length).ToArray());
        }
        var (listOffset, listLength) = ReadLength(input, 0xc0);
        var payload = input.Slice(listOffset, listLength);
        var items = new List<RlpItem>();
        while (payload.Length > 0)
        {
            items.Add(DecodeItem(payload, out var used));
            payload = payload[used..];
        }
        consumed = listOffset + listLength;
        return RlpItem.FromList(items);
    }

    private static (int Offset, int Length) ReadLength(ReadOnlySpan<byte> input, byte baseCode)
    {
        var prefix = input[0] - baseCode;
        int offset, length;
        if (prefix <= 55)
        {
            offset = 1;
            length = prefix;
        }
        else
        {
            var lengthOfLength = prefix - 55;
            if (lengthOfLength > 4)
            {
                throw new RlpException("RLP length is too large.");
            }
            if (input.Length < 1 + lengthOfLength)
            {
                throw new RlpException("RLP input ended inside a length.");
            }
            if (input[1] == 0)
            {
                throw new RlpException("RLP length has a leading zero byte.");
            }
            long value = 0;
            for (var i = 0; i < lengthOfLength; i++)
            {
                value = (value << 8) | input[1 + i];
            }
            if (value <= 55)
            {
                throw new RlpException("RLP uses a long length for a payload of 55 bytes or fewer.");
            }
            if (value > int.MaxValue)
            {
                throw new RlpException("RLP length is too large.");
            }
            offset = 1 + lengthOfLength;
            length = (int)value;
        }
        if ((long)offset + length > input.Length)
        {
            throw new RlpException($"RLP item declares {length} bytes but only {input.Length - offset} remain.");
        }
        return (offset, length);
    }

    private static byte[] Header(byte baseCode, int length)
    {
        if (length <= 55)
        {
            return [(byte)(baseCode + length)];
        }
        var lengthBytes = Hex.ToMinimalBytes(length);
        var header = new byte[1 + lengthBytes.Length];
        header[0] = (byte)(baseCode + 55 + lengthBytes.Length);
        lengthBytes.CopyTo(header, 1);
        return header;
    }
}
