using System.Numerics;
using Nethereum.Hex.HexConvertors.Extensions;
using Nethereum.Hex.HexTypes;
using N = Nethereum.RPC.Eth.DTOs;

namespace Cuckoo.Chain;

/// <summary>A block reference: a tag (<c>latest</c>, <c>pending</c>, …) or a number. Converts to Nethereum's.</summary>
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

    public static BlockParameter Number(BigInteger number) =>
        number.Sign >= 0 ? new(null, number) : throw new ArgumentOutOfRangeException(nameof(number), "A block number cannot be negative.");

    /// <summary>The block number, or null for a tag.</summary>
    public BigInteger? BlockNumber => _isNumber ? _number : null;

    public static implicit operator BlockParameter(long number) => Number(number);

    public static implicit operator BlockParameter(BigInteger number) => Number(number);

    /// <summary>The JSON-RPC form: the tag or a hex quantity (<c>default</c> is <c>latest</c>).</summary>
    public override string ToString() => _isNumber ? Hex.EncodeQuantity(_number) : _tag ?? "latest";

    public N.BlockParameter ToNethereum() => (_isNumber, _tag) switch
    {
        (true, _) => new N.BlockParameter(new HexBigInteger(_number)),
        (_, "pending") => N.BlockParameter.CreatePending(),
        (_, "earliest") => N.BlockParameter.CreateEarliest(),
        _ => N.BlockParameter.CreateLatest(),
    };
}

/// <summary>Parameters of <c>eth_call</c> and <c>eth_estimateGas</c>.</summary>
public sealed record CallRequest
{
    public Address? From { get; init; }

    public Address? To { get; init; }

    public byte[]? Data { get; init; }

    public BigInteger? Value { get; init; }

    public BigInteger? Gas { get; init; }

    public N.CallInput ToNethereum() => new()
    {
        From = From?.ToString(),
        To = To?.ToString(),
        Data = Data is null ? null : Hex.Encode(Data),
        Value = Value is { } v ? new HexBigInteger(v) : null,
        Gas = Gas is { } g ? new HexBigInteger(g) : null,
    };
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

    /// <summary>The Nethereum form (what Nethereum's event decoders take); kept from the node's answer when there was one.</summary>
    public N.FilterLog ToNethereum() => Source ?? new N.FilterLog
    {
        Address = Address.ToLowerHex(),
        Topics = Topics.Select(t => (object)Hex.Encode(t)).ToArray(),
        Data = Hex.Encode(Data),
        BlockNumber = new HexBigInteger(BlockNumber),
        BlockHash = BlockHash,
        TransactionHash = TransactionHash,
        TransactionIndex = new HexBigInteger(TransactionIndex),
        LogIndex = new HexBigInteger(LogIndex),
        Removed = Removed,
    };

    internal N.FilterLog? Source { get; init; }

    /// <exception cref="FormatException">the node's log is malformed.</exception>
    public static Log FromNethereum(N.FilterLog log)
    {
        ArgumentNullException.ThrowIfNull(log);
        return new Log
        {
            Address = Address.Parse(log.Address),
            Topics = (log.Topics ?? []).Select(t => Hex.Decode(t?.ToString() ?? "")).ToArray(),
            Data = Hex.Decode(log.Data ?? "0x"),
            BlockNumber = ToLong(log.BlockNumber),
            BlockHash = log.BlockHash,
            TransactionHash = log.TransactionHash,
            TransactionIndex = ToLong(log.TransactionIndex),
            LogIndex = ToLong(log.LogIndex),
            Removed = log.Removed,
            Source = log,
        };
    }

    internal static long ToLong(HexBigInteger? value) => value is null ? 0 : (long)value.Value;
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

    public static TransactionReceipt FromNethereum(N.TransactionReceipt r)
    {
        ArgumentNullException.ThrowIfNull(r);
        static Address? Optional(string? text) => string.IsNullOrEmpty(text) ? null : Address.Parse(text);
        return new TransactionReceipt
        {
            TransactionHash = r.TransactionHash,
            TransactionIndex = Log.ToLong(r.TransactionIndex),
            BlockHash = r.BlockHash,
            BlockNumber = Log.ToLong(r.BlockNumber),
            From = Optional(r.From) ?? default,
            To = Optional(r.To),
            CumulativeGasUsed = r.CumulativeGasUsed?.Value ?? 0,
            GasUsed = r.GasUsed?.Value ?? 0,
            EffectiveGasPrice = r.EffectiveGasPrice?.Value,
            ContractAddress = Optional(r.ContractAddress),
            Logs = (r.Logs ?? []).Select(Log.FromNethereum).ToArray(),
            Status = Log.ToLong(r.Status),
            Type = Log.ToLong(r.Type),
        };
    }
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

    public static Block FromNethereum(N.BlockWithTransactionHashes b)
    {
        ArgumentNullException.ThrowIfNull(b);
        return new Block
        {
            Number = Log.ToLong(b.Number),
            Hash = b.BlockHash,
            ParentHash = b.ParentHash,
            Timestamp = Log.ToLong(b.Timestamp),
            GasLimit = b.GasLimit?.Value ?? 0,
            GasUsed = b.GasUsed?.Value ?? 0,
            BaseFeePerGas = b.BaseFeePerGas?.Value,
            Miner = Address.TryParse(b.Miner, out var miner) ? miner : default,
            Transactions = b.TransactionHashes ?? [],
        };
    }
}

/// <summary>Suggested EIP-1559 fees (wei per gas).</summary>
public sealed record FeeSuggestion(BigInteger MaxFeePerGas, BigInteger MaxPriorityFeePerGas);

/// <summary>An <c>eth_getLogs</c> filter. Topics: each position is null (any), or a list of alternatives.</summary>
public sealed record LogFilter
{
    public BlockParameter? FromBlock { get; init; }

    public BlockParameter? ToBlock { get; init; }

    public IReadOnlyList<Address> Addresses { get; init; } = [];

    public IReadOnlyList<IReadOnlyList<byte[]>?> Topics { get; init; } = [];

    public N.NewFilterInput ToNethereum() => new()
    {
        FromBlock = FromBlock?.ToNethereum(),
        ToBlock = ToBlock?.ToNethereum(),
        Address = Addresses.Count == 0 ? null : Addresses.Select(a => a.ToLowerHex()).ToArray(),
        Topics = Topics.Count == 0
            ? null
            : Topics.Select(t => t is null ? null : (object)t.Select(x => x.ToHex(prefix: true)).ToArray()).ToArray(),
    };
}
