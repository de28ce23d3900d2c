using System.Text.Json;

namespace Cuckoo.Chain;

/// <summary>The node answered with a JSON-RPC error.</summary>
public class RpcException : Exception
{
    public RpcException(string method, int code, string message, JsonElement? data, Exception? inner = null)
        : base($"{method} failed: {message} (JSON-RPC error {code})", inner)
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

/// <summary>
/// A call or transaction reverted; <see cref="Revert"/> says why. Nethereum's <c>SmartContractRevertException</c>
/// and <c>SmartContractCustomErrorRevertException</c> become this too (as the inner exception).
/// </summary>
public sealed class ContractRevertException : RpcException
{
    public ContractRevertException(string method, int code, string message, JsonElement? data, RevertInfo revert, Exception? inner = null)
        : base(method, code, message, data, inner)
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

    public override string Message => Revert.Kind is RevertKind.Unknown or RevertKind.Empty
        ? $"{Method}: execution {Revert} ({RpcMessage})"
        : $"{Method}: execution {Revert}";

    /// <summary>Decodes the revert data again against other <c>[Error]</c> classes (custom errors the client did not know).</summary>
    public RevertInfo DecodeWith(IEnumerable<Type> errorTypes) => RevertInfo.Decode(RevertData, errorTypes);

    /// <summary>The same failure with its revert data decoded against <paramref name="errorTypes"/>.</summary>
    public ContractRevertException WithErrors(IEnumerable<Type> errorTypes) =>
        new(Method, Code, RpcMessage, ErrorData, Revert.Kind is RevertKind.Unknown or RevertKind.CustomError ? DecodeWith(errorTypes) : Revert, this);

    /// <summary>The revert as the custom error <typeparamref name="T"/>, or null when it is another one.</summary>
    public T? DecodeError<T>() where T : class, new() => RevertInfo.Decode(RevertData, [typeof(T)]).As<T>();
}

/// <summary>The node could not be reached or gave no usable answer, after all retries.</summary>
public sealed class RpcUnavailableException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>The node is on another chain than the one expected: nothing was signed or sent.</summary>
public sealed class WrongChainException(string message, long expected, long actual) : InvalidOperationException(message)
{
    public long ExpectedChainId { get; } = expected;

    public long ActualChainId { get; } = actual;
}

/// <summary>A transaction was mined but reverted (receipt status 0).</summary>
public sealed class TransactionFailedException(TransactionReceipt receipt, RevertInfo? revert)
    : Exception($"Transaction {receipt.TransactionHash} reverted in block {receipt.BlockNumber}" + (revert is null ? "." : $": {revert}"))
{
    public TransactionReceipt Receipt { get; } = receipt;

    /// <summary>Why it reverted, when replaying the call could tell.</summary>
    public RevertInfo? Revert { get; } = revert;
}

/// <summary>
/// A transaction was sent but did not reach the confirmations asked for before the deadline. It may still be
/// mined or confirmed: look it up by <see cref="TransactionHash"/> before sending it again.
/// </summary>
public sealed class TransactionUnconfirmedException(string transactionHash, int confirmationsWanted, int confirmationsSeen, TimeSpan waited, Exception? inner = null)
    : TimeoutException(Describe(transactionHash, confirmationsWanted, confirmationsSeen, waited), inner)
{
    public string TransactionHash { get; } = transactionHash;

    public int ConfirmationsWanted { get; } = confirmationsWanted;

    /// <summary>0 when it was not mined at all.</summary>
    public int ConfirmationsSeen { get; } = confirmationsSeen;

    private static string Describe(string hash, int wanted, int seen, TimeSpan waited) =>
        $"Transaction {hash} was sent but is unconfirmed: " +
        (seen == 0 ? "it was not mined" : $"it has {seen} of {wanted} confirmations") +
        $" after {waited.TotalSeconds:0.#} s. It may still confirm; check it by its hash before sending it again.";
}
