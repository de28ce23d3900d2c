using System.Text.Json.Nodes;
using Cuckoo.Chain.Tests.Support;

namespace Cuckoo.Chain.Tests;

public sealed class SignatureCrossCheckTests
{
    private static (EthKey Key, byte[] Digest)[] Cases(int seed, int count)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ =>
        {
            var digest = new byte[32];
            random.NextBytes(digest);
            var keyBytes = new byte[32];
            random.NextBytes(keyBytes);
            keyBytes[0] &= 0x7f;
            keyBytes[31] |= 1;
            return (EthKey.FromPrivateKey(keyBytes), digest);
        }).ToArray();
    }

    [Fact]
    public async Task Digest_signatures_public_keys_and_addresses_match_ethers()
    {
        var cases = Cases(1, 60);
        var results = await EthersNode.RunAsync("signDigest", cases.Select(c => (JsonNode)new JsonObject
        {
            ["key"] = c.Key.PrivateKeyHex,
            ["digest"] = Hex.Encode(c.Digest),
        }));
        for (var i = 0; i < cases.Length; i++)
        {
            var (key, digest) = cases[i];
            var ours = key.Sign(digest);
            Assert.Equal(results[i].GetProperty("signature").GetString(), ours.ToHex());
            Assert.Equal(results[i].GetProperty("address").GetString(), key.Address.ToString());
            Assert.Equal(results[i].GetProperty("publicKey").GetString(), Hex.Encode(key.PublicKey));
            Assert.True(ours.IsLowS);
            Assert.Equal(key.Address, ours.RecoverAddress(digest));
        }
    }

    [Fact]
    public async Task Personal_messages_sign_like_ethers_and_ethers_signatures_recover()
    {
        var random = new Random(2);
        var keys = Cases(3, 40).Select(c => c.Key).ToArray();
        var messages = keys.Select((_, i) => i % 3 == 0 ? Samples.Text(random) : Hex.Encode(Samples.Bytes(random, random.Next(0, 100)))).ToArray();
        var results = await EthersNode.RunAsync("signMessage", keys.Select((k, i) => (JsonNode)new JsonObject
        {
            ["key"] = k.PrivateKeyHex,
            ["message"] = messages[i],
            ["hex"] = i % 3 != 0,
        }));
        for (var i = 0; i < keys.Length; i++)
        {
            var bytes = i % 3 == 0 ? System.Text.Encoding.UTF8.GetBytes(messages[i]) : Hex.Decode(messages[i]);
            Assert.Equal(results[i].GetProperty("hash").GetString(), Hex.Encode(PersonalMessage.Hash(bytes)));
            Assert.Equal(results[i].GetProperty("signature").GetString(), keys[i].SignMessage(bytes).ToHex());
            var theirs = EthSignature.Parse(results[i].GetProperty("signature").GetString()!);
            Assert.Equal(keys[i].Address, PersonalMessage.RecoverAddress(bytes, theirs));
        }
    }

    [Fact]
    public async Task Ethers_recovers_our_signers_address()
    {
        var cases = Cases(4, 40);
        var signatures = cases.Select(c => c.Key.Sign(c.Digest)).ToArray();
        var results = await EthersNode.RunAsync("recover", cases.Select((c, i) => (JsonNode)new JsonObject
        {
            ["digest"] = Hex.Encode(c.Digest),
            ["signature"] = signatures[i].ToHex(),
        }));
        for (var i = 0; i < cases.Length; i++)
        {
            Assert.Equal(cases[i].Key.Address.ToString(), results[i].GetProperty("address").GetString());
        }
    }

    [Fact]
    public void High_s_twins_recover_to_the_same_signer()
    {
        // ethers refuses non-canonical s outright; ecrecover (and we) accept it, so both forms must agree.
        foreach (var (key, digest) in Cases(5, 10))
        {
            var low = key.Sign(digest);
            var high = new EthSignature(low.R, Secp256k1Backend.N - low.S, low.RecoveryId ^ 1);
            Assert.False(high.IsLowS);
            Assert.Equal(key.Address, high.RecoverAddress(digest));
            Assert.Equal(Hex.Encode(key.PublicKey), Hex.Encode(high.RecoverPublicKey(digest)));
        }
    }

    [Fact]
    public void Known_vector_signs_deterministically()
    {
        // The web3.js documentation's key and "Some data" personal message.
        var key = EthKey.FromHex("0x4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318");
        Assert.Equal("0x2c7536E3605D9C16a7a3D7b1898e529396a65c23", key.Address.ToString());
        var signature = key.SignMessage("Some data");
        Assert.Equal(
            "0xb91467e570a6466aa9e9876cbcd013baba02900b8979d43fe208a4a4f339f5fd6007e74cd82e037b800186422fc2da167c747ef045e5d18a5f5d4300f8e1a0291c",
            signature.ToHex());
        Assert.Equal(key.Address, PersonalMessage.RecoverAddress("Some data", signature.ToHex()));
    }

    [Fact]
    public void Recovery_rejects_bad_signatures_with_clear_errors()
    {
        var hash = Keccak256.Hash("x");
        Assert.Throws<FormatException>(() => EthSignature.Parse("0x1234"));
        Assert.Throws<FormatException>(() => EthSignature.Parse("0x" + new string('1', 128) + "1d"));
        Assert.Throws<FormatException>(() => EthSignature.Parse("0x" + new string('0', 64) + new string('1', 64) + "1b"));
        Assert.Throws<FormatException>(() => EthSignature.Parse("zz"));
        Assert.Throws<ArgumentException>(() => EthKey.Generate().Sign(hash).RecoverAddress(new byte[31]));
        Assert.Throws<ArgumentException>(() => EthKey.Generate().Sign(new byte[33]));
        // r = 5 is no curve x coordinate.
        var noPoint = new EthSignature(5, 7, 0);
        Assert.Throws<FormatException>(() => noPoint.RecoverAddress(hash));
        Assert.False(noPoint.Verify(hash, Address.Zero));
        Assert.False(PersonalMessage.Verify("x", "0xnothex", Address.Zero));
    }

    [Fact]
    public void Private_keys_out_of_range_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => EthKey.FromPrivateKey(new byte[32]));
        Assert.Throws<ArgumentException>(() => EthKey.FromPrivateKey(Secp256k1Backend.N.ToByteArray(isUnsigned: true, isBigEndian: true)));
        Assert.Throws<ArgumentException>(() => EthKey.FromPrivateKey(new byte[31]));
        Assert.Throws<FormatException>(() => EthKey.FromHex("0x1234"));
        Assert.NotEqual(EthKey.Generate().Address, EthKey.Generate().Address);
    }
}
