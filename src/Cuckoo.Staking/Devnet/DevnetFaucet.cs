using System.Numerics;
using Cuckoo.Chain;

namespace Cuckoo.Staking.Devnet;

/// <summary>What <see cref="DevnetFaucet.FundAsync"/> did.</summary>
/// <param name="Recipient">The funded address.</param>
/// <param name="EthSent">Wei of ETH a development account sent for gas (0 when the address had enough).</param>
/// <param name="EthTransactionHash">That transfer's hash, or null.</param>
/// <param name="Faucet">The recipient's own <c>faucet()</c> call, with its <see cref="FaucetUsed"/> event.</param>
public sealed record DevnetFaucetResult(Address Recipient, BigInteger EthSent, string? EthTransactionHash, TransactionOutcome Faucet)
{
    /// <summary>CAI minted to the recipient, in wei.</summary>
    public BigInteger CaiReceived => Faucet.Single<FaucetUsed>().Amount;
}

/// <summary>
/// The devnet faucet for a brand-new key: a development account sends it ETH for gas when it has too little, then the key
/// calls <c>faucet()</c> itself (the cooldown is per address, so the CAI must be minted to it, not transferred). Only for a
/// local chain: the funder is one of Hardhat's publicly known accounts.
/// </summary>
public static class DevnetFaucet
{
    /// <summary>Below this balance the key gets <see cref="DefaultGasFunding"/>: 0.1 ETH.</summary>
    public static readonly BigInteger MinimumGasBalance = BigInteger.Pow(10, 17);

    /// <summary>ETH sent for gas: 1 ETH (thousands of transactions on a devnet).</summary>
    public static readonly BigInteger DefaultGasFunding = BigInteger.Pow(10, 18);

    /// <summary>Funds <paramref name="recipient"/> with gas if needed and calls the token's faucet from it, in one call.</summary>
    /// <param name="funder">The account that pays the ETH; <see cref="DevAccounts.Deployer"/> by default.</param>
    /// <exception cref="StakingRevertException">the faucet is off or cooling down for this address (the message says until when).</exception>
    public static async Task<DevnetFaucetResult> FundAsync(
        CaiTokenClient token, EthKey recipient, EthKey? funder = null, BigInteger? gasFunding = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(token);
        ArgumentNullException.ThrowIfNull(recipient);
        var client = token.Client;
        var balance = await client.GetBalanceAsync(recipient.Address, cancellationToken: cancellationToken).ConfigureAwait(false);
        BigInteger sent = 0;
        string? hash = null;
        if (balance < MinimumGasBalance)
        {
            sent = gasFunding ?? DefaultGasFunding;
            var payer = new TransactionSender(client, funder ?? DevAccounts.Deployer.Key);
            var receipt = await payer.SendAndWaitAsync(
                new TransactionRequest { To = recipient.Address, Value = sent }, token.Options.Confirmations, token.Options.ReceiptTimeout, cancellationToken).ConfigureAwait(false);
            hash = receipt.TransactionHash;
        }
        var faucet = await token.FaucetAsync(new TransactionSender(client, recipient), cancellationToken).ConfigureAwait(false);
        return new DevnetFaucetResult(recipient.Address, sent, hash, faucet);
    }
}
