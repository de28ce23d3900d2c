using System.Numerics;
using System.Text.Json.Nodes;
using Cuckoo.Chain.Tests.Support;
using Nethereum.Hex.HexConvertors.Extensions;
using Nethereum.Model;
using Nethereum.Signer;
using Nethereum.Signer.EIP712;

namespace Cuckoo.Chain.Tests;

/// <summary>Nethereum signs and ethers recovers, and the other way round: transactions and EIP-712 typed data.</summary>
public sealed class TransactionCrossCheckTests
{
    private static readonly EthKey Key = EthKey.FromHex("0x4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318");

    // A key whose first byte is zero, which Nethereum's own signers cannot use.
    private static readonly EthKey ZeroLed = EthKey.FromHex("0x00c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f36231");

    [Fact]
    public async Task Nethereum_signed_transactions_parse_in_ethers_with_the_right_sender()
    {
        var random = new Random(7);
        var raws = new List<string>();
        for (var i = 0; i < 12; i++)
        {
            var to = Address.FromBytes(Samples.Bytes(random, 20)).ToString();
            var data = Samples.Bytes(random, random.Next(0, 80)).ToHex(prefix: true);
            var value = new BigInteger(random.NextInt64(0, long.MaxValue));
            var key = i < 6 ? Key : ZeroLed;
            raws.Add(i % 2 == 0
                ? TransactionSigning.Sign1559(key, 31337, i, 1_000_000_000 + i, 3_000_000_000 + i, 21_000 + i, Address.Parse(to), value, Hex.Decode(data))
                : TransactionSigning.SignLegacy(key, 1 + i, i, 7_000_000_000, 50_000, Address.Parse(to), value, Hex.Decode(data)));
        }
        var results = await EthersNode.RunAsync("parseTx", raws.Select(r => (JsonNode)new JsonObject { ["raw"] = r }));
        for (var i = 0; i < raws.Count; i++)
        {
            Assert.Equal((i < 6 ? Key : ZeroLed).Address.ToString(), results[i].GetProperty("from").GetString());
            Assert.Equal(i % 2 == 0 ? 2 : 0, results[i].GetProperty("type").GetInt32());
            Assert.Equal(i, results[i].GetProperty("nonce").GetInt32());
            Assert.Equal(Nethereum.Util.Sha3Keccack.Current.CalculateHashFromHex(raws[i]).EnsureHexPrefix(), results[i].GetProperty("hash").GetString());
        }
    }

    [Fact]
    public async Task Ethers_signed_transactions_decode_in_nethereum_with_the_right_sender()
    {
        var random = new Random(8);
        var cases = Enumerable.Range(0, 10).Select(i => (JsonNode)new JsonObject
        {
            ["key"] = Key.PrivateKeyHex,
            ["tx"] = i % 2 == 0
                ? new JsonObject
                {
                    ["type"] = 2, ["chainId"] = 31337, ["nonce"] = i, ["maxPriorityFeePerGas"] = "1000000000", ["maxFeePerGas"] = "3000000000",
                    ["gasLimit"] = "60000", ["to"] = Address.FromBytes(Samples.Bytes(random, 20)).ToString(), ["value"] = (1000 * i).ToString(),
                    ["data"] = Samples.Bytes(random, i * 3).ToHex(prefix: true),
                }
                : new JsonObject
                {
                    ["type"] = 0, ["chainId"] = 5, ["nonce"] = i, ["gasPrice"] = "7000000000", ["gasLimit"] = "21000",
                    ["to"] = Address.FromBytes(Samples.Bytes(random, 20)).ToString(), ["value"] = "1", ["data"] = "0x",
                },
        }).ToArray();
        var results = await EthersNode.RunAsync("signTx", cases);
        foreach (var result in results)
        {
            var raw = result.GetProperty("raw").GetString()!;
            var decoded = TransactionFactory.CreateTransaction(raw);
            Assert.True(decoded.VerifyTransaction());
            Assert.Equal(Key.Address, Address.Parse(decoded.GetSenderAddress()));
            Assert.Equal(result.GetProperty("hash").GetString(), Nethereum.Util.Sha3Keccack.Current.CalculateHashFromHex(raw).EnsureHexPrefix());
        }
    }

    private static string TypedDataJson(Address verifyingContract, string name, string wallet, BigInteger amount, string note)
    {
        static JsonArray Fields(params (string Name, string Type)[] fields) =>
            new(fields.Select(f => (JsonNode)new JsonObject { ["name"] = f.Name, ["type"] = f.Type }).ToArray());
        return new JsonObject
        {
            ["types"] = new JsonObject
            {
                ["EIP712Domain"] = Fields(("name", "string"), ("version", "string"), ("chainId", "uint256"), ("verifyingContract", "address")),
                ["Person"] = Fields(("name", "string"), ("wallet", "address")),
                ["Voucher"] = Fields(("to", "Person"), ("amount", "uint256"), ("note", "string")),
            },
            ["primaryType"] = "Voucher",
            ["domain"] = new JsonObject { ["name"] = "Cuckoo", ["version"] = "1", ["chainId"] = 31337, ["verifyingContract"] = verifyingContract.ToString() },
            ["message"] = new JsonObject
            {
                ["to"] = new JsonObject { ["name"] = name, ["wallet"] = wallet },
                ["amount"] = amount.ToString(),
                ["note"] = note,
            },
        }.ToJsonString();
    }

    [Fact]
    public async Task Eip712_typed_data_signs_like_ethers_and_recovers_both_ways()
    {
        var random = new Random(9);
        var signer = new Eip712TypedDataSigner();
        var jsons = Enumerable.Range(0, 6).Select(i => TypedDataJson(
            Address.FromBytes(Samples.Bytes(random, 20)), Samples.Text(random), Address.FromBytes(Samples.Bytes(random, 20)).ToString(),
            BigInteger.Pow(2, 200) + i, Samples.Text(random))).ToArray();
        var ours = jsons.Select(j => signer.SignTypedDataV4(j, Key.Nethereum)).ToArray();
        var signed = await EthersNode.RunAsync("signTypedData", jsons.Select(j => (JsonNode)new JsonObject { ["key"] = Key.PrivateKeyHex, ["typed"] = JsonNode.Parse(j) }));
        var recovered = await EthersNode.RunAsync("recoverTypedData", jsons.Select((j, i) => (JsonNode)new JsonObject { ["signature"] = ours[i], ["typed"] = JsonNode.Parse(j) }));
        for (var i = 0; i < jsons.Length; i++)
        {
            // Both are RFC 6979 deterministic, so the signatures are the same bytes.
            Assert.Equal(signed[i].GetProperty("signature").GetString(), ours[i]);
            Assert.Equal(Key.Address.ToString(), recovered[i].GetProperty("address").GetString());
            Assert.Equal(Key.Address, Address.Parse(signer.RecoverFromSignatureV4(jsons[i], signed[i].GetProperty("signature").GetString()!)));
        }
    }
}
