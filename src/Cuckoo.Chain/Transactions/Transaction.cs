using System.Numerics;

namespace Cuckoo.Chain;

/// <summary>An entry of an EIP-2930 access list.</summary>
public sealed record AccessListEntry(Address Address, IReadOnlyList<byte[]> StorageKeys);

/// <summary>An unsigned transaction. <see cref="Eip1559Transaction"/> (type 2) and <see cref="LegacyTransaction"/> (EIP-155).</summary>
public abstract record Transaction
{
    public BigInteger Nonce { get; init; }

    public BigInteger GasLimit { get; init; }

    /// <summary>The recipient; null creates a contract.</summary>
    public Address? To { get; init; }

    public BigInteger Value { get; init; }

    public byte[] Data { get; init; } = [];

    /// <summary>0 for legacy, 2 for EIP-1559.</summary>
    public abstract int Type { get; }

    /// <summary>The chain id the signature commits to; null only for pre-EIP-155 legacy transactions.</summary>
    public abstract BigInteger? ChainIdOrNull { get; }

    /// <summary>The hash the sender signs.</summary>
    public abstract byte[] SigningHash();

    /// <summary>The raw (network) encoding with a signature.</summary>
    public abstract byte[] EncodeSigned(EthSignature signature);

    /// <summary>Signs and encodes the transaction.</summary>
    public SignedTransaction Sign(EthKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var signature = key.Sign(SigningHash());
        var raw = EncodeSigned(signature);
        return new SignedTransaction(this, signature, raw, key.Address);
    }

    internal byte[] EncodeTo() => To is { } to ? Rlp.EncodeBytes(to.ToBytes()) : Rlp.EncodeBytes([]);

    internal void Validate()
    {
        if (Nonce.Sign < 0 || GasLimit.Sign < 0 || Value.Sign < 0)
        {
            throw new ArgumentException("Nonce, gas limit and value cannot be negative.");
        }
    }
}

/// <summary>A type-2 (EIP-1559) transaction.</summary>
public sealed record Eip1559Transaction : Transaction
{
    public required BigInteger ChainId { get; init; }

    public BigInteger MaxPriorityFeePerGas { get; init; }

    public BigInteger MaxFeePerGas { get; init; }

    public IReadOnlyList<AccessListEntry> AccessList { get; init; } = [];

    public override int Type => 2;

    public override BigInteger? ChainIdOrNull => ChainId;

    public override byte[] SigningHash()
    {
        var payload = Rlp.EncodeList(Fields());
        return Keccak256.Hash(Prefixed(payload));
    }

    public override byte[] EncodeSigned(EthSignature signature)
    {
        ArgumentNullException.ThrowIfNull(signature);
        var fields = Fields().Concat(
        [
            Rlp.EncodeInteger(signature.RecoveryId),
            Rlp.EncodeInteger(signature.R),
            Rlp.EncodeInteger(signature.S),
        ]).ToArray();
        return Prefixed(Rlp.EncodeList(fields));
    }

    private byte[][] Fields()
    {
        Validate();
        if (MaxPriorityFeePerGas > MaxFeePerGas)
        {
            throw new ArgumentException($"The priority fee ({MaxPriorityFeePerGas}) cannot exceed the max fee ({MaxFeePerGas}).");
        }
        return
        [
            Rlp.EncodeInteger(ChainId),
            Rlp.EncodeInteger(Nonce),
            Rlp.EncodeInteger(MaxPriorityFeePerGas),
            Rlp.EncodeInteger(MaxFeePerGas),
            Rlp.EncodeInteger(GasLimit),
            EncodeTo(),
            Rlp.EncodeInteger(Value),
            Rlp.EncodeBytes(Data),
            EncodeAccessList(AccessList),
        ];
    }

    internal static byte[] EncodeAccessList(IReadOnlyList<AccessListEntry> list) =>
        Rlp.EncodeList(list.Select(e => Rlp.EncodeList(
            Rlp.EncodeBytes(e.Address.ToBytes()),
            Rlp.EncodeList(e.StorageKeys.Select(k => k.Length == 32 ? Rlp.EncodeBytes(k) : throw new ArgumentException("A storage key is 32 bytes.")).ToArray()))).ToArray());

    private static byte[] Prefixed(byte[] payload)
    {
        var result = new byte[payload.Length + 1];
        result[0] = 0x02;
        payload.CopyTo(result, 1);
        return result;
    }
}

/// <summary>A legacy transaction; with a chain id it is replay-protected per EIP-155.</summary>
public sealed record LegacyTransaction : Transaction
{
    public BigInteger GasPrice { get; init; }

    /// <summary>The chain id (EIP-155); null signs a pre-EIP-155 transaction valid on every chain.</summary>
    public BigInteger? ChainId { get; init; }

    public override int Type => 0;

    public override BigInteger? ChainIdOrNull => ChainId;

    public override byte[] SigningHash()
    {
        var fields = Fields().ToList();
        if (ChainId is { } chainId)
        {
            fields.Add(Rlp.EncodeInteger(chainId));
            fields.Add(Rlp.EncodeInteger(0));
            fields.Add(Rlp.EncodeInteger(0));
        }
        return Keccak256.Hash(Rlp.EncodeList(fields.ToArray()));
    }

    public override byte[] EncodeSigned(EthSignature signature)
    {
        ArgumentNullException.ThrowIfNull(signature);
        var v = ChainId is { } chainId ? chainId * 2 + 35 + signature.RecoveryId : 27 + signature.RecoveryId;
        var fields = Fields().Concat(
        [
            Rlp.EncodeInteger(v),
            Rlp.EncodeInteger(signature.R),
            Rlp.EncodeInteger(signature.S),
        ]).ToArray();
        return Rlp.EncodeList(fields);
    }

    private byte[][] Fields()
    {
        Validate();
        return
        [
            Rlp.EncodeInteger(Nonce),
            Rlp.EncodeInteger(GasPrice),
            Rlp.EncodeInteger(GasLimit),
            EncodeTo(),
            Rlp.EncodeInteger(Value),
            Rlp.EncodeBytes(Data),
        ];
    }
}

/// <summary>A signed transaction: what is sent with <c>eth_sendRawTransaction</c>.</summary>
public sealed class SignedTransaction(Transaction transaction, EthSignature signature, byte[] raw, Address from)
{
    public Transaction Transaction { get; } = transaction;

    public EthSignature Signature { get; } = signature;

    /// <summary>The raw encoding (type byte + RLP for typed transactions).</summary>
    public byte[] Raw { get; } = raw;

    public string RawHex => Hex.Encode(Raw);

    /// <summary>keccak256 of the raw encoding: the transaction hash.</summary>
    public byte[] Hash { get; } = Keccak256.Hash(raw);

    public string HashHex => Hex.Encode(Hash);

    /// <summary>The sender (the signer's address, or the address recovered from the signature).</summary>
    public Address From { get; } = from;
}
