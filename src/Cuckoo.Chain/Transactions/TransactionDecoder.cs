using System.Numerics;

namespace Cuckoo.Chain;

/// <summary>Decodes raw signed transactions (legacy and EIP-1559) and recovers their sender.</summary>
public static class TransactionDecoder
{
    /// <exception cref="FormatException">not hex or not a valid transaction.</exception>
    public static SignedTransaction Decode(string rawHex) => Decode(Hex.Decode(rawHex));

    /// <exception cref="RlpException">malformed RLP.</exception>
    /// <exception cref="FormatException">an unsupported type, a wrong field count, or an invalid signature.</exception>
    public static SignedTransaction Decode(ReadOnlySpan<byte> raw)
    {
        if (raw.Length == 0)
        {
            throw new FormatException("A raw transaction cannot be empty.");
        }
        if (raw[0] >= 0xc0)
        {
            return DecodeLegacy(raw);
        }
        if (raw[0] == 0x02)
        {
            return DecodeEip1559(raw);
        }
        throw new FormatException($"Transaction type 0x{raw[0]:x2} is not supported (only legacy and type 2).");
    }

    private static SignedTransaction DecodeLegacy(ReadOnlySpan<byte> raw)
    {
        var fields = Rlp.Decode(raw);
        if (!fields.IsList || fields.Items.Count != 9)
        {
            throw new FormatException("A legacy transaction is an RLP list of 9 fields.");
        }
        var f = fields.Items;
        var v = f[6].ToBigInteger();
        BigInteger? chainId;
        int recoveryId;
        if (v == 27 || v == 28)
        {
            chainId = null;
            recoveryId = (int)(v - 27);
        }
        else if (v >= 35)
        {
            chainId = (v - 35) / 2;
            recoveryId = (int)((v - 35) % 2);
        }
        else
        {
            throw new FormatException($"Legacy transaction v = {v} is neither 27/28 nor EIP-155.");
        }
        var tx = new LegacyTransaction
        {
            Nonce = f[0].ToBigInteger(),
            GasPrice = f[1].ToBigInteger(),
            GasLimit = f[2].ToBigInteger(),
            To = ReadTo(f[3]),
            Value = f[4].ToBigInteger(),
            Data = f[5].Bytes,
            ChainId = chainId,
        };
        return Finish(tx, Signature(f[7], f[8], recoveryId), raw);
    }

    private static SignedTransaction DecodeEip1559(ReadOnlySpan<byte> raw)
    {
        var fields = Rlp.Decode(raw[1..]);
        if (!fields.IsList || fields.Items.Count != 12)
        {
            throw new FormatException("An EIP-1559 transaction is 0x02 followed by an RLP list of 12 fields.");
        }
        var f = fields.Items;
        var yParity = f[9].ToBigInteger();
        if (yParity > 1)
        {
            throw new FormatException($"EIP-1559 y parity must be 0 or 1, not {yParity}.");
        }
        var tx = new Eip1559Transaction
        {
            ChainId = f[0].ToBigInteger(),
            Nonce = f[1].ToBigInteger(),
            MaxPriorityFeePerGas = f[2].ToBigInteger(),
            MaxFeePerGas = f[3].ToBigInteger(),
            GasLimit = f[4].ToBigInteger(),
            To = ReadTo(f[5]),
            Value = f[6].ToBigInteger(),
            Data = f[7].Bytes,
            AccessList = f[8].Items.Select(ReadAccessListEntry).ToArray(),
        };
        return Finish(tx, Signature(f[10], f[11], (int)yParity), raw);
    }

    private static AccessListEntry ReadAccessListEntry(RlpItem item)
    {
        if (!item.IsList || item.Items.Count != 2)
        {
            throw new FormatException("An access list entry is [address, storageKeys].");
        }
        var keys = item.Items[1].Items.Select(k => k.Bytes.Length == 32 ? k.Bytes : throw new FormatException("A storage key is 32 bytes.")).ToArray();
        return new AccessListEntry(ReadAddress(item.Items[0]), keys);
    }

    private static Address? ReadTo(RlpItem item) => item.Bytes.Length == 0 ? null : ReadAddress(item);

    private static Address ReadAddress(RlpItem item) =>
        item.Bytes.Length == 20 ? Address.FromBytes(item.Bytes) : throw new FormatException($"An address is 20 bytes, not {item.Bytes.Length}.");

    private static EthSignature Signature(RlpItem r, RlpItem s, int recoveryId)
    {
        try
        {
            return new EthSignature(r.ToBigInteger(), s.ToBigInteger(), recoveryId);
        }
        catch (ArgumentOutOfRangeException ex)
        {
            throw new FormatException($"Invalid transaction signature: {ex.Message}", ex);
        }
    }

    private static SignedTransaction Finish(Transaction tx, EthSignature signature, ReadOnlySpan<byte> raw)
    {
        var from = EcRecover.RecoverAddress(tx.SigningHash(), signature);
        return new SignedTransaction(tx, signature, raw.ToArray(), from);
    }
}
