using System.Numerics;
using System.Text.Json.Nodes;
using Cuckoo.Chain.Tests.Support;

namespace Cuckoo.Chain.Tests;

public sealed class TransactionTests
{
    [Fact]
    public void Eip155_specification_example_signs_to_the_published_bytes()
    {
        var key = EthKey.FromHex("0x4646464646464646464646464646464646464646464646464646464646464646");
        var tx = new LegacyTransaction
        {
            Nonce = 9,
            GasPrice = 20_000_000_000,
            GasLimit = 21000,
            To = Address.Parse("0x3535353535353535353535353535353535353535"),
            Value = BigInteger.Pow(10, 18),
            ChainId = 1,
        };
        Assert.Equal("0xdaf5a779ae972f972197303d7b574746c7ef83eadac0f2791ad23db92e4c8e53", Hex.Encode(tx.SigningHash()));
        var signed = tx.Sign(key);
        Assert.Equal(
            "0xf86c098504a817c800825208943535353535353535353535353535353535353535880de0b6b3a76400008025a028ef61340bd939bc2195fe537567866003e1a15d3c71ff63e1590620aa636276a067cbe9d8997f761aecb703304b3800ccf555c9f3dc64214b297fb1966a3b6d83",
            signed.RawHex);
        var decoded = TransactionDecoder.Decode(signed.RawHex);
        Assert.Equal(key.Address, decoded.From);
        Assert.Equal(tx, decoded.Transaction with { Data = tx.Data });
    }

    private static (EthKey Key, Transaction Tx)[] RandomTransactions(int seed, int count)
    {
        var samples = new AbiSamples(seed);
        var r = samples.Random;
        BigInteger Big(int maxBytes) => new(samples.Bytes(r.Next(0, maxBytes + 1)), isUnsigned: true, isBigEndian: true);
        return Enumerable.Range(0, count).Select(i =>
        {
            var keyBytes = samples.Bytes(32);
            keyBytes[0] &= 0x7f;
            keyBytes[31] |= 1;
            var key = EthKey.FromPrivateKey(keyBytes);
            Address? to = i % 7 == 0 ? null : Address.FromBytes(samples.Bytes(20));
            var data = samples.Bytes(r.Next(3) == 0 ? 0 : r.Next(200));
            Transaction tx = (i % 3) switch
            {
                0 => new LegacyTransaction { Nonce = Big(4), GasPrice = Big(8), GasLimit = Big(4), To = to, Value = Big(12), Data = data, ChainId = i % 6 == 0 ? null : 1 + Big(4) },
                _ => new Eip1559Transaction
                {
                    ChainId = 1 + Big(4), Nonce = Big(4), MaxPriorityFeePerGas = Big(6), MaxFeePerGas = (BigInteger.One << 60) + Big(6),
                    GasLimit = Big(4), To = to, Value = Big(12), Data = data,
                    AccessList = i % 2 == 0 ? [] : [new AccessListEntry(Address.FromBytes(samples.Bytes(20)), [samples.Bytes(32), samples.Bytes(32)])],
                },
            };
            return (key, tx);
        }).ToArray();
    }

    private static JsonObject ToEthers(Transaction tx)
    {
        var json = new JsonObject
        {
            ["type"] = tx.Type,
            ["nonce"] = (long)tx.Nonce,
            ["gasLimit"] = tx.GasLimit.ToString(),
            ["to"] = tx.To?.ToString(),
            ["value"] = tx.Value.ToString(),
            ["data"] = Hex.Encode(tx.Data),
        };
        switch (tx)
        {
            case LegacyTransaction legacy:
                json["gasPrice"] = legacy.GasPrice.ToString();
                if (legacy.ChainId is { } chainId)
                {
                    json["chainId"] = chainId.ToString();
                }
                break;
            case Eip1559Transaction eip:
                json["chainId"] = eip.ChainId.ToString();
                json["maxFeePerGas"] = eip.MaxFeePerGas.ToString();
                json["maxPriorityFeePerGas"] = eip.MaxPriorityFeePerGas.ToString();
                json["accessList"] = new JsonArray(eip.AccessList.Select(e => (JsonNode)new JsonObject
                {
                    ["address"] = e.Address.ToString(),
                    ["storageKeys"] = new JsonArray(e.StorageKeys.Select(k => (JsonNode)JsonValue.Create(Hex.Encode(k))).ToArray()),
                }).ToArray());
                break;
        }
        return json;
    }

    [Fact]
    public async Task Signed_legacy_and_eip1559_transactions_are_byte_identical_to_ethers()
    {
        var cases = RandomTransactions(21, 60);
        var results = await EthersNode.RunAsync("signTx", cases.Select(c => (JsonNode)new JsonObject
        {
            ["key"] = c.Key.PrivateKeyHex,
            ["tx"] = ToEthers(c.Tx),
        }));
        for (var i = 0; i < cases.Length; i++)
        {
            var (key, tx) = cases[i];
            Assert.Equal(results[i].GetProperty("unsignedHash").GetString(), Hex.Encode(tx.SigningHash()));
            var signed = tx.Sign(key);
            Assert.Equal(results[i].GetProperty("raw").GetString(), signed.RawHex);
            Assert.Equal(results[i].GetProperty("hash").GetString(), signed.HashHex);
        }
    }

    [Fact]
    public async Task Our_raw_transactions_parse_in_ethers_with_the_right_sender()
    {
        var cases = RandomTransactions(22, 40);
        var signed = cases.Select(c => c.Tx.Sign(c.Key)).ToArray();
        var results = await EthersNode.RunAsync("parseTx", signed.Select(s => (JsonNode)new JsonObject { ["raw"] = s.RawHex }));
        for (var i = 0; i < cases.Length; i++)
        {
            var r = results[i];
            Assert.Equal(cases[i].Key.Address.ToString(), r.GetProperty("from").GetString());
            Assert.Equal(signed[i].HashHex, r.GetProperty("hash").GetString());
            Assert.Equal(cases[i].Tx.Value.ToString(), r.GetProperty("value").GetString());
            var decoded = TransactionDecoder.Decode(signed[i].Raw);
            Assert.Equal(cases[i].Key.Address, decoded.From);
            Assert.Equal(signed[i].HashHex, decoded.HashHex);
            Assert.Equal(signed[i].RawHex, Hex.Encode(decoded.Transaction.EncodeSigned(decoded.Signature)));
        }
    }

    [Fact]
    public void Malformed_raw_transactions_are_rejected()
    {
        Assert.Throws<FormatException>(() => TransactionDecoder.Decode([]));
        Assert.Throws<FormatException>(() => TransactionDecoder.Decode([0x01, 0xc0]));
        Assert.Throws<FormatException>(() => TransactionDecoder.Decode(Rlp.EncodeList(Rlp.EncodeInteger(1))));
        Assert.Throws<FormatException>(() => TransactionDecoder.Decode([0x02, 0xc0]));
        Assert.Throws<RlpException>(() => TransactionDecoder.Decode([0x02, 0xc5]));
        var bad = new Eip1559Transaction { ChainId = 1, MaxFeePerGas = 1, MaxPriorityFeePerGas = 2 };
        Assert.Throws<ArgumentException>(() => bad.SigningHash());
    }
}
