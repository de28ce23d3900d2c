using System.Numerics;

namespace Cuckoo.Chain;

public enum RevertKind
{
    /// <summary>No revert data: <c>revert()</c>, <c>require(cond)</c> without a message, out of gas, or a call to no code.</summary>
    Empty,

    /// <summary><c>Error(string)</c>: <c>require(cond, "reason")</c> or <c>revert("reason")</c>.</summary>
    ErrorString,

    /// <summary><c>Panic(uint256)</c>: assert, overflow, division by zero, array bounds, …</summary>
    Panic,

    /// <summary>A custom error found in the ABI.</summary>
    CustomError,

    /// <summary>Data that matches no known error.</summary>
    Unknown,
}

/// <summary>What a contract's revert data says.</summary>
public sealed record RevertInfo(RevertKind Kind, byte[] Data, string? Reason = null, BigInteger? PanicCode = null, string? ErrorName = null, IReadOnlyList<object?>? Args = null, AbiError? Error = null)
{
    public static readonly AbiError ErrorStringError = AbiError.Parse("Error(string)");
    public static readonly AbiError PanicError = AbiError.Parse("Panic(uint256)");

    /// <summary>Decodes revert data; custom errors are looked up in <paramref name="abi"/> (and in <paramref name="extraErrors"/>).</summary>
    public static RevertInfo Decode(ReadOnlySpan<byte> data, ContractAbi? abi = null, IEnumerable<AbiError>? extraErrors = null)
    {
        var bytes = data.ToArray();
        if (bytes.Length == 0)
        {
            return new RevertInfo(RevertKind.Empty, bytes);
        }
        if (bytes.Length >= 4)
        {
            var selector = bytes.AsSpan(0, 4);
            try
            {
                if (selector.SequenceEqual(ErrorStringError.Selector))
                {
                    return new RevertInfo(RevertKind.ErrorString, bytes, Reason: (string)ErrorStringError.Decode(bytes)[0]!);
                }
                if (selector.SequenceEqual(PanicError.Selector))
                {
                    var code = (BigInteger)PanicError.Decode(bytes)[0]!;
                    return new RevertInfo(RevertKind.Panic, bytes, Reason: PanicReason(code), PanicCode: code);
                }
                var error = abi?.FindError(selector) ?? extraErrors?.FirstOrDefault(e => e.Selector.AsSpan().SequenceEqual(bytes.AsSpan(0, 4)));
                if (error is not null)
                {
                    return new RevertInfo(RevertKind.CustomError, bytes, ErrorName: error.Name, Args: error.Decode(bytes), Error: error);
                }
            }
            catch (AbiDecodingException)
            {
                // A selector collision or garbage: report it as unknown data rather than failing the caller.
            }
        }
        return new RevertInfo(RevertKind.Unknown, bytes);
    }

    /// <summary>The meaning of a Solidity panic code.</summary>
    public static string PanicReason(BigInteger code) => (int)(code > 0xff ? 0 : code) switch
    {
        0x00 => "generic compiler panic",
        0x01 => "assertion failed",
        0x11 => "arithmetic overflow or underflow",
        0x12 => "division or modulo by zero",
        0x21 => "invalid enum value",
        0x22 => "invalid storage byte array",
        0x31 => "pop on an empty array",
        0x32 => "array index out of bounds",
        0x41 => "out of memory",
        0x51 => "call to an uninitialized function",
        _ => $"unknown panic 0x{code:x}",
    };

    public override string ToString() => Kind switch
    {
        RevertKind.Empty => "reverted without a reason",
        RevertKind.ErrorString => $"reverted: {Reason}",
        RevertKind.Panic => $"panicked: {Reason} (0x{PanicCode:x2})",
        RevertKind.CustomError => $"reverted with {ErrorName}({string.Join(", ", (Args ?? []).Select(AbiFormat.Value))})",
        _ => $"reverted with unrecognized data {Hex.Encode(Data)}",
    };
}

internal static class AbiFormat
{
    public static string Value(object? value) => value switch
    {
        null => "null",
        byte[] bytes => Hex.Encode(bytes),
        string s => "\"" + s + "\"",
        bool b => b ? "true" : "false",
        object?[] items => "[" + string.Join(", ", items.Select(Value)) + "]",
        _ => value.ToString() ?? "",
    };
}
