using System.Numerics;
using System.Text.Json.Serialization;

namespace Cuckoo.Chain;

/// <summary>A block reference: a tag (<c>latest</c>, <c>pending</c>, …) or a number.</summary>
[JsonConverter(typeof(BlockParameterConverter))]
public readonly record struct BlockParameter
{
    private readonly string? _tag;
    private readonly BigInteger _number;
    private readonly bool _isNumber;

    private BlockParameter(string? tag, BigInteger number)
    {
        _tag = tag;
        _number = number;
        _isNumber = tag is null;
    }

    public static BlockParameter Latest => new("latest", 0);

    public static BlockParameter Pending => new("pending", 0);

    public static BlockParameter Earliest => new("earliest", 0);

    public static BlockParameter Safe => new("safe", 0);

    public static BlockParameter Finalized => new("finalized", 0);

    public static BlockParameter Number(BigInteger number) =>
        number.Sign >= 0 ? new(null, number) : throw new ArgumentOutOfRangeException(nameof(number), "A block number cannot be negative.");

    /// <summary>The block number, or null for a tag.</summary>
    public BigInteger? BlockNumber => _isNumber ? _number : null;

    public static implicit operator BlockParameter(long number) => Number(number);

    public static implicit operator BlockParameter(BigInteger number) => Number(number);

    /// <exception cref="FormatException">neither a known tag nor a hex number.</exception>
    public static BlockParameter Parse(string text) => text switch
    {
        "latest" or "pending" or "earliest" or "safe" or "finalized" => new(text, 0),
        _ => Number(Hex.DecodeQuantity(text)),
    };

    /// <summary>The JSON-RPC form: the tag or a hex quantity (<c>default</c> is <c>latest</c>).</summary>
    public override string ToString() => _isNumber ? Hex.EncodeQuantity(_number) : _tag ?? "latest";
}

/// <summary>Parameters of <c>eth_call</c> and <c>eth_estimateGas</c>.</summary>
public sealed record CallRequest
{
    public Address? From { get; init; }

    public Address? To { get; init; }

    [JsonPropertyName("data")]
    public byte[]? Data { get; init; }

    public BigInteger? Value { get; init; }

    public BigInteger? Gas { get; init; }

    public BigInteger? GasPrice { get; init; }

    public BigInteger? MaxFeePerGas { get; init; }

    public BigInteger? MaxPriorityFeePerGas { get; init; }
}

/// <summary>An event log as returned by <c>eth_getLogs</c> and in receipts.</summary>
public sealed record Log
{
    public Address Address { get; init; }

    public IReadOnlyList<byte[]> Topics { get; init; } = [];

    public byte[] Data { get; init; } = [];

    public long BlockNumber { get; init; }

    public string? BlockHash { get; init; }

    public string? TransactionHash { get; init; }

    public long TransactionIndex { get; init; }

    public long LogIndex { get; init; }

    /// <summary>True when the log was removed by a reorg (filters only).</summary>
    public bool Removed { get; init; }
}

/// <summary>The result of <c>eth_getTransactionReceipt</c>.</summary>
public sealed record TransactionReceipt
{
    public string TransactionHash { get; init; } = "";

    public long TransactionIndex { get; init; }

    public string BlockHash { get; init; } = "";

    public long BlockNumber { get; init; }

    public Address From { get; init; }

    public Address? To { get; init; }

    public BigInteger CumulativeGasUsed { get; init; }

    public BigInteger GasUsed { get; init; }

    public BigInteger? EffectiveGasPrice { get; init; }

    public Address? ContractAddress { get; init; }

    public IReadOnlyList<Log> Logs { get; init; } = [];

    /// <summary>1 on success, 0 when the transaction reverted.</summary>
    public long Status { get; init; }

    public long Type { get; init; }

    public bool Succeeded => Status == 1;
}

/// <summary>A block header with its transaction hashes (from <c>eth_getBlockBy*</c> without full transactions).</summary>
public sealed record Block
{
    public long Number { get; init; }

    public string Hash { get; init; } = "";

    public string ParentHash { get; init; } = "";

    public long Timestamp { get; init; }

    public BigInteger GasLimit { get; init; }

    public BigInteger GasUsed { get; init; }

    /// <summary>Null before London (no EIP-1559).</summary>
    public BigInteger? BaseFeePerGas { get; init; }

    public Address Miner { get; init; }

    public IReadOnlyList<string> Transactions { get; init; } = [];
}

/// <summary>The result of <c>eth_feeHistory</c>.</summary>
public sealed record FeeHistory
{
    public long OldestBlock { get; init; }

    public IReadOnlyList<BigInteger> BaseFeePerGas { get; init; } = [];

    public IReadOnlyList<double> GasUsedRatio { get; init; } = [];

    public IReadOnlyList<IReadOnlyList<BigInteger>>? Reward { get; init; }
}

/// <summary>Suggested EIP-1559 fees (wei per gas).</summary>
public sealed record FeeSuggestion(BigInteger MaxFeePerGas, BigInteger MaxPriorityFeePerGas);

/// <summary>An <c>eth_getLogs</c> filter. Topics: each position is null (any), or a list of alternatives.</summary>
public sealed record LogFilter
{
    public BlockParameter? FromBlock { get; init; }

    public BlockParameter? ToBlock { get; init; }

    /// <summary>Restricts to one block by hash; excludes FromBlock/ToBlock.</summary>
    public string? BlockHash { get; init; }

    public IReadOnlyList<Address> Addresses { get; init; } = [];

    public IReadOnlyList<IReadOnlyList<byte[]>?> Topics { get; init; } = [];

    internal Dictionary<string, object?> ToJson()
    {
        var json = new Dictionary<string, object?>();
        if (BlockHash is not null)
        {
            if (FromBlock is not null || ToBlock is not null)
            {
                throw new ArgumentException("A log filter takes either a block hash or a block range, not both.");
            }
            json["blockHash"] = BlockHash;
        }
        if (FromBlock is { } from)
        {
            json["fromBlock"] = from.ToString();
        }
        if (ToBlock is { } to)
        {
            json["toBlock"] = to.ToString();
        }
        if (Addresses.Count == 1)
        {
            json["address"] = Addresses[0].ToLowerHex();
        }
        else if (Addresses.Count > 1)
        {
            json["address"] = Addresses.Select(a => a.ToLowerHex()).ToArray();
        }
        if (Topics.Count > 0)
        {
            json["topics"] = Topics.Select(t => t is null ? null : (object)t.Select(x => Hex.Encode(x)).ToArray()).ToArray();
        }
        return json;
    }
}
