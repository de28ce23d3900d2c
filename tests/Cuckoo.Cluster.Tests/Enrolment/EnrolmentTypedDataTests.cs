using System.Security.Cryptography;
using Cuckoo.Chain;
using Cuckoo.Cluster.Enrolment;
using Cuckoo.Staking.Devnet;
using Cuckoo.Staking.Tests;
using Xunit;

namespace Cuckoo.Cluster.Tests.Enrolment;

/// <summary>The hand-written EIP-712 encoding against an independent one: Hardhat's <c>eth_signTypedData_v4</c> (MetaMask's eth-sig-util).</summary>
[Collection("hardhat")]
public sealed class EnrolmentTypedDataTests(HardhatFixture fixture)
{
    private static readonly EthKey Miner = DevAccounts.ByRole("miner-1").Key;
    private static readonly EthKey Coordinator = DevAccounts.ByRole("coordinator").Key;
    private static readonly string Thumbprint = Convert.ToHexStringLower(SHA256.HashData("cert"u8));

    private EnrolmentChallenge Challenge => new(
        "0x" + Convert.ToHexStringLower(SHA256.HashData("nonce"u8)), DevAccounts.HardhatChainId, Coordinator.Address, fixture.Staking,
        new DateTimeOffset(2026, 1, 1, 12, 0, 30, TimeSpan.Zero));

    [Fact]
    public async Task EnrolmentTypedData_enrolment_digest_matches_hardhat_eth_signTypedData_v4()
    {
        using var client = new ChainClient(fixture.Node.RpcUrl);
        IReadOnlyList<string> models = ["llama-3.1-8b-instruct", "sdxl-turbo", "ünïcode"];
        var json = EnrolmentTypedData.EnrolmentWalletJson(Challenge, Miner.Address, Thumbprint, models, 4, "0.4.2-rc.1", "10.0.0.7:4060", "cuda");

        var signature = await client.CallAsync<string>("eth_signTypedData_v4", Miner.Address.ToString(), json);

        var digest = EnrolmentTypedData.EnrolmentDigest(Challenge, Miner.Address, Thumbprint, models, 4, "0.4.2-rc.1", "10.0.0.7:4060", "cuda");
        Assert.Equal(Miner.Address, EthSignature.Parse(signature).RecoverAddress(digest));
        Assert.Equal(signature, EnrolmentTypedData.SignRequest(Miner, Challenge, Thumbprint, models, 4, "0.4.2-rc.1", "10.0.0.7:4060", "cuda").Signature);
    }

    [Fact]
    public async Task EnrolmentTypedData_admission_digest_matches_hardhat_eth_signTypedData_v4()
    {
        using var client = new ChainClient(fixture.Node.RpcUrl);
        var admission = new Admission(Miner.Address, Thumbprint, ["m1", "m2"], 8, "0.4.2", new DateTimeOffset(2026, 1, 1, 12, 0, 5, TimeSpan.Zero))
        {
            NodeAddress = "10.0.0.7:4060",
            Provider = "cuda",
        };
        var cluster = new ClusterDescriptor("cuckoo", ["akka.tcp://cuckoo@10.0.0.1:4053", "akka.tcp://cuckoo@10.0.0.2:4053"], [Thumbprint, new string('b', 64)]);
        var json = EnrolmentTypedData.AdmissionWalletJson(DevAccounts.HardhatChainId, fixture.Staking, Challenge.Nonce, admission, cluster, Coordinator.Address);

        var signature = await client.CallAsync<string>("eth_signTypedData_v4", Coordinator.Address.ToString(), json);

        var accepted = EnrolmentTypedData.SignAccepted(Coordinator, DevAccounts.HardhatChainId, fixture.Staking, Challenge.Nonce, admission, cluster);
        Assert.Equal(signature, accepted.Signature);
        Assert.True(EnrolmentTypedData.VerifyAccepted(accepted, DevAccounts.HardhatChainId, fixture.Staking, Challenge.Nonce, Coordinator.Address));
        Assert.False(EnrolmentTypedData.VerifyAccepted(accepted, DevAccounts.HardhatChainId, fixture.Staking, "0x" + new string('1', 64), Coordinator.Address));
        Assert.False(EnrolmentTypedData.VerifyAccepted(accepted, 1, fixture.Staking, Challenge.Nonce, Coordinator.Address));
        Assert.False(EnrolmentTypedData.VerifyAccepted(accepted with { Cluster = cluster with { SystemName = "other" } }, DevAccounts.HardhatChainId, fixture.Staking, Challenge.Nonce, Coordinator.Address));
        Assert.False(EnrolmentTypedData.VerifyAccepted(accepted with { Admission = admission with { NodeAddress = "10.0.0.8:4060" } }, DevAccounts.HardhatChainId, fixture.Staking, Challenge.Nonce, Coordinator.Address));
        Assert.False(EnrolmentTypedData.VerifyAccepted(accepted with { Signature = "0x12" }, DevAccounts.HardhatChainId, fixture.Staking, Challenge.Nonce, Coordinator.Address));
    }
}
