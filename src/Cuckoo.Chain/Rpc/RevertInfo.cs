using System.Globalization;
using System.Numerics;
using System.Reflection;
using Nethereum.ABI.FunctionEncoding;
using Nethereum.ABI.FunctionEncoding.Attributes;
using Nethereum.Contracts;
using Nethereum.Hex.HexConvertors.Extensions;

namespace Cuckoo.Chain;

public enum RevertKind
{
    /// <summary>No revert data (<c>revert()</c>, <c>require(x)</c> without a message, out of gas…).</summary>
    Empty,

    /// <summary><c>Error(string)</c> from <c>require(x, "…")</c> or <c>revert("…")</c>.</summary>
    ErrorString,

    /// <summary><c>Panic(uint256)</c>: an assert, overflow, division by zero, bad array index…</summary>
    Panic,

    /// <summary>A custom error that one of the known <c>[Error]</c> classes decodes.</summary>
    CustomError,

    /// <summary>Revert data that no known error matches.</summary>
    Unknown,
}

/// <summary>Solidity's <c>Panic(uint256)</c>, decoded by Nethereum like any custom error.</summary>
[Error("Panic")]
public sealed class PanicError : IErrorDTO
{
    [Parameter("uint256", "code", 1)]
    public BigInteger Code { get; set; }
}

/// <summary>
/// Why a call reverted. Decoding is Nethereum's: <c>Error(string)</c> through its function-call decoder and custom
/// errors through typed <c>[Error]</c> classes (<see cref="ErrorExtensions"/>, as <c>DecodeError&lt;T&gt;()</c>); ours is
/// the choice of error classes and the sentence.
/// </summary>
public sealed record RevertInfo
{
    private static readonly FunctionCallDecoder Decoder = new();

    public RevertKind Kind { get; init; }

    /// <summary>The raw revert data.</summary>
    public byte[] Data { get; init; } = [];

    /// <summary>The <c>require</c>/<c>revert</c> message, or the panic's meaning.</summary>
    public string? Reason { get; init; }

    public BigInteger? PanicCode { get; init; }

    /// <summary>The custom error's name, e.g. <c>BelowMinimum</c>.</summary>
    public string? ErrorName { get; init; }

    /// <summary>The decoded custom error (an instance of one of the <c>[Error]</c> classes), or null.</summary>
    public object? Error { get; init; }

    /// <summary>The custom error's arguments in declaration order (addresses as <see cref="Address"/>).</summary>
    public IReadOnlyList<object?>? Args { get; init; }

    /// <summary>Decodes revert data against <paramref name="errorTypes"/> (classes with <c>[Error]</c>); Error(string) and Panic(uint256) always.</summary>
    public static RevertInfo Decode(byte[] data, IEnumerable<Type>? errorTypes = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.Length == 0)
        {
            return new RevertInfo { Kind = RevertKind.Empty };
        }
        var hex = data.ToHex(prefix: true);
        try
        {
            if (ErrorFunction.IsErrorData(hex))
            {
                return new RevertInfo { Kind = RevertKind.ErrorString, Data = data, Reason = Decoder.DecodeFunctionErrorMessage(hex) };
            }
            if (hex.IsExceptionEncodedDataForError<PanicError>())
            {
                var code = hex.DecodeExceptionEncodedData<PanicError>().Code;
                return new RevertInfo { Kind = RevertKind.Panic, Data = data, PanicCode = code, Reason = PanicMeaning(code) };
            }
            foreach (var type in errorTypes ?? [])
            {
                if (hex.IsExceptionEncodedDataForError(type))
                {
                    var error = hex.DecodeExceptionEncodedData(type);
                    return new RevertInfo
                    {
                        Kind = RevertKind.CustomError, Data = data, ErrorName = type.GetCustomAttribute<ErrorAttribute>()?.Name ?? type.Name,
                        Error = error, Args = ArgumentsOf(error),
                    };
                }
            }
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or IndexOutOfRangeException or InvalidOperationException or OverflowException)
        {
            // Data that starts like a known error but does not decode as one is reported as unrecognized.
        }
        return new RevertInfo { Kind = RevertKind.Unknown, Data = data };
    }

    /// <summary>The custom error as <typeparamref name="T"/>, or null when it is another one.</summary>
    public T? As<T>() where T : class => Error as T;

    /// <summary>The arguments of a decoded <c>[Error]</c> object, in parameter order.</summary>
    public static IReadOnlyList<object?> ArgumentsOf(object error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return error.GetType().GetProperties()
            .Select(p => (Property: p, Parameter: p.GetCustomAttribute<ParameterAttribute>()))
            .Where(p => p.Parameter is not null)
            .OrderBy(p => p.Parameter!.Order)
            .Select(p => p.Parameter!.Type == "address" && p.Property.GetValue(error) is string s && Address.TryParse(s, out var a)
                ? a
                : p.Property.GetValue(error))
            .ToArray();
    }

    public override string ToString() => Kind switch
    {
        RevertKind.Empty => "reverted without a reason",
        RevertKind.ErrorString => $"reverted: {Reason}",
        RevertKind.Panic => $"panicked: {Reason} (0x{PanicCode:x2})",
        RevertKind.CustomError => $"reverted with {ErrorName}({string.Join(", ", (Args ?? []).Select(Format))})",
        _ => $"reverted with unrecognized data {Hex.Shorten(Data.ToHex(prefix: true))}",
    };

    private static string Format(object? value) => value switch
    {
        null => "null",
        byte[] bytes => bytes.ToHex(prefix: true),
        BigInteger n => n.ToString(CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private static string PanicMeaning(BigInteger code) => (int)BigInteger.Min(code, 0x100) switch
    {
        0x00 => "generic compiler panic",
        0x01 => "assertion failed",
        0x11 => "arithmetic overflow or underflow",
        0x12 => "division or modulo by zero",
        0x21 => "invalid enum value",
        0x22 => "corrupt storage byte array",
        0x31 => "pop on an empty array",
        0x32 => "array index out of bounds",
        0x41 => "out of memory",
        0x51 => "call to an uninitialized function",
        _ => "unknown panic code",
    };
}
