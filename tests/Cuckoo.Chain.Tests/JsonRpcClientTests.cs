using System.Collections.Concurrent;
using System.Numerics;
using System.Text.Json;
using Cuckoo.Chain.Tests.Support;

namespace Cuckoo.Chain.Tests;

public sealed class JsonRpcClientTests
{
    private static readonly JsonRpcClientOptions Fast = new()
    {
        MaxRetries = 3,
        InitialBackoff = TimeSpan.FromMilliseconds(10),
        MaxBackoff = TimeSpan.FromMilliseconds(50),
        RequestTimeout = TimeSpan.FromSeconds(10),
        ReceiptPollInterval = TimeSpan.FromMilliseconds(10),
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
        using var client = new JsonRpcClient(server.Uri, Fast);
        var address = Address.Parse("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed");
        Assert.Equal(new BigInteger(31337), await client.GetChainIdAsync());
        Assert.Equal(16, await client.GetBlockNumberAsync());
        Assert.Equal(BigInteger.Pow(10, 18), await client.GetBalanceAsync(address, BlockParameter.Number(5)));
        var output = await client.EthCallAsync(new CallRequest { To = address, Data = Abi.EncodeCall("f()") });
        Assert.Equal(new BigInteger(42), Abi.Decode(["uint256"], output)[0]);
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
        using var client = new JsonRpcClient(server.Uri, Fast);
        Assert.Equal(42, await client.GetBlockNumberAsync());
        Assert.Equal(4, server.Requests);
    }

    [Fact]
    public async Task A_node_that_stays_down_gives_RpcUnavailableException_after_the_retries()
    {
        await using (var server = new FakeRpcServer((_, _) => new FakeReply(502, "bad gateway")))
        {
            using var client = new JsonRpcClient(server.Uri, Fast);
            var ex = await Assert.ThrowsAsync<RpcUnavailableException>(() => client.GetBlockNumberAsync());
            Assert.Contains("4 attempts", ex.Message);
            Assert.Equal(Fast.MaxRetries + 1, server.Requests);
        }
        using var refused = new JsonRpcClient(new Uri($"http://127.0.0.1:{FakeRpcServer.FreePort()}/"), Fast);
        await Assert.ThrowsAsync<RpcUnavailableException>(() => refused.GetBlockNumberAsync());
    }

    [Fact]
    public async Task Json_rpc_errors_are_answers_and_are_not_retried()
    {
        await using var server = new FakeRpcServer((request, _) =>
            FakeReply.Error(-32000, "insufficient funds for gas * price + value", request, "\"extra\""));
        using var client = new JsonRpcClient(server.Uri, Fast);
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
        using var client = new JsonRpcClient(server.Uri, Fast with { RequestTimeout = TimeSpan.FromMilliseconds(300) });
        Assert.Equal(7, await client.GetBlockNumberAsync());
        Assert.Equal(2, server.Requests);
    }

    [Fact]
    public async Task Reverts_surface_the_reason_or_the_custom_error()
    {
        var insufficient = AbiError.Parse("error InsufficientStake(uint256 have, uint256 need)");
        await using var server = new FakeRpcServer((request, _) =>
        {
            var to = request.GetProperty("params")[0].GetProperty("to").GetString()!;
            return to[^1] switch
            {
                // Hardhat: the data is an object holding the revert data.
                '1' => FakeReply.Error(-32603, "Error: VM Exception while processing transaction: reverted with reason string 'too small'", request,
                    $$"""{"message":"reverted","data":"{{Hex.Encode(RevertInfo.ErrorStringError.Encode("too small"))}}"}"""),
                // geth: code 3, data is the revert data.
                '2' => FakeReply.Error(3, "execution reverted", request, $"\"{Hex.Encode(insufficient.Encode(5, 20000))}\""),
                '3' => FakeReply.Error(-32603, "Error: VM Exception while processing transaction: reverted with reason string 'only message'", request),
                _ => FakeReply.Error(3, "execution reverted", request, $"\"{Hex.Encode(RevertInfo.PanicError.Encode(0x12))}\""),
            };
        });
        using var client = new JsonRpcClient(server.Uri, Fast with { KnownErrors = [insufficient] });
        CallRequest To(char last) => new() { To = Address.Parse("0x" + new string('0', 39) + last), Data = [1] };

        var hardhat = await Assert.ThrowsAsync<ContractRevertException>(() => client.EthCallAsync(To('1')));
        Assert.Equal("too small", hardhat.Reason);
        Assert.Contains("reverted: too small", hardhat.Message);

        var custom = await Assert.ThrowsAsync<ContractRevertException>(() => client.EstimateGasAsync(To('2')));
        Assert.Equal("InsufficientStake", custom.ErrorName);
        Assert.Equal([new BigInteger(5), new BigInteger(20000)], custom.ErrorArgs!.Cast<BigInteger>());

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
        using var client = new JsonRpcClient(server.Uri, Fast);
        var batch = client.NewBatch();
        var block = batch.Add<long>("eth_blockNumber");
        var chain = batch.Add<BigInteger>("eth_chainId");
        var bad = batch.Add<string>("nope");
        await batch.SendAsync();
        Assert.Equal(5, await block);
        Assert.Equal(BigInteger.One, await chain);
        Assert.Equal(-32601, (await Assert.ThrowsAsync<RpcException>(() => bad)).Code);
        Assert.Equal(1, server.Requests);
        await Assert.ThrowsAsync<InvalidOperationException>(() => batch.SendAsync());
    }

    [Fact]
    public async Task A_failed_batch_fails_every_call()
    {
        await using var server = new FakeRpcServer((_, _) => new FakeReply(500, "down"));
        using var client = new JsonRpcClient(server.Uri, Fast with { MaxRetries = 1 });
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
        using var client = new JsonRpcClient(server.Uri, Fast);
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
        using var client = new JsonRpcClient(server.Uri, Fast);
        var receipt = await client.WaitForReceiptAsync("0xabc", confirmations: 2, timeout: TimeSpan.FromSeconds(20));
        Assert.Equal(11, receipt.BlockNumber);
        Assert.Equal("0x" + 11.ToString("x64"), receipt.BlockHash);
        Assert.True(Volatile.Read(ref receiptReads) >= 4);
    }

    [Fact]
    public async Task Waiting_for_a_receipt_that_never_comes_times_out()
    {
        await using var server = new FakeRpcServer((request, _) => FakeReply.Result("null", request));
        using var client = new JsonRpcClient(server.Uri, Fast);
        var ex = await Assert.ThrowsAsync<TimeoutException>(() => client.WaitForReceiptAsync("0xabc", 1, TimeSpan.FromMilliseconds(200)));
        Assert.Contains("0xabc", ex.Message);
    }

    [Fact]
    public async Task Log_filters_blocks_and_contract_calls_round_trip_through_the_node_json()
    {
        var abi = ContractAbi.FromJson("""
            [{"type":"function","name":"stakeOf","stateMutability":"view","inputs":[{"name":"who","type":"address"}],"outputs":[{"name":"","type":"uint256"}]},
             {"type":"event","name":"Staked","inputs":[{"name":"staker","type":"address","indexed":true},{"name":"amount","type":"uint256","indexed":false}]},
             {"type":"function","name":"fail","stateMutability":"view","inputs":[],"outputs":[]},
             {"type":"error","name":"NotRegistered","inputs":[{"name":"who","type":"address"}]}]
            """);
        var staker = Address.Parse("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed");
        var contractAddress = Address.Parse("0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359");
        var staked = abi.Event("Staked");
        JsonElement? filterSeen = null;
        await using var server = new FakeRpcServer((request, _) =>
        {
            var p = request.GetProperty("params");
            switch (Method(request))
            {
                case "eth_getLogs":
                    filterSeen = p[0].Clone();
                    return FakeReply.Result($$"""
                        [{"address":"{{contractAddress.ToLowerHex()}}","topics":["{{Hex.Encode(staked.Topic0)}}","{{Hex.Encode(Abi.EncodeTopic(AbiType.Address, staker))}}"],
                          "data":"{{Hex.Encode(Abi.Encode(["uint256"], 7))}}","blockNumber":"0x20","blockHash":"0x{{32:x64}}","transactionHash":"0x{{1:x64}}",
                          "transactionIndex":"0x0","logIndex":"0x3","removed":false}]
                        """, request);
                case "eth_getBlockByNumber":
                    return FakeReply.Result("""{"number":"0x20","hash":"0xaa","parentHash":"0xbb","timestamp":"0x6553f100","gasLimit":"0x1c9c380","gasUsed":"0x5208","baseFeePerGas":"0x7","miner":"0x0000000000000000000000000000000000000000","transactions":["0x01"],"nonce":"0x0000000000000042"}""", request);
                case "eth_feeHistory":
                    return FakeReply.Result("""{"oldestBlock":"0x1e","baseFeePerGas":["0x7","0x8","0x9"],"gasUsedRatio":[0.5,0.25],"reward":[["0x1"],["0x2"]]}""", request);
                case "eth_call" when p[0].GetProperty("data").GetString()!.Length > 10:
                    return FakeReply.Result($"\"{Hex.Encode(Abi.Encode(["uint256"], 99))}\"", request);
                case "eth_call":
                    return FakeReply.Error(3, "execution reverted", request, $"\"{Hex.Encode(abi.Error("NotRegistered").Encode(staker))}\"");
                default:
                    return FakeReply.Error(-32601, "no", request);
            }
        });
        using var client = new JsonRpcClient(server.Uri, Fast);

        var logs = await client.GetLogsAsync(new LogFilter
        {
            FromBlock = 16,
            ToBlock = BlockParameter.Latest,
            Addresses = [contractAddress],
            Topics = [[staked.Topic0], null, null],
        });
        Assert.Equal("0x10", filterSeen!.Value.GetProperty("fromBlock").GetString());
        Assert.Equal("latest", filterSeen.Value.GetProperty("toBlock").GetString());
        Assert.Equal(contractAddress.ToLowerHex(), filterSeen.Value.GetProperty("address").GetString());
        Assert.Equal(JsonValueKind.Null, filterSeen.Value.GetProperty("topics")[1].ValueKind);
        var log = Assert.Single(logs);
        Assert.Equal(32, log.BlockNumber);
        Assert.Equal(3, log.LogIndex);
        Assert.True(abi.TryDecodeLog(log, out var decoded));
        Assert.Equal(staker, decoded!.Get<Address>("staker"));
        Assert.Equal(new BigInteger(7), decoded.Get<BigInteger>("amount"));

        var block = await client.GetBlockByNumberAsync(BlockParameter.Latest);
        Assert.Equal(32, block!.Number);
        Assert.Equal(new BigInteger(7), block.BaseFeePerGas);
        Assert.Equal(["0x01"], block.Transactions);
        var history = await client.GetFeeHistoryAsync(2, BlockParameter.Latest, [50]);
        Assert.Equal(30, history.OldestBlock);
        Assert.Equal(new BigInteger(2), history.Reward![1][0]);

        var contract = new Contract(client, contractAddress, abi);
        Assert.Equal(new BigInteger(99), await contract.CallAsync<BigInteger>("stakeOf", staker));
        var revert = await Assert.ThrowsAsync<ContractRevertException>(() => contract.CallAsync("fail"));
        Assert.Equal("NotRegistered", revert.ErrorName);
        Assert.Equal(staker, revert.ErrorArgs![0]);
    }

    internal static string ReceiptJson(long block, int status) => $$"""
        {"transactionHash":"0xabc","transactionIndex":"0x0","blockHash":"0x{{block:x64}}","blockNumber":"0x{{block:x}}",
         "from":"0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed","to":null,"cumulativeGasUsed":"0x5208","gasUsed":"0x5208",
         "effectiveGasPrice":"0x3b9aca00","contractAddress":"0xfb6916095ca1df60bb79ce92ce3ea74c37c5d359","status":"0x{{status}}","type":"0x2",
         "logs":[{"address":"0xfb6916095ca1df60bb79ce92ce3ea74c37c5d359","topics":["0x{{1:x64}}","0x{{2:x64}}"],"data":"0x","blockNumber":"0x{{block:x}}",
                  "blockHash":"0x{{block:x64}}","transactionHash":"0xabc","transactionIndex":"0x0","logIndex":"0x0","removed":false}]}
        """;
}
