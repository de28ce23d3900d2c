using System.Numerics;
using Nethereum.ABI.FunctionEncoding;
using Nethereum.ABI.FunctionEncoding.Attributes;
using Nethereum.Contracts;
using Nethereum.Hex.HexConvertors.Extensions;

namespace Cuckoo.Chain.Tests.Support;

[Error("Error")]
public sealed class ErrorString : IErrorDTO
{
    [Parameter("string", "message", 1)]
    public string Message { get; set; } = "";
}

[Error("InsufficientStake")]
public sealed class InsufficientStakeError : IErrorDTO
{
    [Parameter("uint256", "have", 1)]
    public BigInteger Have { get; set; }

    [Parameter("uint256", "need", 2)]
    public BigInteger Need { get; set; }
}

[Error("NotRegistered")]
public sealed class NotRegisteredError : IErrorDTO
{
    [Parameter("address", "who", 1)]
    public string Who { get; set; } = "";
}

[Event("Staked")]
public sealed class StakedEvent : IEventDTO
{
    [Parameter("address", "staker", 1, true)]
    public string Staker { get; set; } = "";

    [Parameter("uint256", "amount", 2, false)]
    public BigInteger Amount { get; set; }
}

/// <summary>Revert data as a node returns it, encoded by Nethereum from a typed error.</summary>
internal static class RevertData
{
    public static string Of<TError>(TError error) where TError : class =>
        "0x" + ABITypedRegistry.GetError<TError>().Sha3Signature + new ParametersEncoder().EncodeParametersFromTypeAttributes(typeof(TError), error).ToHex();

    public static string Error(string message) => Of(new ErrorString { Message = message });

    public static string Panic(int code) => Of(new PanicError { Code = code });

    public static string Uint256(BigInteger value) => "0x" + value.ToString("x64", System.Globalization.CultureInfo.InvariantCulture)[^64..];
}
