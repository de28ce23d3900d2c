// The account the page acts for: a browser wallet (EIP-1193) or, on the local devnet only, a development key; and the
// contract calls each action makes, reporting pending, confirmed and failed steps.
import { BrowserProvider, Contract, JsonRpcProvider, Wallet, parseUnits } from "ethers";
import { errorsAbi, portalError } from "./errors.js";
import { cai } from "./format.js";

const stakingAbi = [
  "function stake(uint256 amount)",
  "function requestUnstake(uint256 amount)",
  "function withdraw(address candidate)",
  "function vote(address candidate, uint256 amount)",
  "function unvote(address candidate, uint256 amount)",
  "function claim(address[] candidates) returns (uint256)",
  ...errorsAbi,
];

const tokenAbi = [
  "function approve(address spender, uint256 value) returns (bool)",
  "function allowance(address owner, address spender) view returns (uint256)",
  "function balanceOf(address account) view returns (uint256)",
  ...errorsAbi,
];

export function parseAmount(text) {
  const trimmed = String(text ?? "").trim().replaceAll(",", "");
  if (!/^\d+(\.\d{1,18})?$/.test(trimmed)) throw portalError(`"${text}" is not an amount: write CAI as digits, such as 100 or 2.5.`);
  const amount = parseUnits(trimmed, 18);
  if (amount === 0n) throw portalError("The amount must be more than zero.");
  return amount;
}

export class Chain {
  constructor(config, onChange) {
    this.config = config;
    this.onChange = onChange;
    // Reads go to the coordinator's relay, the same origin as the page: they need no wallet.
    this.reader = new JsonRpcProvider(new URL(config.rpc, location.href).href, config.chain_id, { staticNetwork: true, batchMaxCount: 1 });
    this.signer = null;
    this.address = null;
    this.kind = null;
  }

  async connectWallet() {
    const ethereum = window.ethereum;
    if (!ethereum) {
      throw portalError(`No browser wallet was found: install one, such as MetaMask${this.config.dev_accounts.length ? ", or use a development key" : ""}.`);
    }
    const provider = new BrowserProvider(ethereum, "any");
    const accounts = await provider.send("eth_requestAccounts", []);
    if (!accounts?.length) throw portalError("The wallet shared no account.");
    this.signer = await provider.getSigner(accounts[0]);
    this.address = await this.signer.getAddress();
    this.kind = "wallet";
    if (!this.listening && ethereum.on) {
      this.listening = true;
      ethereum.on("accountsChanged", (list) => { if (this.kind === "wallet" && list?.length) this.connectWallet().then(() => this.onChange()); });
      ethereum.on("chainChanged", () => this.onChange());
    }
    return this.address;
  }

  useDevKey(privateKey) {
    this.signer = new Wallet(privateKey, this.reader);
    this.address = this.signer.address;
    this.kind = "development key";
    return this.address;
  }

  /** Refuses to act on another chain: a transaction signed for it would go nowhere the portal can see. */
  async checkNetwork() {
    if (this.kind !== "wallet") return;
    const id = BigInt(await window.ethereum.request({ method: "eth_chainId" }));
    const wanted = BigInt(this.config.chain_id);
    if (id === wanted) return;
    try {
      await window.ethereum.request({ method: "wallet_switchEthereumChain", params: [{ chainId: "0x" + wanted.toString(16) }] });
    } catch {
      throw portalError(`Wrong network: your wallet is on chain ${id}, the portal's chain is ${wanted}. Switch networks in your wallet and try again.`);
    }
    const after = BigInt(await window.ethereum.request({ method: "eth_chainId" }));
    if (after !== wanted) throw portalError(`Wrong network: your wallet is on chain ${after}, the portal's chain is ${wanted}.`);
  }

  staking() {
    return new Contract(this.config.staking, stakingAbi, this.signer);
  }

  token() {
    return new Contract(this.config.token, tokenAbi, this.signer);
  }

  /** Runs one or more transactions of an action; `step(kind, text)` hears of each stage. */
  async act(label, step, build) {
    if (!this.signer) throw portalError("Connect a wallet or choose a development key first.");
    await this.checkNetwork();
    const send = async (what, call) => {
      step("pending", `${what}: waiting for ${this.kind === "wallet" ? "your wallet" : "the signature"}…`);
      const tx = await call();
      step("pending", `${what}: sent ${tx.hash}, waiting for confirmation…`);
      const receipt = await tx.wait();
      if (!receipt || receipt.status !== 1) throw portalError(`${what} reverted in block ${receipt?.blockNumber}.`);
      return receipt;
    };
    const receipt = await build(send);
    step("confirmed", `${label}: confirmed in block ${receipt.blockNumber}.`);
    return receipt;
  }

  async stake(amount, step) {
    const token = this.token();
    const balance = await token.balanceOf(this.address);
    if (balance < amount) throw portalError(`Insufficient balance: you have ${cai(balance)} CAI, and staking ${cai(amount)} CAI needs that much.`);
    return this.act(`Stake ${cai(amount)} CAI`, step, async (send) => {
      const allowance = await token.allowance(this.address, this.config.staking);
      if (allowance < amount) await send("Approve the staking contract", () => token.approve(this.config.staking, amount));
      return send(`Stake ${cai(amount)} CAI`, () => this.staking().stake(amount));
    });
  }

  unstake(amount, step) {
    return this.act(`Unstake ${cai(amount)} CAI`, step, (send) => send(`Unstake ${cai(amount)} CAI`, () => this.staking().requestUnstake(amount)));
  }

  vote(candidate, amount, step) {
    return this.act(`Vote ${cai(amount)} CAI`, step, (send) => send(`Vote ${cai(amount)} CAI`, () => this.staking().vote(candidate, amount)));
  }

  unvote(candidate, amount, step) {
    return this.act(`Unvote ${cai(amount)} CAI`, step, (send) => send(`Unvote ${cai(amount)} CAI`, () => this.staking().unvote(candidate, amount)));
  }

  withdraw(candidate, step) {
    return this.act("Withdraw", step, (send) => send("Withdraw", () => this.staking().withdraw(candidate)));
  }

  claim(candidates, step) {
    return this.act("Claim rewards", step, (send) => send("Claim rewards", () => this.staking().claim(candidates)));
  }
}
