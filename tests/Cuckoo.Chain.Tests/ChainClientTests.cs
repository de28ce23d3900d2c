using System.Collections.Concurrent;
using System.Numerics;
using System.Text.Json;
using Cuckoo.Chain.Tests.Support;

namespace Cuckoo.Chain.Tests;

public sealed class ChainClientTests
{
    private static readonly ChainClientOptions Fast = new()
    {
        MaxRetries = 3,
        InitialBackoff = TimeSpan.FromMilliseconds(10),
        MaxBackoff = TimeSpan.FromMilliseconds(50),
        RequestTimeout = TimeSpan.FromSeconds(10),
        ReceiptPollInterval = TimeSpan.FromMilliseconds(10),
        DevnetMining = DevnetMining.Never,
    };

    private static string Method(JsonElement request) => request.GetProperty("method").GetString()!;

    [Fact]
    public async Task Typed_calls_send_hex_params_and_read_hex_results()
    {
        var seen = new ConcurrentQueue<string>();
        await using var server = new FakeRpcServer((request, _) =>
        {
            seen.Enqueue(request.GetRawText());
            return Method(request) switch
            {
                "eth_chainId" => FakeReply.Result("\"0x7a69\"", request),
                "eth_blockNumber" => FakeReply.Result("\"0x10\"", request),
                "eth_getBalance" => FakeReply.Result("\"0xde0b6b3a7640000\"", request),
                "eth_call" => FakeReply.Result("\"0x000000000000000000000000000000000000000000000000000000000000002a\"", request),
                "evm_increaseTime" => FakeReply.Result("3600", request),
                _ => FakeReply.Error(-32601, "method not found", request),
            };
        });
        using var client = new ChainClient(server.Uri, Fast);
        var address = Address.Parse("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed");
        Assert.Equal(31337L, await client.GetChainIdAsync());
        Assert.Equal(16, await client.GetBlockNumberAsync());
        Assert.Equal(BigInteger.Pow(10, 18), await client.GetBalanceAsync(address, BlockParameter.Number(5)));
        var output = await client.EthCallAsync(new CallRequest { To = address, Data = Keccak256.Hash("f()")[..4] });
        Assert.Equal(new BigInteger(42), new BigInteger(output, isUnsigned: true, isBigEndian: true));
        Assert.Equal(3600L, await client.CallAsync<long>("evm_increaseTime", 3600));
        var unknown = await Assert.ThrowsAsync<RpcException>(() => client.CallAsync<string>("nope_nope"));
        Assert.Equal(-32601, unknown.Code);

        var requests = seen.Select(s => JsonDocument.Parse(s).RootElement).ToArray();
        var balance = requests.Single(r => Method(r) == "eth_getBalance");
        Assert.Equal("2.0", balance.GetProperty("jsonrpc").GetString());
        Assert.Equal(JsonValueKind.Number, balance.GetProperty("id").ValueKind);
        Assert.Equal($"[\"{address}\",\"0x5\"]", balance.GetProperty("params").GetRawText());
        var call = requests.Single(r => Method(r) == "eth_call").GetProperty("params");
        Assert.Equal("0x26121ff0", call[0].GetProperty("data").GetString());
        Assert.False(call[0].TryGetProperty("from", out _));
        Assert.Equal("latest", call[1].GetString());
        Assert.Equal(1, requests.Count(r => Method(r) == "eth_chainId"));
        await client.GetChainIdAsync();
        await client.EnsureChainIdAsync(31337);
        var wrong = await Assert.ThrowsAsync<WrongChainException>(() => client.EnsureChainIdAsync(1));
        Assert.Equal($"Wrong chain: the node at {server.Uri} is on chain 31337, but chain 1 was expected.", wrong.Message);
    }

    [Fact]
    public async Task Transport_failures_are_retried_until_the_node_answers()
    {
        await using var server = new FakeRpcServer((request, n) => n switch
        {
            1 => new FakeReply(503, "busy"),
            2 => new FakeReply(Abort: true),
            3 => new FakeReply(200, "<html>proxy error</html>"),
            _ => FakeReply.Result("\"0x2a\"", request),
        });
        using var client = new ChainClient(server.Uri, Fast);
        Assert.Equal(42, await client.GetBlockNumberAsync());
        Assert.Equal(4, server.Requests);
    }

    [Fact]
    public async Task A_node_that_stays_down_gives_RpcUnavailableException_after_the_retries()
    {
        await using (var server = new FakeRpcServer((_, _) => new FakeReply(502, "bad gateway")))
        {
            using var client = new ChainClient(server.Uri, Fast);
            var ex = await Assert.ThrowsAsync<RpcUnavailableException>(() => client.GetBlockNumberAsync());
            Assert.Contains("4 attempts", ex.Message);
            Assert.Equal(Fast.MaxRetries + 1, server.Requests);
        }
        using var refused = new ChainClient(new Uri($"http://127.0.0.1:{FakeRpcServer.FreePort()}/"), Fast);
        await Assert.ThrowsAsync<RpcUnavailableException>(() => refused.GetBlockNumberAsync());
    }

    [Fact]
    public async Task Json_rpc_errors_are_answers_and_are_not_retried()
    {
        await using var server = new FakeRpcServer((request, _) =>
            FakeReply.Error(-32000, "insufficient funds for gas * price + value", request, "\"extra\""));
        using var client = new ChainClient(server.Uri, Fast);
        var ex = await Assert.ThrowsAsync<RpcException>(() => client.SendRawTransactionAsync([1, 2, 3]));
        Assert.Equal(-32000, ex.Code);
        Assert.Equal("insufficient funds for gas * price + value", ex.RpcMessage);
        Assert.Equal("extra", ex.ErrorData!.Value.GetString());
        Assert.IsNotType<ContractRevertException>(ex);
        Assert.Equal(1, server.Requests);
    }

    [Fact]
    public async Task A_request_without_an_answer_times_out_and_is_retried()
    {
        FakeRpcServer? self = null;
        await using var server = self = new FakeRpcServer((request, n) =>
            n == 1 ? new FakeReply(HoldUntil: self!.Stopped) : FakeReply.Result("\"0x7\"", request));
        using var client = new ChainClient(server.Uri, Fast with { RequestTimeout = TimeSpan.FromMilliseconds(300) });
        Assert.Equal(7, await client.GetBlockNumberAsync());
        Assert.Equal(2, server.Requests);
    }

    [Fact]
    public async Task Reverts_surface_the_reason_or_the_custom_error()
    {
        await using var server = new FakeRpcServer((request, _) =>
        {
            var to = request.GetProperty("params")[0].GetProperty("to").GetString()!;
            return to[^1] switch
            {
                // Hardhat: the data is an object holding the revert data.
                '1' => FakeReply.Error(-32603, "Error: VM Exception while processing transaction: reverted with reason string 'too small'", request,
                    $$"""{"message":"reverted","data":"{{RevertData.Error("too small")}}"}"""),
                // geth: code 3, data is the revert data.
                '2' => FakeReply.Error(3, "execution reverted", request, $"\"{RevertData.Of(new InsufficientStakeError { Have = 5, Need = 20000 })}\""),
                '3' => FakeReply.Error(-32603, "Error: VM Exception while processing transaction: reverted with reason string 'only message'", request),
                _ => FakeReply.Error(3, "execution reverted", request, $"\"{RevertData.Panic(0x12)}\""),
            };
        });
        using var client = new ChainClient(server.Uri, Fast with { KnownErrors = [typeof(InsufficientStakeError)] });
        CallRequest To(char last) => new() { To = Address.Parse("0x" + new string('0', 39) + last), Data = [1] };

        var hardhat = await Assert.ThrowsAsync<ContractRevertException>(() => client.EthCallAsync(To('1')));
        Assert.Equal("too small", hardhat.Reason);
        Assert.Contains("reverted: too small", hardhat.Message);

        var custom = await Assert.ThrowsAsync<ContractRevertException>(() => client.EstimateGasAsync(To('2')));
        Assert.Equal("InsufficientStake", custom.ErrorName);
        Assert.Equal([new BigInteger(5), new BigInteger(20000)], custom.ErrorArgs!.Cast<BigInteger>());
        Assert.Equal(new BigInteger(20000), custom.Revert.As<InsufficientStakeError>()!.Need);
        Assert.Equal(new BigInteger(5), custom.DecodeError<InsufficientStakeError>()!.Have);
        Assert.Null(custom.DecodeError<NotRegisteredError>());

        var messageOnly = await Assert.ThrowsAsync<ContractRevertException>(() => client.EthCallAsync(To('3')));
        Assert.Equal("only message", messageOnly.Reason);

        var panic = await Assert.ThrowsAsync<ContractRevertException>(() => client.EthCallAsync(To('4')));
        Assert.Equal(RevertKind.Panic, panic.Revert.Kind);
        Assert.Contains("division", panic.Message);
        Assert.Equal(4, server.Requests);
    }

    [Fact]
    public async Task Batch_answers_are_matched_by_id_and_errors_stay_with_their_call()
    {
        await using var server = new FakeRpcServer((request, _) =>
        {
            var answers = request.EnumerateArray().Reverse().Select(r => Method(r) switch
            {
                "eth_blockNumber" => FakeReply.Result("\"0x5\"", r).Body,
                "eth_chainId" => FakeReply.Result("\"0x1\"", r).Body,
                _ => FakeReply.Error(-32601, "no such method", r).Body,
            });
            return new FakeReply(Body: "[" + string.Join(",", answers) + "]");
        });
        using var client = new ChainClient(server.Uri, Fast);
        var batch = client.NewBatch();
        var block = batch.Add<long>("eth_blockNumber");
        var chain = batch.Add<string>("eth_chainId");
        var bad = batch.Add<string>("nope");
        await batch.SendAsync();
        Assert.Equal(5, await block);
        Assert.Equal("0x1", await chain);
        Assert.Equal(-32601, (await Assert.ThrowsAsync<RpcException>(() => bad)).Code);
        Assert.Equal(1, server.Requests);
        await Assert.ThrowsAsync<InvalidOperationException>(() => batch.SendAsync());
    }

    [Fact]
    public async Task A_failed_batch_fails_every_call()
    {
        await using var server = new FakeRpcServer((_, _) => new FakeReply(500, "down"));
        using var client = new ChainClient(server.Uri, Fast with { MaxRetries = 1 });
        var batch = client.NewBatch();
        var a = batch.Add<long>("eth_blockNumber");
        await Assert.ThrowsAsync<RpcUnavailableException>(() => batch.SendAsync());
        await Assert.ThrowsAsync<RpcUnavailableException>(() => a);
        Assert.Equal(2, server.Requests);
    }

    [Fact]
    public async Task Waiting_for_a_receipt_counts_confirmations()
    {
        var head = 9;
        await using var server = new FakeRpcServer((request, _) => Method(request) switch
        {
            "eth_blockNumber" => FakeReply.Result($"\"0x{Interlocked.Increment(ref head):x}\"", request),
            "eth_getTransactionReceipt" when Volatile.Read(ref head) < 10 => FakeReply.Result("null", request),
            "eth_getTransactionReceipt" => FakeReply.Result(ReceiptJson(10, status: 1), request),
            _ => FakeReply.Error(-32601, "no", request),
        });
        using var client = new ChainClient(server.Uri, Fast);
        var pending = client.WaitForReceiptAsync("0xabc", confirmations: 3, timeout: TimeSpan.FromSeconds(20));
        // Nothing is mined until the head reaches block 10.
        Assert.Null(await client.GetTransactionReceiptAsync("0xabc"));
        await client.GetBlockNumberAsync();
        var receipt = await pending;
        Assert.Equal(10, receipt.BlockNumber);
        Assert.True(receipt.Succeeded);
        Assert.True(Volatile.Read(ref head) >= 12);
        Assert.Single(receipt.Logs);
        Assert.Equal(2, receipt.Logs[0].Topics.Count);
    }

    [Fact]
    public async Task A_receipt_moved_by_a_reorg_is_followed_to_its_new_block()
    {
        var head = 10;
        var receiptReads = 0;
        await using var server = new FakeRpcServer((request, _) => Method(request) switch
        {
            "eth_blockNumber" => FakeReply.Result($"\"0x{Interlocked.Increment(ref head):x}\"", request),
            // The first read sees the transaction in block 10; a reorg then re-includes it in block 11.
            "eth_getTransactionReceipt" => FakeReply.Result(ReceiptJson(Interlocked.Increment(ref receiptReads) == 1 ? 10 : 11, status: 1), request),
            _ => FakeReply.Error(-32601, "no", request),
        });
        using var client = new ChainClient(server.Uri, Fast);
        var receipt = await client.WaitForReceiptAsync("0xabc", confirmations: 2, timeout: TimeSpan.FromSeconds(20));
        Assert.Equal(11, receipt.BlockNumber);
        Assert.Equal("0x" + 11.ToString("x64"), receipt.BlockHash);
        Assert.True(Volatile.Read(ref receiptReads) >= 4);
    }

    [Fact]
    public async Task Waiting_for_a_receipt_that_never_comes_times_out()
    {
        await using var server = new FakeRpcServer((request, _) => FakeReply.Result("null", request));
        using var client = new ChainClient(server.Uri, Fast);
        var ex = await Assert.ThrowsAsync<TransactionUnconfirmedException>(() => client.WaitForReceiptAsync("0xabc", 1, TimeSpan.FromMilliseconds(200)));
        Assert.IsAssignableFrom<TimeoutException>(ex);
        Assert.StartsWith("Transaction 0xabc was sent but is unconfirmed: it was not mined after", ex.Message);
        Assert.Equal(0, ex.ConfirmationsSeen);
    }

    [Fact]
    public async Task A_wait_on_an_idle_devnet_mines_the_blocks_it_needs()
    {
        var head = 10;
        var mined = 0;
        FakeReply Mine(JsonElement request)
        {
            Interlocked.Increment(ref mined);
            Interlocked.Increment(ref head);
            return FakeReply.Result("\"0x0\"", request);
        }
        await using var server = new FakeRpcServer((request, _) => Method(request) switch
        {
            "web3_clientVersion" => FakeReply.Result("\"HardhatNetwork/2.29.1/@nomicfoundation/edr/0.12.0\"", request),
            "eth_blockNumber" => FakeReply.Result($"\"0x{Volatile.Read(ref head):x}\"", request),
            "evm_mine" => Mine(request),
            "eth_getTransactionReceipt" => FakeReply.Result(ReceiptJson(10, status: 1), request),
            _ => FakeReply.Error(-32601, "no", request),
        });
        using var client = new ChainClient(server.Uri, Fast with { DevnetMining = DevnetMining.Auto, DevnetIdleBeforeMining = TimeSpan.FromMilliseconds(50) });
        var receipt = await client.WaitForReceiptAsync("0xabc", confirmations: 5, timeout: TimeSpan.FromSeconds(20));
        Assert.Equal(10, receipt.BlockNumber);
        Assert.Equal(4, Volatile.Read(ref mined));
        Assert.True(await client.IsDevnetAsync());
    }

    [Fact]
    public async Task A_wait_on_a_devnet_with_automine_off_does_not_mine_for_it()
    {
        var mined = 0;
        FakeReply Mined(JsonElement request)
        {
            Interlocked.Increment(ref mined);
            return FakeReply.Result("\"0x0\"", request);
        }
        await using var server = new FakeRpcServer((request, _) => Method(request) switch
        {
            "web3_clientVersion" => FakeReply.Result("\"HardhatNetwork/2.29.1/@nomicfoundation/edr/0.12.0\"", request),
            "hardhat_getAutomine" => FakeReply.Result("false", request),
            "eth_blockNumber" => FakeReply.Result("\"0xa\"", request),
            "evm_mine" => Mined(request),
            "eth_getTransactionReceipt" => FakeReply.Result(ReceiptJson(10, status: 1), request),
            _ => FakeReply.Error(-32601, "no", request),
        });
        using var client = new ChainClient(server.Uri, Fast with { DevnetMining = DevnetMining.Auto, DevnetIdleBeforeMining = TimeSpan.FromMilliseconds(10) });
        var ex = await Assert.ThrowsAsync<TransactionUnconfirmedException>(() => client.WaitForReceiptAsync("0xabc", 3, TimeSpan.FromMilliseconds(300)));
        Assert.Equal(1, ex.ConfirmationsSeen);
        Assert.Equal(0, Volatile.Read(ref mined));
        Assert.True(await client.IsDevnetAsync());
        Assert.False(await client.DevnetAutominesAsync());
    }

    [Fact]
    public async Task A_wait_that_no_one_mines_for_ends_with_the_hash_and_the_confirmations_seen()
    {
        await using var server = new FakeRpcServer((request, _) => Method(request) switch
        {
            "web3_clientVersion" => FakeReply.Result("\"Geth/v1.14.0\"", request),
            "eth_blockNumber" => FakeReply.Result("\"0xb\"", request),
            "eth_getTransactionReceipt" => FakeReply.Result(ReceiptJson(10, status: 1), request),
            _ => FakeReply.Error(-32601, "no", request),
        });
        using var client = new ChainClient(server.Uri, Fast with { DevnetMining = DevnetMining.Auto, DevnetIdleBeforeMining = TimeSpan.FromMilliseconds(10) });
        var ex = await Assert.ThrowsAsync<TransactionUnconfirmedException>(() => client.WaitForReceiptAsync("0xabc", 5, TimeSpan.FromMilliseconds(300)));
        Assert.Equal(2, ex.ConfirmationsSeen);
        Assert.StartsWith("Transaction 0xabc was sent but is unconfirmed: it has 2 of 5 confirmations after", ex.Message);
        Assert.Contains("check it by its hash", ex.Message);
    }

    [Fact]
    public async Task Cancelling_a_call_to_a_node_that_does_not_answer_ends_it()
    {
        FakeRpcServer? self = null;
        await using var server = self = new FakeRpcServer((_, _) => new FakeReply(HoldUntil: self!.Stopped));
        using var client = new ChainClient(server.Uri, Fast);
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.GetBlockNumberAsync(cts.Token));
    }

    [Fact]
    public async Task Log_filters_blocks_and_contract_calls_round_trip_through_the_node_json()
    {
        var staker = Address.Parse("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed");
        var contractAddress = Address.Parse("0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359");
        var topic0 = "0x" + Nethereum.Contracts.ABITypedRegistry.GetEvent<StakedEvent>().Sha3Signature;
        var stakerTopic = "0x" + new string('0', 24) + staker.ToLowerHex()[2..];
        System.Text.Json.JsonElement? filterSeen = null;
        await using var server = new FakeRpcServer((request, _) =>
        {
            var p = request.GetProperty("params");
            switch (Method(request))
            {
                case "eth_getLogs":
                    filterSeen = p[0].Clone();
                    return FakeReply.Result($$"""
                        [{"address":"{{contractAddress.ToLowerHex()}}","topics":["{{topic0}}","{{stakerTopic}}"],
                          "data":"{{RevertData.Uint256(7)}}","blockNumber":"0x20","blockHash":"0x{{32:x64}}","transactionHash":"0x{{1:x64}}",
                          "transactionIndex":"0x0","logIndex":"0x3","removed":false}]
                        """, request);
                case "eth_getBlockByNumber":
                    return FakeReply.Result("""{"number":"0x20","hash":"0xaa","parentHash":"0xbb","timestamp":"0x6553f100","gasLimit":"0x1c9c380","gasUsed":"0x5208","baseFeePerGas":"0x7","miner":"0x0000000000000000000000000000000000000000","transactions":["0x01"],"nonce":"0x0000000000000042"}""", request);
                case "eth_call" when p[0].GetProperty("data").GetString()!.Length > 10:
                    return FakeReply.Result($"\"{RevertData.Uint256(99)}\"", request);
                case "eth_call":
                    return FakeReply.Error(3, "execution reverted", request, $"\"{RevertData.Of(new NotRegisteredError { Who = staker.ToString() })}\"");
                default:
                    return FakeReply.Error(-32601, "no", request);
            }
        });
        using var client = new ChainClient(server.Uri, Fast with { KnownErrors = [typeof(NotRegisteredError)] });

        var logs = await client.GetLogsAsync(new LogFilter
        {
            FromBlock = 16,
            ToBlock = BlockParameter.Latest,
            Addresses = [contractAddress],
            Topics = [[Hex.Decode(topic0)], null, null],
        });
        Assert.Equal("0x10", filterSeen!.Value.GetProperty("fromBlock").GetString());
        Assert.Equal("latest", filterSeen.Value.GetProperty("toBlock").GetString());
        Assert.Equal(contractAddress.ToLowerHex(), filterSeen.Value.GetProperty("address")[0].GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, filterSeen.Value.GetProperty("topics")[1].ValueKind);
        var log = Assert.Single(logs);
        Assert.Equal(32, log.BlockNumber);
        Assert.Equal(3, log.LogIndex);
        Assert.Equal("0x" + 32.ToString("x64"), log.BlockHash);
        Assert.False(log.Removed);
        var decoded = Nethereum.Contracts.EventExtensions.DecodeEvent<StakedEvent>(log.ToNethereum())!.Event;
        Assert.Equal(staker, Address.Parse(decoded.Staker));
        Assert.Equal(new BigInteger(7), decoded.Amount);
        // A log rebuilt from our record decodes the same.
        Assert.Equal(new BigInteger(7), Nethereum.Contracts.EventExtensions.DecodeEvent<StakedEvent>((log with { }).ToNethereum())!.Event.Amount);

        var block = await client.GetBlockByNumberAsync(BlockParameter.Latest);
        Assert.Equal(32, block!.Number);
        Assert.Equal("0xaa", block.Hash);
        Assert.Equal(new BigInteger(7), block.BaseFeePerGas);
        Assert.Equal(["0x01"], block.Transactions);

        var output = await client.EthCallAsync(new CallRequest { To = contractAddress, Data = Hex.Decode("0x12345678" + new string('0', 64)) });
        Assert.Equal(new BigInteger(99), new BigInteger(output, isUnsigned: true, isBigEndian: true));
        var revert = await Assert.ThrowsAsync<ContractRevertException>(() => client.EthCallAsync(new CallRequest { To = contractAddress, Data = [1, 2, 3, 4] }));
        Assert.Equal("NotRegistered", revert.ErrorName);
        Assert.Equal(staker, revert.ErrorArgs![0]);
        Assert.Equal("eth_call: execution reverted with NotRegistered(" + staker + ")", revert.Message);
    }

    internal static string ReceiptJson(long block, int status) => $$"""
        {"transactionHash":"0xabc","transactionIndex":"0x0","blockHash":"0x{{block:x64}}","blockNumber":"0x{{block:x}}",
         "from":"0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed","to":null,"cumulativeGasUsed":"0x5208","gasUsed":"0x5208",
         "effectiveGasPrice":"0x3b9aca00","contractAddress":"0xfb6916095ca1df60bb79ce92ce3ea74c37c5d359","status":"0x{{status}}","type":"0x2",
         "logs":[{"address":"0xfb6916095ca1df60bb79ce92ce3ea74c37c5d359","topics":["0x{{1:x64}}","0x{{2:x64}}"],"data":"0x","blockNumber":"0x{{block:x}}",
                  "blockHash":"0x{{block:x64}}","transactionHash":"0xabc","transactionIndex":"0x0","logIndex":"0x0","removed":false}]}
        """;
}
