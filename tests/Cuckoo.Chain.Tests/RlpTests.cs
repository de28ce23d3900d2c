using System.Numerics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cuckoo.Chain.Tests.Support;

namespace Cuckoo.Chain.Tests;

public sealed class RlpTests
{
    private static RlpItem S(string text) => RlpItem.FromBytes(Encoding.ASCII.GetBytes(text));

    private static RlpItem L(params RlpItem[] items) => RlpItem.FromList(items);

    // The examples of the Ethereum RLP specification.
    public static TheoryData<string, string> Vectors => new()
    {
        { "dog", "0x83646f67" },
        { "[cat,dog]", "0xc88363617483646f67" },
        { "", "0x80" },
        { "[]", "0xc0" },
        { "int:0", "0x80" },
        { "int:15", "0x0f" },
        { "int:1024", "0x820400" },
        { "byte:0", "0x00" },
        { "set", "0xc7c0c1c0c3c0c1c0" },
        { "lorem", "0xb8384c6f72656d20697073756d20646f6c6f722073697420616d65742c20636f6e7365637465747572206164697069736963696e6720656c6974" },
    };

    private static RlpItem Build(string name) => name switch
    {
        "[cat,dog]" => L(S("cat"), S("dog")),
        "[]" => L(),
        "int:0" => RlpItem.FromInteger(0),
        "int:15" => RlpItem.FromInteger(15),
        "int:1024" => RlpItem.FromInteger(1024),
        "byte:0" => RlpItem.FromBytes([0]),
        "set" => L(L(), L(L()), L(L(), L(L()))),
        "lorem" => S("Lorem ipsum dolor sit amet, consectetur adipisicing elit"),
        _ => S(name),
    };

    [Theory]
    [MemberData(nameof(Vectors))]
    public void Specification_vectors_encode_and_decode(string name, string encoded)
    {
        var item = Build(name);
        Assert.Equal(encoded, Hex.Encode(Rlp.Encode(item)));
        Assert.Equal(encoded, Hex.Encode(Rlp.Encode(Rlp.Decode(Hex.Decode(encoded)))));
    }

    [Fact]
    public void Long_lists_use_a_length_of_length()
    {
        var items = Enumerable.Range(0, 30).Select(i => S("ab")).ToArray();
        var encoded = Rlp.Encode(L(items));
        Assert.Equal(0xf8, encoded[0]);
        Assert.Equal(90, encoded[1]);
        var decoded = Rlp.Decode(encoded);
        Assert.Equal(30, decoded.Items.Count);
        var big = new byte[70000];
        var bigEncoded = Rlp.EncodeBytes(big);
        Assert.Equal([0xba, 0x01, 0x11, 0x70], bigEncoded[..4]);
        Assert.Equal(big.Length, Rlp.Decode(bigEncoded).Bytes.Length);
    }

    [Theory]
    [InlineData("0x", "ended")]
    [InlineData("0x83646f", "remain")]
    [InlineData("0x8100", "itself")]
    [InlineData("0xb80100", "55 bytes or fewer")]
    [InlineData("0xb90001", "leading zero")]
    [InlineData("0x83646f6700", "trailing")]
    [InlineData("0xc3836461", "remain")]
    public void Malformed_rlp_is_rejected_with_a_reason(string hex, string reason)
    {
        var ex = Assert.Throws<RlpException>(() => Rlp.Decode(Hex.Decode(hex)));
        Assert.Contains(reason, ex.Message);
    }

    [Fact]
    public void Integers_must_be_canonical()
    {
        Assert.Equal(new BigInteger(1024), Rlp.Decode(Hex.Decode("0x820400")).ToBigInteger());
        Assert.Throws<RlpException>(() => Rlp.Decode(Hex.Decode("0x820004")).ToBigInteger());
        Assert.Throws<RlpException>(() => Rlp.Decode(Hex.Decode("0xc0")).ToBigInteger());
        Assert.Throws<InvalidOperationException>(() => Rlp.Decode(Hex.Decode("0xc0")).Bytes);
        Assert.Throws<InvalidOperationException>(() => Rlp.Decode(Hex.Decode("0x80")).Items);
    }

    [Fact]
    public async Task Random_nested_items_encode_like_ethers()
    {
        var random = new Random(31);
        RlpItem Tree(int depth)
        {
            if (depth >= 3 || random.Next(3) > 0)
            {
                // Short, single-byte and long (> 55 bytes) strings.
                var bytes = new byte[random.Next(4) switch { 0 => 0, 1 => 1, 2 => random.Next(2, 56), _ => random.Next(56, 300) }];
                random.NextBytes(bytes);
                return RlpItem.FromBytes(bytes);
            }
            return RlpItem.FromList(Enumerable.Range(0, random.Next(0, 6)).Select(_ => Tree(depth + 1)).ToArray());
        }
        JsonNode ToJson(RlpItem item) => item.IsList
            ? new JsonArray(item.Items.Select(ToJson).ToArray())
            : JsonValue.Create(Hex.Encode(item.Bytes));
        var items = Enumerable.Range(0, 80).Select(_ => Tree(0)).ToArray();
        var results = await EthersNode.RunAsync("encodeRlp", items.Select(i => (JsonNode)new JsonObject { ["value"] = ToJson(i) }));
        for (var i = 0; i < items.Length; i++)
        {
            var ours = Rlp.Encode(items[i]);
            Assert.Equal(results[i].GetProperty("hex").GetString(), Hex.Encode(ours));
            Assert.Equal(ToJson(items[i]).ToJsonString(), ToJson(Rlp.Decode(ours)).ToJsonString());
        }
    }
}
