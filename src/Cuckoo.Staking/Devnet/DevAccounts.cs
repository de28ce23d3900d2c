using Cuckoo.Chain;

namespace Cuckoo.Staking.Devnet;

/// <summary>One of Hardhat's default development accounts and what the devnet uses it for.</summary>
public sealed record DevAccount(int Index, string Role, string PrivateKey)
{
    public EthKey Key => EthKey.FromHex(PrivateKey);

    public Address Address => Key.Address;
}

/// <summary>
/// Hardhat's default accounts: the first keys of the publicly known development mnemonic
/// "test test test test test test test test test test test junk" (m/44'/60'/0'/0/i), as Hardhat documents
/// and prints them. Every node started with the default configuration funds them with 10,000 ETH.
/// Never use them anywhere but a local chain.
/// </summary>
public static class DevAccounts
{
    /// <summary>Hardhat's chain id, the only chain on which these accounts are the devnet's.</summary>
    public const long HardhatChainId = 31_337;

    public static readonly IReadOnlyList<DevAccount> All =
    [
        new(0, "deployer", "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80"),
        new(1, "treasury", "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d"),
        new(2, "coordinator-staker", "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a"),
        new(3, "coordinator", "0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6"),
        new(4, "miner-1-staker", "0x47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a"),
        new(5, "miner-1", "0x8b3a350cf5c34c9194ca85829a2df0ec3153be0318b5e2d3348e872092edffba"),
        new(6, "miner-2-staker", "0x92db14e403b83dfe3df233f83dfa3a0d7096f21ca9b0d6d6b8d88b2b4ec1564e"),
        new(7, "miner-2", "0x4bbbf85ce3377467afe5d46f804f221813b2bb87f24d81f60f1fcdbf7cbf4356"),
        new(8, "voter-1", "0xdbda1821b80551c9d65939329250298aa3472ba22feea921c0cf5d620ea67b97"),
        new(9, "voter-2", "0x2a871d0798f97d79848a013d4936a73bf4cc922c825d33c1cf7073dff6d409c6"),
    ];

    public static DevAccount Deployer => All[0];

    public static DevAccount Treasury => All[1];

    public static DevAccount ByRole(string role) =>
        All.FirstOrDefault(a => a.Role == role) ?? throw new KeyNotFoundException($"No development account has the role '{role}'.");

    /// <summary>Accounts that get CAI from the faucet on <c>devnet up</c>: stakers, voters and the coordinator (which pays rewards).</summary>
    public static IEnumerable<DevAccount> FundedFromFaucet =>
        All.Where(a => a.Role is "coordinator-staker" or "coordinator" or "miner-1-staker" or "miner-2-staker" or "voter-1" or "voter-2");
}
