using System.Numerics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cuckoo.Chain.Tests.Support;

namespace Cuckoo.Chain.Tests;

public sealed class AddressAndHexTests
{
    // The test vectors of EIP-55.
    public static TheoryData<string> Eip55Vectors =>
    [
        "0x52908400098527886E0F7030069857D2E4169EE7",
        "0x8617E340B3D01FA5F11F306F4090FD50E238070D",
        "0xde709f2102306220921060314715629080e2fb77",
        "0x27b1fdb04752bbc536007a920d24acb045561c26",
        "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
        "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
        "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB",
        "0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb",
    ];

    [Theory]
    [MemberData(nameof(Eip55Vectors))]
    public void Eip55_vectors_format_and_parse(string vector)
    {
        var address = Address.Parse(vector);
        Assert.Equal(vector, address.ToString());
        Assert.Equal(address, Address.Parse(vector.ToLowerInvariant()));
        Assert.Equal(address, Address.Parse("0x" + vector[2..].ToUpperInvariant()));
        Assert.Equal(vector.ToLowerInvariant(), address.ToLowerHex());
    }

    [Fact]
    public void Mixed_case_with_a_wrong_checksum_is_rejected()
    {
        var good = "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed";
        var bad = "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD";
        var ex = Assert.Throws<FormatException>(() => Address.Parse(bad));
        Assert.Contains("checksum", ex.Message);
        Assert.Contains(good, ex.Message);
        Assert.False(Address.TryParse(bad, out _));
        Assert.Throws<FormatException>(() => Address.Parse("0x1234"));
        Assert.Throws<FormatException>(() => Address.Parse("0xzz" + new string('0', 38)));
        Assert.False(Address.TryParse(null, out _));
    }

    [Fact]
    public async Task Checksums_match_ethers_on_random_addresses()
    {
        var random = new Random(7);
        var addresses = Enumerable.Range(0, 100).Select(_ => Address.FromBytes(Samples.Bytes(random, 20))).ToArray();
        var results = await EthersNode.RunAsync("checksum", addresses.Select(a => (JsonNode)new JsonObject { ["address"] = a.ToLowerHex() }));
        for (var i = 0; i < addresses.Length; i++)
        {
            Assert.Equal(results[i].GetProperty("address").GetString(), addresses[i].ToString());
        }
    }

    [Fact]
    public void Address_is_a_value_with_json_round_trip()
    {
        var a = Address.Parse("0xde709f2102306220921060314715629080e2fb77");
        var b = Address.FromBytes(a.ToBytes());
        Assert.Equal(a, b);
        Assert.True(a == b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.True(Address.Zero.IsZero);
        Assert.False(a.IsZero);
        var json = JsonSerializer.Serialize(a);
        Assert.Equal("\"0xde709f2102306220921060314715629080e2fb77\"", json);
        Assert.Equal(a, JsonSerializer.Deserialize<Address>(json));
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<Address>("\"0x12\""));
        Assert.Throws<ArgumentException>(() => Address.FromBytes(new byte[19]));
    }

    [Fact]
    public void Keccak256_matches_known_digests()
    {
        Assert.Equal("0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470", Hex.Encode(Keccak256.Hash([])));
        Assert.Equal("0x4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45", Hex.Encode(Keccak256.Hash("abc")));
        // The ERC-20 Transfer event topic.
        Assert.Equal("0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef", Hex.Encode(Keccak256.Hash("Transfer(address,address,uint256)")));
        var big = new byte[1000];
        Assert.Equal(Keccak256.Hash(big), Keccak256.Hash(big.AsSpan()));
    }

    [Fact]
    public void Hex_round_trips_and_rejects_bad_input()
    {
        Assert.Equal([0x01, 0xab], Hex.Decode("0x01AB"));
        Assert.Equal([0x01, 0xab], Hex.Decode("01ab"));
        Assert.Empty(Hex.Decode("0x"));
        Assert.Throws<FormatException>(() => Hex.Decode("0x123"));
        Assert.Throws<FormatException>(() => Hex.Decode("0xgg"));
        Assert.Equal("0x0", Hex.EncodeQuantity(0));
        Assert.Equal("0x1a", Hex.EncodeQuantity(26));
        Assert.Equal("0x100", Hex.EncodeQuantity(256));
        Assert.Equal(new BigInteger(255), Hex.DecodeQuantity("0xff"));
        Assert.Equal(new BigInteger(10), Hex.DecodeQuantity("0x00a"));
        Assert.Throws<FormatException>(() => Hex.DecodeQuantity("0x"));
        Assert.Throws<FormatException>(() => Hex.DecodeQuantity("0xq"));
        Assert.Throws<ArgumentOutOfRangeException>(() => Hex.EncodeQuantity(-1));
    }
}
