using System.Numerics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cuckoo.Chain.Tests.Support;

namespace Cuckoo.Chain.Tests;

public sealed class AbiTests
{
    [Fact]
    public void Solidity_documentation_examples_encode()
    {
        // From the Solidity ABI specification.
        Assert.Equal(
            "0xcdcd77c000000000000000000000000000000000000000000000000000000000000000450000000000000000000000000000000000000000000000000000000000000001",
            Hex.Encode(Abi.EncodeCall("baz(uint32,bool)", 69u, true)));
        Assert.Equal(
            "0xa5643bf20000000000000000000000000000000000000000000000000000000000000060000000000000000000000000000000000000000000000000000000000000000100000000000000000000000000000000000000000000000000000000000000a0000000000000000000000000000000000000000000000000000000000000000464617665000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000003000000000000000000000000000000000000000000000000000000000000000100000000000000000000000000000000000000000000000000000000000000020000000000000000000000000000000000000000000000000000000000000003",
            Hex.Encode(Abi.EncodeCall("sam(bytes,bool,uint256[])", "dave"u8.ToArray(), true, new object[] { 1, 2, 3 })));
        Assert.Equal(
            "0x8be6524600000000000000000000000000000000000000000000000000000000000001230000000000000000000000000000000000000000000000000000000000000080313233343536373839300000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000e0000000000000000000000000000000000000000000000000000000000000000200000000000000000000000000000000000000000000000000000000000004560000000000000000000000000000000000000000000000000000000000000789000000000000000000000000000000000000000000000000000000000000000d48656c6c6f2c20776f726c642100000000000000000000000000000000000000",
            Hex.Encode(Abi.EncodeCall("f(uint256,uint32[],bytes10,bytes)", 0x123, new object[] { 0x456, 0x789 }, "1234567890"u8.ToArray(), "Hello, world!"u8.ToArray())));
    }

    [Fact]
    public async Task Random_values_encode_like_ethers_and_decode_back()
    {
        var samples = new AbiSamples(11);
        var cases = Enumerable.Range(0, 150).Select(_ =>
        {
            var types = Enumerable.Range(0, 1 + samples.Random.Next(4)).Select(_ => samples.Type()).ToArray();
            return (Types: types, Values: types.Select(t => samples.Value(t)).ToArray());
        }).ToArray();
        var results = await EthersNode.RunAsync("abiEncode", cases.Select(c => (JsonNode)new JsonObject
        {
            ["types"] = new JsonArray(c.Types.Select(t => (JsonNode)JsonValue.Create(t.Name)).ToArray()),
            ["values"] = new JsonArray(c.Values.Select(AbiSamples.ToJson).ToArray()),
        }));
        for (var i = 0; i < cases.Length; i++)
        {
            var (types, values) = cases[i];
            var ours = Abi.Encode(types, values);
            Assert.True(results[i].GetProperty("hex").GetString() == Hex.Encode(ours), $"case {i}: ({string.Join(",", types.Select(t => t.Name))})");
            var decoded = Abi.Decode(types, Hex.Decode(results[i].GetProperty("hex").GetString()!));
            Assert.Equal(new JsonArray(values.Select(AbiSamples.ToJson).ToArray()).ToJsonString(), new JsonArray(decoded.Select(AbiSamples.ToJson).ToArray()).ToJsonString());
        }
    }

    [Fact]
    public async Task Function_calldata_and_selectors_match_ethers_interface()
    {
        var samples = new AbiSamples(12);
        var cases = Enumerable.Range(0, 60).Select(i =>
        {
            var inputs = Enumerable.Range(0, samples.Random.Next(4)).Select(j => new AbiParameter($"p{j}", samples.Type())).ToArray();
            var function = new AbiFunction($"fn{i}", inputs);
            return (Function: function, Args: inputs.Select(p => samples.Value(p.Type)).ToArray());
        }).ToArray();
        var results = await EthersNode.RunAsync("encodeFunctionData", cases.Select(c => (JsonNode)new JsonObject
        {
            ["fragment"] = "function " + c.Function.Name + "(" + string.Join(", ", c.Function.Inputs.Select(p => p.Type.Name + " " + p.Name)) + ")",
            ["args"] = new JsonArray(c.Args.Select(AbiSamples.ToJson).ToArray()),
        }));
        for (var i = 0; i < cases.Length; i++)
        {
            var (function, args) = cases[i];
            Assert.Equal(results[i].GetProperty("signature").GetString(), function.Signature);
            Assert.Equal(results[i].GetProperty("selector").GetString(), Hex.Encode(function.Selector));
            var calldata = function.EncodeCall(args);
            Assert.Equal(results[i].GetProperty("hex").GetString(), Hex.Encode(calldata));
            Assert.Equal(AbiSamples.ToJson(args)!.ToJsonString(), AbiSamples.ToJson(function.DecodeInput(calldata))!.ToJsonString());
        }
    }

    [Fact]
    public async Task Event_logs_from_ethers_decode_like_parseLog_including_indexed_dynamic_fields()
    {
        var samples = new AbiSamples(13);
        var cases = Enumerable.Range(0, 60).Select(i =>
        {
            var count = 1 + samples.Random.Next(5);
            var indexedLeft = 3;
            var inputs = Enumerable.Range(0, count).Select(j =>
            {
                var type = samples.Type();
                // ethers cannot encode indexed arrays and tuples (it has no values for their topic hashes).
                var indexed = indexedLeft > 0 && samples.Random.Next(2) == 0 && type.Kind is not (AbiKind.Array or AbiKind.FixedArray or AbiKind.Tuple);
                indexedLeft -= indexed ? 1 : 0;
                return new AbiParameter($"v{j}", type, indexed);
            }).ToArray();
            var e = new AbiEvent($"Ev{i}", inputs);
            return (Event: e, Values: inputs.Select(p => samples.Value(p.Type)).ToArray());
        }).ToArray();
        var results = await EthersNode.RunAsync("encodeEventLog", cases.Select(c => (JsonNode)new JsonObject
        {
            ["fragment"] = "event " + c.Event.Name + "(" + string.Join(", ", c.Event.Inputs.Select(p => p.Type.Name + (p.Indexed ? " indexed " : " ") + p.Name)) + ")",
            ["values"] = new JsonArray(c.Values.Select(AbiSamples.ToJson).ToArray()),
        }));
        for (var i = 0; i < cases.Length; i++)
        {
            var (e, _) = cases[i];
            var r = results[i];
            Assert.Equal(r.GetProperty("topic").GetString(), Hex.Encode(e.Topic0));
            var log = new Log
            {
                Topics = r.GetProperty("topics").EnumerateArray().Select(t => Hex.Decode(t.GetString()!)).ToArray(),
                Data = Hex.Decode(r.GetProperty("data").GetString()!),
            };
            var decoded = e.Decode(log);
            Assert.Equal(r.GetProperty("name").GetString(), decoded.Name);
            Assert.True(
                JsonNode.DeepEquals(JsonNode.Parse(r.GetProperty("args").GetRawText()), new JsonArray(decoded.Values.Select(AbiSamples.ToJson).ToArray())),
                $"case {i}: {e.Signature}");
        }
    }

    [Fact]
    public async Task Packed_encoding_matches_ethers_solidityPacked()
    {
        var samples = new AbiSamples(14);
        AbiType PackedType()
        {
            var t = samples.Type(depth: 2);
            return samples.Random.Next(4) == 0 && !t.IsDynamic ? AbiType.ArrayOf(t) : t;
        }
        var cases = Enumerable.Range(0, 80).Select(_ =>
        {
            var types = Enumerable.Range(0, 1 + samples.Random.Next(4)).Select(_ => PackedType()).ToArray();
            return (Types: types, Values: types.Select(t => samples.Value(t)).ToArray());
        }).ToArray();
        var results = await EthersNode.RunAsync("solidityPacked", cases.Select(c => (JsonNode)new JsonObject
        {
            ["types"] = new JsonArray(c.Types.Select(t => (JsonNode)JsonValue.Create(t.Name)).ToArray()),
            ["values"] = new JsonArray(c.Values.Select(AbiSamples.ToJson).ToArray()),
        }));
        for (var i = 0; i < cases.Length; i++)
        {
            var names = cases[i].Types.Select(t => t.Name).ToArray();
            Assert.Equal(results[i].GetProperty("hex").GetString(), Hex.Encode(Abi.EncodePacked(names, cases[i].Values)));
        }
        Assert.Throws<AbiEncodingException>(() => Abi.EncodePacked(["(uint256,bool)"], new object[] { 1, true }));
        Assert.Throws<AbiEncodingException>(() => Abi.EncodePacked(["string[]"], new object[] { new object[] { "a" } }));
    }

    [Fact]
    public void Contract_abi_from_solc_json_finds_functions_events_and_errors()
    {
        var abi = ContractAbi.FromJson(SampleAbi);
        var stake = abi.Function("stake");
        Assert.Equal("stake(uint256)", stake.Signature);
        Assert.Equal("0xa694fc3a", Hex.Encode(stake.Selector));
        Assert.Equal("setMany((address,uint96)[],bytes32)", abi.Function("setMany").Signature);
        Assert.True(abi.Function("stakeOf").IsReadOnly);
        Assert.Equal(new BigInteger(5), abi.Function("stakeOf").DecodeOutput(Abi.Encode(["uint256"], 5))[0]);
        Assert.Throws<KeyNotFoundException>(() => abi.Function("nope"));
        Assert.Throws<KeyNotFoundException>(() => abi.Event("Nope"));

        var staked = abi.Event("Staked");
        var staker = Address.Parse("0x52908400098527886E0F7030069857D2E4169EE7");
        var log = new Log
        {
            Address = staker,
            Topics = [staked.Topic0, Abi.EncodeTopic(AbiType.Address, staker)],
            Data = Abi.Encode(["uint256", "string"], 42, "hi"),
        };
        Assert.True(abi.TryDecodeLog(log, out var decoded));
        Assert.Equal(staker, decoded!.Get<Address>("staker"));
        Assert.Equal(new BigInteger(42), decoded.Get<BigInteger>("amount"));
        Assert.Equal("hi", decoded["note"]);
        Assert.Same(log, decoded.Log);
        Assert.Throws<KeyNotFoundException>(() => decoded["missing"]);
        Assert.False(abi.TryDecodeLog(log with { Topics = [new byte[32]] }, out _));

        var revert = abi.DecodeRevert(abi.Error("InsufficientStake").Encode(1, 2));
        Assert.Equal(RevertKind.CustomError, revert.Kind);
        Assert.Equal("InsufficientStake", revert.ErrorName);
        Assert.Equal([new BigInteger(1), new BigInteger(2)], revert.Args!.Cast<BigInteger>());
        Assert.Contains("InsufficientStake(1, 2)", revert.ToString());
    }

    [Fact]
    public void Revert_data_of_error_string_panic_and_unknown_is_explained()
    {
        var error = RevertInfo.Decode(RevertInfo.ErrorStringError.Encode("not enough stake"));
        Assert.Equal(RevertKind.ErrorString, error.Kind);
        Assert.Equal("not enough stake", error.Reason);
        var panic = RevertInfo.Decode(RevertInfo.PanicError.Encode(0x11));
        Assert.Equal(RevertKind.Panic, panic.Kind);
        Assert.Equal(new BigInteger(0x11), panic.PanicCode);
        Assert.Contains("overflow", panic.ToString());
        Assert.Equal(RevertKind.Empty, RevertInfo.Decode([]).Kind);
        Assert.Equal(RevertKind.Unknown, RevertInfo.Decode([1, 2, 3, 4, 5]).Kind);
        // A truncated Error(string) is reported as unknown data, not thrown.
        Assert.Equal(RevertKind.Unknown, RevertInfo.Decode(RevertInfo.ErrorStringError.Selector).Kind);
    }

    [Fact]
    public void Human_readable_signatures_parse()
    {
        var f = AbiFunction.Parse("function transfer(address to, uint amount) external returns (bool ok)");
        Assert.Equal("transfer(address,uint256)", f.Signature);
        Assert.Equal("0xa9059cbb", Hex.Encode(f.Selector));
        Assert.Single(f.Outputs);
        Assert.True(AbiFunction.Parse("function total() view returns (uint256)").IsReadOnly);
        var e = AbiEvent.Parse("event Transfer(address indexed from, address indexed to, uint256 value)");
        Assert.Equal("Transfer(address,address,uint256)", e.Signature);
        Assert.Equal(2, e.Inputs.Count(p => p.Indexed));
        Assert.Equal("(uint256,(bool,string[]))[3][]", AbiType.Parse("tuple(uint256, (bool flag, string[] names))[3][]").Name);
        Assert.Throws<FormatException>(() => AbiType.Parse("uint7"));
        Assert.Throws<FormatException>(() => AbiType.Parse("bytes33"));
        Assert.Throws<FormatException>(() => AbiType.Parse("uint256[x]"));
        Assert.Throws<FormatException>(() => AbiFunction.Parse("f(uint256"));
        Assert.Throws<FormatException>(() => AbiEvent.Parse("event E(uint indexed a, uint indexed b, uint indexed c, uint indexed d)"));
    }

    [Fact]
    public void Values_that_do_not_fit_are_rejected_with_the_value_named()
    {
        Assert.Contains("out of range", Assert.Throws<AbiEncodingException>(() => Abi.Encode(["uint8"], 256)).Message);
        Assert.Throws<AbiEncodingException>(() => Abi.Encode(["uint256"], -1));
        Assert.Throws<AbiEncodingException>(() => Abi.Encode(["int8"], 128));
        Assert.Throws<AbiEncodingException>(() => Abi.Encode(["bytes4"], new byte[3]));
        Assert.Throws<AbiEncodingException>(() => Abi.Encode(["uint256[2]"], new object[] { 1 }));
        Assert.Throws<AbiEncodingException>(() => Abi.Encode(["bool"], "yes"));
        Assert.Throws<AbiEncodingException>(() => Abi.Encode(["address"], "0x1234"));
        Assert.Throws<AbiEncodingException>(() => Abi.Encode(["uint256", "uint256"], 1));
        Assert.Throws<AbiEncodingException>(() => Abi.Encode(["string"], (object?)null));
        Assert.Throws<AbiEncodingException>(() => AbiFunction.Parse("f(uint256)").EncodeCall());
    }

    [Fact]
    public void Malformed_data_is_rejected_without_huge_allocations()
    {
        Assert.Throws<AbiDecodingException>(() => Abi.Decode(["uint256"], new byte[31]));
        Assert.Throws<AbiDecodingException>(() => Abi.Decode(["uint8"], Abi.Encode(["uint256"], 256)));
        Assert.Throws<AbiDecodingException>(() => Abi.Decode(["bool"], Abi.Encode(["uint256"], 2)));
        Assert.Throws<AbiDecodingException>(() => Abi.Decode(["address"], Abi.Encode(["uint256"], BigInteger.One << 200)));
        // An array claiming 2^30 elements in 64 bytes of data.
        Assert.Throws<AbiDecodingException>(() => Abi.Decode(["uint256[]"], Abi.Encode(["uint256", "uint256"], 32, 1 << 30)));
        Assert.Throws<AbiDecodingException>(() => Abi.Decode(["string"], Abi.Encode(["uint256", "uint256"], 1000, 1)));
        Assert.Throws<AbiDecodingException>(() => Abi.Decode(["bytes"], Abi.Encode(["uint256", "uint256"], 32, 5)));
        Assert.Throws<AbiDecodingException>(() => Abi.Decode(["string"], Hex.Decode("0x00000000000000000000000000000000000000000000000000000000000000200000000000000000000000000000000000000000000000000000000000000001ff00000000000000000000000000000000000000000000000000000000000000")));
        Assert.Throws<AbiDecodingException>(() => AbiFunction.Parse("f(uint256)").DecodeInput(new byte[36]));
        Assert.Throws<AbiDecodingException>(() => AbiFunction.Parse("function f() returns (uint256)").DecodeOutput([]));
        var e = AbiEvent.Parse("event E(address indexed a, uint256 b)");
        Assert.Throws<AbiDecodingException>(() => e.Decode([e.Topic0], Abi.Encode(["uint256"], 1)));
        Assert.Throws<AbiDecodingException>(() => e.Decode([new byte[32], new byte[32]], Abi.Encode(["uint256"], 1)));
    }

    private const string SampleAbi = """
    {"abi":[
      {"type":"function","name":"stake","stateMutability":"nonpayable","inputs":[{"name":"amount","type":"uint256"}],"outputs":[]},
      {"type":"function","name":"stakeOf","stateMutability":"view","inputs":[{"name":"who","type":"address"}],"outputs":[{"name":"","type":"uint256"}]},
      {"type":"function","name":"setMany","stateMutability":"nonpayable","inputs":[{"name":"items","type":"tuple[]","components":[{"name":"who","type":"address"},{"name":"amount","type":"uint96"}]},{"name":"tag","type":"bytes32"}],"outputs":[]},
      {"type":"event","name":"Staked","anonymous":false,"inputs":[{"name":"staker","type":"address","indexed":true},{"name":"amount","type":"uint256","indexed":false},{"name":"note","type":"string","indexed":false}]},
      {"type":"error","name":"InsufficientStake","inputs":[{"name":"have","type":"uint256"},{"name":"need","type":"uint256"}]},
      {"type":"constructor","inputs":[]}
    ]}
    """;
}
