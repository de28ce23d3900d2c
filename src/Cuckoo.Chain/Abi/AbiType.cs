using System.Collections.Concurrent;
using System.Globalization;
using System.Text;

namespace Cuckoo.Chain;

public enum AbiKind
{
    Uint,
    Int,
    Address,
    Bool,
    FixedBytes,
    Bytes,
    String,
    Array,
    FixedArray,
    Tuple,
}

/// <summary>A named (possibly unnamed) parameter of a function, event, error or tuple.</summary>
public sealed record AbiParameter(string Name, AbiType Type, bool Indexed = false)
{
    public override string ToString() => string.IsNullOrEmpty(Name) ? Type.Name : $"{Type.Name}{(Indexed ? " indexed" : "")} {Name}";
}

/// <summary>A Solidity ABI type: <c>uint256</c>, <c>bytes32</c>, <c>string</c>, <c>address[]</c>, <c>(uint256,bool)[2]</c>, …</summary>
public sealed class AbiType : IEquatable<AbiType>
{
    private static readonly ConcurrentDictionary<string, AbiType> Cache = new(StringComparer.Ordinal);

    private AbiType(AbiKind kind, int size, AbiType? element, int length, IReadOnlyList<AbiParameter>? components)
    {
        Kind = kind;
        Size = size;
        Element = element;
        Length = length;
        Components = components ?? [];
        Name = BuildName();
        IsDynamic = kind switch
        {
            AbiKind.Bytes or AbiKind.String or AbiKind.Array => true,
            AbiKind.FixedArray => element!.IsDynamic,
            AbiKind.Tuple => Components.Any(c => c.Type.IsDynamic),
            _ => false,
        };
        HeadSize = IsDynamic
            ? 32
            : kind switch
            {
                AbiKind.FixedArray => element!.HeadSize * length,
                AbiKind.Tuple => Components.Sum(c => c.Type.HeadSize),
                _ => 32,
            };
    }

    public AbiKind Kind { get; }

    /// <summary>Bits for <c>uint&lt;M&gt;</c>/<c>int&lt;M&gt;</c>; bytes for <c>bytes&lt;M&gt;</c>; 0 otherwise.</summary>
    public int Size { get; }

    /// <summary>The element type of an array.</summary>
    public AbiType? Element { get; }

    /// <summary>The length k of a fixed array <c>T[k]</c>.</summary>
    public int Length { get; }

    /// <summary>The components of a tuple.</summary>
    public IReadOnlyList<AbiParameter> Components { get; }

    /// <summary>The canonical name used in signatures, e.g. <c>(address,uint256)[]</c>.</summary>
    public string Name { get; }

    public bool IsDynamic { get; }

    /// <summary>Bytes this type takes in the head of an enclosing tuple.</summary>
    internal int HeadSize { get; }

    public static AbiType Uint(int bits = 256) => new(AbiKind.Uint, CheckBits(bits), null, 0, null);

    public static AbiType Int(int bits = 256) => new(AbiKind.Int, CheckBits(bits), null, 0, null);

    public static AbiType Address { get; } = new(AbiKind.Address, 0, null, 0, null);

    public static AbiType Bool { get; } = new(AbiKind.Bool, 0, null, 0, null);

    public static AbiType Bytes { get; } = new(AbiKind.Bytes, 0, null, 0, null);

    public static AbiType String { get; } = new(AbiKind.String, 0, null, 0, null);

    public static AbiType FixedBytes(int size) =>
        size is >= 1 and <= 32 ? new(AbiKind.FixedBytes, size, null, 0, null) : throw new FormatException($"bytes{size} is not a type: bytes<M> needs 1 ≤ M ≤ 32.");

    public static AbiType ArrayOf(AbiType element) => new(AbiKind.Array, 0, element, 0, null);

    public static AbiType FixedArrayOf(AbiType element, int length) =>
        length >= 1 ? new(AbiKind.FixedArray, 0, element, length, null) : throw new FormatException("A fixed array needs a length of at least 1.");

    public static AbiType Tuple(IReadOnlyList<AbiParameter> components) => new(AbiKind.Tuple, 0, null, 0, components);

    public static AbiType Tuple(params AbiType[] components) =>
        Tuple(components.Select(c => new AbiParameter("", c)).ToArray());

    /// <summary>Parses a type such as <c>uint256</c>, <c>uint</c> (= uint256), <c>bytes32[]</c> or <c>(address to,uint256 amount)[2]</c>.</summary>
    /// <exception cref="FormatException">not a valid ABI type.</exception>
    public static AbiType Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Cache.GetOrAdd(text, static t =>
        {
            var parser = new AbiSignatureParser(t);
            var type = parser.ParseType();
            parser.ExpectEnd();
            return type;
        });
    }

    internal static AbiType Elementary(string name)
    {
        switch (name)
        {
            case "address": return Address;
            case "bool": return Bool;
            case "string": return String;
            case "bytes": return Bytes;
            case "uint": return Uint();
            case "int": return Int();
            case "function": return FixedBytes(24);
        }
        if (name.StartsWith("uint", StringComparison.Ordinal) && TryNumber(name.AsSpan(4), out var ubits))
        {
            return Uint(ubits);
        }
        if (name.StartsWith("int", StringComparison.Ordinal) && TryNumber(name.AsSpan(3), out var ibits))
        {
            return Int(ibits);
        }
        if (name.StartsWith("bytes", StringComparison.Ordinal) && TryNumber(name.AsSpan(5), out var size))
        {
            return FixedBytes(size);
        }
        throw new FormatException($"'{name}' is not an ABI type.");
    }

    private static bool TryNumber(ReadOnlySpan<char> digits, out int value) =>
        int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out value) && digits.Length > 0 && digits[0] != '0';

    private static int CheckBits(int bits) =>
        bits is >= 8 and <= 256 && bits % 8 == 0 ? bits : throw new FormatException($"{bits} bits is not an integer size: use a multiple of 8 from 8 to 256.");

    private string BuildName() => Kind switch
    {
        AbiKind.Uint => "uint" + Size.ToString(CultureInfo.InvariantCulture),
        AbiKind.Int => "int" + Size.ToString(CultureInfo.InvariantCulture),
        AbiKind.Address => "address",
        AbiKind.Bool => "bool",
        AbiKind.FixedBytes => "bytes" + Size.ToString(CultureInfo.InvariantCulture),
        AbiKind.Bytes => "bytes",
        AbiKind.String => "string",
        AbiKind.Array => Element!.Name + "[]",
        AbiKind.FixedArray => Element!.Name + "[" + Length.ToString(CultureInfo.InvariantCulture) + "]",
        _ => "(" + string.Join(",", Components.Select(c => c.Type.Name)) + ")",
    };

    public bool Equals(AbiType? other) => other is not null && other.Name == Name;

    public override bool Equals(object? obj) => Equals(obj as AbiType);

    public override int GetHashCode() => Name.GetHashCode(StringComparison.Ordinal);

    public override string ToString() => Name;
}
