using System.Numerics;
using Nethereum.Hex.HexConvertors.Extensions;
using Nethereum.Model;
using Nethereum.RLP;

namespace Cuckoo.Chain;

/// <summary>
/// Signed raw transactions from Nethereum's transaction models (<see cref="Transaction1559"/>,
/// <see cref="LegacyTransactionChainId"/>: RLP, signing hash, v). The signature itself is <see cref="EthKey.Sign"/>'s,
/// because Nethereum's signers pass keys with a leading zero byte to NBitcoin in 31 bytes, which it refuses.
/// </summary>
public static class TransactionSigning
{
    /// <summary>An EIP-1559 (type 2) transaction, as 0x-hex.</summary>
    public static string Sign1559(EthKey key, BigInteger chainId, BigInteger nonce, BigInteger maxPriorityFeePerGas, BigInteger maxFeePerGas,
        BigInteger gasLimit, Address? to, BigInteger value, byte[] data)
    {
        ArgumentNullException.ThrowIfNull(key);
        var tx = new Transaction1559(chainId, nonce, maxPriorityFeePerGas, maxFeePerGas, gasLimit, to?.ToString(), value,
            data.Length == 0 ? null : data.ToHex(prefix: true), accessList: null);
        var signature = key.Sign(tx.RawHash);
        tx.SetSignature(new Signature(Minimal(signature.R), Minimal(signature.S), [(byte)signature.RecoveryId]));
        return tx.GetRLPEncoded().ToHex(prefix: true);
    }

    /// <summary>A legacy transaction with EIP-155 replay protection, as 0x-hex.</summary>
    public static string SignLegacy(EthKey key, BigInteger chainId, BigInteger nonce, BigInteger gasPrice, BigInteger gasLimit, Address? to,
        BigInteger value, byte[] data)
    {
        ArgumentNullException.ThrowIfNull(key);
        var tx = new LegacyTransactionChainId(to?.ToString() ?? "", value, nonce, gasPrice, gasLimit, data.ToHex(prefix: true), chainId);
        var signature = key.Sign(tx.RawHash);
        var v = VRecoveryAndChainCalculations.CalculateV(chainId, signature.RecoveryId).ToBytesForRLPEncoding();
        tx.SetSignature(new Signature(Minimal(signature.R), Minimal(signature.S), v));
        return tx.GetRLPEncoded().ToHex(prefix: true);
    }

    private static byte[] Minimal(BigInteger value) => value.ToByteArray(isUnsigned: true, isBigEndian: true);
}
