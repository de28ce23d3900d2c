// Configuration for the local Hardhat node only: contracts are compiled by compile.mjs (solcjs, offline),
// never by `hardhat compile`, which would download a compiler.
module.exports = {
  paths: { sources: "./src", artifacts: "./build/hardhat", cache: "./build/hardhat-cache" },
  networks: {
    hardhat: {
      // The tests start one node on another chain, to see the token refuse a faucet off the devnet.
      chainId: Number(process.env.CUCKOO_HARDHAT_CHAIN_ID ?? 31337),
      // Hardhat's documented default development mnemonic; its first accounts are the devnet's.
      accounts: { mnemonic: "test test test test test test test test test test test junk", count: 20 },
      mining: { auto: true },
    },
  },
};
