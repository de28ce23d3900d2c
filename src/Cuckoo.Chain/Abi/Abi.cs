namespace Cuckoo.Chain;

/// <summary>Shortcuts for ABI work from type lists and signature strings.</summary>
public static class Abi
{
    /// <summary>Encodes values as the tuple of <paramref name="types"/> (what <c>abi.encode</c> produces).</summary>
    /// <exception cref="FormatException">a type does not parse.</exception>
    /// <exception cref="AbiEncodingException">a value does not fit its type.</exception>
    public static byte[] Encode(IReadOnlyList<string> types, params object?[] values) =>
        AbiEncoder.EncodeTuple(types.Select(AbiType.Parse).ToArray(), values);

    public static byte[] Encode(IReadOnlyList<AbiType> types, params object?[] values) => AbiEncoder.EncodeTuple(types, values);

    /// <exception cref="AbiDecodingException">malformed data.</exception>
    public static object?[] Decode(IReadOnlyList<string> types, ReadOnlySpan<byte> data) =>
        AbiDecoder.DecodeTuple(types.Select(AbiType.Parse).ToArray(), data);

    public static object?[] Decode(IReadOnlyList<AbiType> types, ReadOnlySpan<byte> data) => AbiDecoder.DecodeTuple(types, data);

    /// <summary>
    /// <c>abi.encodePacked</c>: values at their natural size without padding (array elements padded to 32 bytes);
    /// nested arrays, tuples and arrays of dynamic types are not supported, as in Solidity.
    /// </summary>
    public static byte[] EncodePacked(IReadOnlyList<string> types, params object?[] values) =>
        AbiPacked.Encode(types.Select(AbiType.Parse).ToArray(), values);

    /// <summary>keccak256(abi.encodePacked(…)), Solidity's usual way to hash several values.</summary>
    public static byte[] SolidityKeccak(IReadOnlyList<string> types, params object?[] values) => Keccak256.Hash(EncodePacked(types, values));

    /// <summary>The 4-byte selector of a function signature such as <c>stake(uint256)</c>.</summary>
    public static byte[] Selector(string functionSignature) => AbiFunction.Parse(functionSignature).Selector;

    /// <summary>Calldata for <c>"stake(uint256)"</c>-style signatures.</summary>
    public static byte[] EncodeCall(string functionSignature, params object?[] args) => AbiFunction.Parse(functionSignature).EncodeCall(args);

    /// <summary>keccak256 of an event's canonical signature, e.g. <c>Transfer(address,address,uint256)</c>.</summary>
    public static byte[] EventTopic(string eventSignature) => AbiEvent.Parse(eventSignature).Topic0;

    /// <summary>The topic of an indexed value, as used in log filters: static values are their 32-byte encoding.</summary>
    public static byte[] EncodeTopic(AbiType type, object value)
    {
        if (type.IsDynamic)
        {
            return type.Kind is AbiKind.String && value is string s ? Keccak256.Hash(s)
                : type.Kind is AbiKind.Bytes && value is byte[] b ? Keccak256.Hash(b)
                : throw new AbiEncodingException($"Only string and bytes dynamic topics are supported here, not {type}.");
        }
        return AbiEncoder.EncodeTuple([type], [value]);
    }
}
