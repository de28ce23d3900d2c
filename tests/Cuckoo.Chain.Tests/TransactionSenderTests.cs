using System.Collections.Concurrent;
using System.Numerics;
using System.Text.Json;
using Cuckoo.Chain.Tests.Support;
using Nethereum.Hex.HexConvertors.Extensions;
using Nethereum.Model;
using Nethereum.RLP;
using Nethereum.Signer;

namespace Cuckoo.Chain.Tests;

public sealed class TransactionSenderTests
{
    private static readonly ChainClientOptions Fast = new()
    {
        MaxRetries = 2,
        InitialBackoff = TimeSpan.FromMilliseconds(10),
        ReceiptPollInterval = TimeSpan.FromMilliseconds(10),
        DevnetMining = DevnetMining.Never,
    };

    /// <summary>A raw transaction as the node sees it: decoded by Nethereum.</summary>
    internal sealed record Accepted(ISignedTransaction Transaction, string Raw)
    {
        public Address From => Address.Parse(Transaction.GetSenderAddress());

        public BigInteger Nonce => Transaction switch
        {
            Transaction1559 t => t.Nonce!.Value,
            LegacyTransactionChainId l => l.Nonce.ToBigIntegerFromRLPDecoded(),
            _ => throw new InvalidOperationException("unexpected transaction type"),
        };

        public string Hash => Nethereum.Util.Sha3Keccack.Current.CalculateHashFromHex(Raw).EnsureHexPrefix();
    }

    /// <summary>Just enough of a node to accept raw transactions and enforce nonces, as a real one does.</summary>
    private sealed class MiniNode
    {
        private readonly Lock _gate = new();

        public BigInteger ExpectedNonce { get; set; } = 5;

        public ConcurrentBag<Accepted> Accepted { get; } = [];

        public bool RevertOnEstimate { get; set; }

        public int ReceiptStatus { get; set; } = 1;

        public FakeReply Handle(JsonElement request, int n)
        {
            var method = request.GetProperty("method").GetString();
            var p = request.GetProperty("params");
            switch (method)
            {
                case "eth_chainId":
                    return FakeReply.Result("\"0x7a69\"", request);
                case "eth_estimateGas":
                    return RevertOnEstimate
                        ? FakeReply.Error(3, "execution reverted", request, $"\"{RevertData.Error("not allowed")}\"")
                        : FakeReply.Result("\"0x5208\"", request);
                case "eth_getBlockByNumber":
                    return FakeReply.Result("""{"number":"0x1","hash":"0x01","parentHash":"0x00","timestamp":"0x1","gasLimit":"0x1c9c380","gasUsed":"0x0","baseFeePerGas":"0x3b9aca00","miner":"0x0000000000000000000000000000000000000000","transactions":[]}""", request);
                case "eth_maxPriorityFeePerGas":
                    return FakeReply.Error(-32601, "Method eth_maxPriorityFeePerGas is not supported", request);
                case "eth_feeHistory":
                    return FakeReply.Result("""{"oldestBlock":"0x1","baseFeePerGas":["0x3b9aca00"],"gasUsedRatio":[0.5],"reward":[["0x2"],["0x3"],["0x4"]]}""", request);
                case "eth_getTransactionCount":
                    lock (_gate)
                    {
                        return FakeReply.Result($"\"{Hex.EncodeQuantity(ExpectedNonce)}\"", request);
                    }
                case "eth_sendRawTransaction":
                    var raw = p[0].GetString()!;
                    var signed = new Accepted(TransactionFactory.CreateTransaction(raw), raw);
                    lock (_gate)
                    {
                        if (signed.Nonce < ExpectedNonce)
                        {
                            return FakeReply.Error(-32000, $"Nonce too low. Expected nonce to be {ExpectedNonce} but got {signed.Nonce}.", request);
                        }
                        if (signed.Nonce > ExpectedNonce)
                        {
                            return FakeReply.Error(-32000, "Nonce too high.", request);
                        }
                        ExpectedNonce++;
                        Accepted.Add(signed);
                    }
                    return FakeReply.Result($"\"{signed.Hash}\"", request);
                case "eth_getTransactionReceipt":
                    return FakeReply.Result(ChainClientTests.ReceiptJson(3, status: ReceiptStatus), request);
                case "eth_call":
                    // Replaying the failed transaction at the block before it tells why it reverted.
                    return p[1].GetString() == "0x2"
                        ? FakeReply.Error(3, "execution reverted", request, $"\"{RevertData.Error("stake is locked")}\"")
                        : FakeReply.Result("\"0x\"", request);
                default:
                    return FakeReply.Error(-32601, $"no {method}", request);
            }
        }
    }

    [Fact]
    public async Task Concurrent_sends_get_consecutive_nonces_and_resync_after_nonce_too_low()
    {
        var node = new MiniNode();
        await using var server = new FakeRpcServer(node.Handle);
        using var client = new ChainClient(server.Uri, Fast);
        var key = EthKey.Generate();
        var senders = Enumerable.Range(0, 2).Select(_ => new TransactionSender(client, key)).ToArray();
        var to = Address.Parse("0x52908400098527886E0F7030069857D2E4169EE7");

        var sent = await Task.WhenAll(Enumerable.Range(0, 12).Select(i =>
            senders[i % 2].SendAsync(new TransactionRequest { To = to, Value = i })));
        Assert.Equal(Enumerable.Range(5, 12).Select(i => new BigInteger(i)), sent.Select(s => s.Nonce).Order());
        Assert.Equal(12, node.Accepted.Count);
        var first = (Transaction1559)node.Accepted.First().Transaction;
        Assert.Equal(new BigInteger(31337), first.ChainId);
        Assert.Equal(new BigInteger(21000 * 120 / 100), first.GasLimit);
        // No eth_maxPriorityFeePerGas here: Nethereum's default tip (2 gwei), the max fee twice the base fee (1 gwei) plus it.
        Assert.Equal(new BigInteger(2_000_000_000), first.MaxPriorityFeePerGas);
        Assert.Equal(new BigInteger(4_000_000_000), first.MaxFeePerGas);
        Assert.All(node.Accepted, tx => Assert.Equal(key.Address, tx.From));

        // Another wallet with the same key spent nonces 17..29: the local nonce (17) is now too low.
        node.ExpectedNonce = 30;
        var after = await senders[0].SendAsync(new TransactionRequest { To = to });
        Assert.Equal(new BigInteger(30), after.Nonce);
        var next = await senders[1].SendAsync(new TransactionRequest { To = to, GasLimit = 50000 });
        Assert.Equal(new BigInteger(31), next.Nonce);
    }

    [Fact]
    public async Task A_failed_broadcast_makes_the_next_send_reread_the_nonce()
    {
        var node = new MiniNode();
        var failNext = 1;
        await using var server = new FakeRpcServer((request, n) =>
            request.GetProperty("method").GetString() == "eth_sendRawTransaction" && Interlocked.Exchange(ref failNext, 0) == 1
                ? FakeReply.Error(-32000, "insufficient funds for gas * price + value", request)
                : node.Handle(request, n));
        using var client = new ChainClient(server.Uri, Fast);
        var sender = new TransactionSender(client, EthKey.Generate());
        await Assert.ThrowsAsync<RpcException>(() => sender.SendAsync(new TransactionRequest { To = Address.Zero, GasLimit = 21000 }));
        // Hardhat would have mined it anyway: the node's count moved on, and the next send must ask again.
        node.ExpectedNonce = 9;
        var next = await sender.SendAsync(new TransactionRequest { To = Address.Zero, GasLimit = 21000 });
        Assert.Equal(new BigInteger(9), next.Nonce);
    }

    [Fact]
    public async Task A_revert_at_estimation_fails_the_send_without_using_a_nonce()
    {
        var node = new MiniNode { RevertOnEstimate = true };
        await using var server = new FakeRpcServer(node.Handle);
        using var client = new ChainClient(server.Uri, Fast);
        var sender = new TransactionSender(client, EthKey.Generate());
        var ex = await Assert.ThrowsAsync<ContractRevertException>(() => sender.SendAsync(new TransactionRequest { To = Address.Zero }));
        Assert.Equal("not allowed", ex.Reason);
        Assert.Empty(node.Accepted);
        node.RevertOnEstimate = false;
        var receipt = await sender.SendAndWaitAsync(new TransactionRequest { To = Address.Zero }, confirmations: 1, timeout: TimeSpan.FromSeconds(10));
        Assert.True(receipt.Succeeded);
        Assert.Equal(new BigInteger(5), node.Accepted.Single().Nonce);
    }

    [Fact]
    public async Task A_mined_revert_surfaces_the_replayed_reason()
    {
        var node = new MiniNode { ReceiptStatus = 0 };
        await using var server = new FakeRpcServer(node.Handle);
        using var client = new ChainClient(server.Uri, Fast);
        var sender = new TransactionSender(client, EthKey.Generate());
        var ex = await Assert.ThrowsAsync<TransactionFailedException>(() =>
            sender.SendAndWaitAsync(new TransactionRequest { To = Address.Zero, GasLimit = 100000 }, timeout: TimeSpan.FromSeconds(10)));
        Assert.Equal("stake is locked", ex.Revert!.Reason);
        Assert.False(ex.Receipt.Succeeded);
        Assert.Contains("stake is locked", ex.Message);
    }

    [Fact]
    public async Task A_sender_for_another_chain_refuses_to_sign()
    {
        var node = new MiniNode();
        await using var server = new FakeRpcServer(node.Handle);
        using var client = new ChainClient(server.Uri, Fast);
        var sender = new TransactionSender(client, EthKey.Generate(), new TransactionSenderOptions { ChainId = 1 });
        var ex = await Assert.ThrowsAsync<WrongChainException>(() => sender.SendAsync(new TransactionRequest { To = Address.Zero }));
        Assert.Equal($"Wrong chain: the node at {server.Uri} is on chain 31337, but this sender signs for chain 1; nothing was sent.", ex.Message);
        Assert.Equal((1L, 31337L), (ex.ExpectedChainId, ex.ActualChainId));
        Assert.Empty(node.Accepted);
    }

    [Fact]
    public async Task Legacy_sends_use_the_gas_price_and_eip155()
    {
        var node = new MiniNode();
        await using var server = new FakeRpcServer(node.Handle);
        using var client = new ChainClient(server.Uri, Fast);
        var sender = new TransactionSender(client, EthKey.Generate());
        await sender.SendAsync(new TransactionRequest { To = Address.Zero, GasPrice = 7, GasLimit = 21000 });
        var tx = Assert.IsType<LegacyTransactionChainId>(node.Accepted.Single().Transaction);
        Assert.Equal(new BigInteger(7), tx.GasPrice.ToBigIntegerFromRLPDecoded());
        Assert.Equal(new BigInteger(31337), tx.GetChainIdAsBigInteger());
    }
}
