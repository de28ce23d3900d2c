using System.Text.Json.Nodes;
using Cuckoo.Chain.Tests.Support;

namespace Cuckoo.Chain.Tests;

public sealed class KeyStoreTests
{
    [Fact]
    public async Task Ethers_decrypts_our_key_files()
    {
        var keys = Enumerable.Range(0, 4).Select(_ => EthKey.Generate()).ToArray();
        var passwords = new[] { "correct horse", "", "пароль-ß-😀", "p" };
        var files = keys.Select((k, i) => KeyStore.Encrypt(k, passwords[i], ScryptParameters.Light)).ToArray();
        var results = await EthersNode.RunAsync("decryptKey", files.Select((f, i) => (JsonNode)new JsonObject
        {
            ["json"] = f,
            ["password"] = passwords[i],
        }).Append(new JsonObject { ["json"] = files[0], ["password"] = "wrong" }));
        for (var i = 0; i < keys.Length; i++)
        {
            Assert.Equal(keys[i].PrivateKeyHex, results[i].GetProperty("privateKey").GetString());
        }
        Assert.True(results[^1].TryGetProperty("error", out _));
    }

    [Fact]
    public async Task We_decrypt_ethers_key_files()
    {
        var keys = Enumerable.Range(0, 3).Select(_ => EthKey.Generate()).ToArray();
        var passwords = new[] { "hunter2", "Ünïcödé 中文", "" };
        var results = await EthersNode.RunAsync("encryptKey", keys.Select((k, i) => (JsonNode)new JsonObject
        {
            ["key"] = k.PrivateKeyHex,
            ["password"] = passwords[i],
            // Light scrypt costs keep the test fast; the format is the same as at the default n = 2^17.
            ["n"] = i == 0 ? 4096 : 1024,
        }));
        for (var i = 0; i < keys.Length; i++)
        {
            var json = results[i].GetProperty("json").GetString()!;
            Assert.Equal(keys[i].Address, KeyStore.ReadAddress(json));
            Assert.Equal(keys[i].PrivateKeyHex, KeyStore.Decrypt(json, passwords[i]).PrivateKeyHex);
        }
        var wrong = Assert.Throws<KeyStoreException>(() => KeyStore.Decrypt(results[1].GetProperty("json").GetString()!, "nope"));
        Assert.Contains("Wrong password", wrong.Message);
    }

    [Fact]
    public async Task Passwords_are_nfkc_normalized_like_ethers()
    {
        // "Ǆé" typed composed, and as a compatibility-equivalent decomposed sequence: the same key file password.
        const string composed = "\u01C4\u00E9 \uFB01";         // Ǆ é ﬁ
        const string decomposed = "D\u017D" + "e\u0301 fi";    // DŽ e + combining acute, f i
        Assert.True(KeyStore.NormalizesPasswords, "this test host runs without ICU (InvariantGlobalization): NFKC cannot be applied");
        Assert.Equal(composed.Normalize(System.Text.NormalizationForm.FormKC), decomposed.Normalize(System.Text.NormalizationForm.FormKC));
        var key = EthKey.Generate();
        var json = KeyStore.Encrypt(key, composed, ScryptParameters.Light);
        Assert.Equal(key.PrivateKeyHex, KeyStore.Decrypt(json, decomposed).PrivateKeyHex);
        // ethers normalizes with NFKC too, so it opens the file with either form.
        var results = await EthersNode.RunAsync("decryptKey", new[] { composed, decomposed }.Select(p => (JsonNode)new JsonObject { ["json"] = json, ["password"] = p }));
        Assert.All(results, r => Assert.Equal(key.PrivateKeyHex, r.GetProperty("privateKey").GetString()));
    }

    [Fact]
    public void Files_with_nethereums_default_scrypt_parameters_are_read()
    {
        // Nethereum writes n = 2^18, r = 1, p = 8 by default; our default is geth's and ethers' n = 2^17, r = 8, p = 1.
        var key = EthKey.Generate();
        var json = new Nethereum.KeyStore.KeyStoreScryptService().EncryptAndGenerateKeyStoreAsJson("pw", key.PrivateKey, key.Address.ToString());
        Assert.Contains("\"n\":262144", json);
        Assert.Equal(key.PrivateKeyHex, KeyStore.Decrypt(json, "pw").PrivateKeyHex);
        var ours = KeyStore.Encrypt(key, "pw", ScryptParameters.Nethereum);
        Assert.Equal(key.Address, KeyStore.ReadAddress(ours));
        var node = JsonNode.Parse(KeyStore.Encrypt(key, "pw", ScryptParameters.Light))!;
        Assert.Equal(1024, node["crypto"]!["kdfparams"]!["n"]!.GetValue<int>());
        Assert.Equal(8, node["crypto"]!["kdfparams"]!["r"]!.GetValue<int>());
    }

    [Fact]
    public void Pbkdf2_key_file_of_the_secret_storage_specification_decrypts()
    {
        // The pbkdf2 test vector of the Web3 Secret Storage definition.
        const string json = """
        {"crypto":{"cipher":"aes-128-ctr","cipherparams":{"iv":"6087dab2f9fdbbfaddc31a909735c1e6"},
         "ciphertext":"5318b4d5bcd28de64ee5559e671353e16f075ecae9f99c7a79a38af5f869aa46","kdf":"pbkdf2",
         "kdfparams":{"c":262144,"dklen":32,"prf":"hmac-sha256","salt":"ae3cd4e7013836a3df6bd7241b12db061dbe2c6785853cce422d148a624ce0bd"},
         "mac":"517ead924a9d0dc3124507e3393d175ce3ff7c1e96529c6c555ce9e51205e9b2"},
         "id":"3198bc9c-6672-5ab3-d995-4942343ae5b6","version":3}
        """;
        var key = KeyStore.Decrypt(json, "testpassword");
        Assert.Equal("0x7a28b5ba57c53603b0b07b56bba752f7784bf506fa95edc395f5cf6c7514fe9d", key.PrivateKeyHex);
    }

    [Fact]
    public void Bad_key_files_fail_with_a_clear_reason()
    {
        var key = EthKey.Generate();
        var json = KeyStore.Encrypt(key, "pw", ScryptParameters.Light);
        Assert.Equal(key.PrivateKeyHex, KeyStore.Decrypt(json, "pw").PrivateKeyHex);
        Assert.Contains("Wrong password", Assert.Throws<KeyStoreException>(() => KeyStore.Decrypt(json, "PW")).Message);
        Assert.Contains("not valid JSON", Assert.Throws<KeyStoreException>(() => KeyStore.Decrypt("{", "pw")).Message);
        Assert.Contains("version 3", Assert.Throws<KeyStoreException>(() => KeyStore.Decrypt("""{"version":1}""", "pw")).Message);

        var node = JsonNode.Parse(json)!;
        node["crypto"]!["cipher"] = "aes-256-gcm";
        Assert.Contains("not supported", Assert.Throws<KeyStoreException>(() => KeyStore.Decrypt(node.ToJsonString(), "pw")).Message);

        node = JsonNode.Parse(json)!;
        node["address"] = EthKey.Generate().Address.ToLowerHex()[2..];
        Assert.Contains("holds the key of", Assert.Throws<KeyStoreException>(() => KeyStore.Decrypt(node.ToJsonString(), "pw")).Message);

        node = JsonNode.Parse(json)!;
        node["crypto"]!["kdfparams"]!["n"] = 1 << 30;
        Assert.Contains("out of the supported range", Assert.Throws<KeyStoreException>(() => KeyStore.Decrypt(node.ToJsonString(), "pw")).Message);

        node = JsonNode.Parse(json)!;
        node["crypto"]!["ciphertext"] = "zz";
        Assert.Contains("malformed", Assert.Throws<KeyStoreException>(() => KeyStore.Decrypt(node.ToJsonString(), "pw")).Message);

        Assert.Throws<KeyStoreException>(() => KeyStore.ReadAddress("""{"version":3}"""));
        Assert.Throws<ArgumentException>(() => KeyStore.Encrypt(key, "pw", new ScryptParameters(1000)));
    }
}
