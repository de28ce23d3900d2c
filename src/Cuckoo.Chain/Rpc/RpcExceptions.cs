using System.Text.Json;

namespace Cuckoo.Chain;

/// <summary>The node answered with a JSON-RPC error.</summary>
public class RpcException : Exception
{
    public RpcException(string method, int code, string message, JsonElement? data)
        : base($"{method} failed: {message} (JSON-RPC error {code})")
    {
        Method = method;
        Code = code;
        RpcMessage = message;
        ErrorData = data;
    }

    /// <summary>The JSON-RPC method that failed.</summary>
    public string Method { get; }

    public int Code { get; }

    /// <summary>The node's error message.</summary>
    public string RpcMessage { get; }

    /// <summary>The error's <c>data</c> member, when present.</summary>
    public JsonElement? ErrorData { get; }
}

/// <summary>A call or transaction reverted; <see cref="Revert"/> says why.</summary>
public sealed class ContractRevertException : RpcException
{
    public ContractRevertException(string method, int code, string message, JsonElement? data, RevertInfo revert)
        : base(method, code, message, data)
    {
        Revert = revert;
    }

    public byte[] RevertData => Revert.Data;

    public RevertInfo Revert { get; }

    /// <summary>The <c>require</c>/<c>revert</c> message or panic meaning, when there is one.</summary>
    public string? Reason => Revert.Reason;

    /// <summary>The custom error's name, when the revert data matched a known error.</summary>
    public string? ErrorName => Revert.ErrorName;

    public IReadOnlyList<object?>? ErrorArgs => Revert.Args;

    public override string Message => Revert.Kind == RevertKind.Unknown || Revert.Kind == RevertKind.Empty
        ? $"{Method}: execution {Revert} ({RpcMessage})"
        : $"{Method}: execution {Revert}";

    /// <summary>Decodes the revert data again against another ABI (for custom errors the client did not know).</summary>
    public RevertInfo DecodeWith(ContractAbi abi) => RevertInfo.Decode(RevertData, abi);
}

/// <summary>The node could not be reached or gave no usable answer, after all retries.</summary>
public sealed class RpcUnavailableException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>A transaction was mined but reverted (receipt status 0).</summary>
public sealed class TransactionFailedException(TransactionReceipt receipt, RevertInfo? revert)
    : Exception($"Transaction {receipt.TransactionHash} reverted in block {receipt.BlockNumber}" + (revert is null ? "." : $": {revert}"))
{
    public TransactionReceipt Receipt { get; } = receipt;

    /// <summary>Why it reverted, when replaying the call could tell.</summary>
    public RevertInfo? Revert { get; } = revert;
}
