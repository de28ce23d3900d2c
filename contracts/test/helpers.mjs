// Shared by the contract tests: a real Hardhat node on a free 127.0.0.1 port, deployment, reverts, time.
import { spawn } from "node:child_process";
import { createServer } from "node:net";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import assert from "node:assert/strict";
import { ethers } from "ethers";
import solc from "solc";
import { compile } from "../compile.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

export const CAI = (n) => ethers.parseUnits(String(n), 18);

function portIsFree(port) {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

/** A free port below Linux's ephemeral range, so that other processes' outgoing connections cannot take it first. */
export async function freePort() {
  for (let attempt = 0; attempt < 100; attempt++) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    if (await portIsFree(port)) return port;
  }
  throw new Error("no free port found in 20000-31999 on 127.0.0.1");
}

async function rpc(url, method, params = []) {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
  });
  const body = await res.json();
  if (body.error) throw new Error(`${method}: ${body.error.message}`);
  return body.result;
}

/** Starts `hardhat node` directly (not through npx, whose death would orphan it) and waits for eth_chainId. */
export async function startNode({ timeoutMs = 60_000, chainId = 31337 } = {}) {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(
    process.execPath,
    [join(root, "node_modules/hardhat/internal/cli/bootstrap.js"), "node", "--hostname", "127.0.0.1", "--port", String(port)],
    { cwd: root, env: { ...process.env, HARDHAT_DISABLE_TELEMETRY_PROMPT: "true", CUCKOO_HARDHAT_CHAIN_ID: String(chainId) }, stdio: ["ignore", "ignore", "pipe"] },
  );
  let stderr = "";
  child.stderr.on("data", (d) => (stderr += d));
  let exited = false;
  child.on("exit", () => (exited = true));
  // Whatever ends this test process (a crash included) must not leave the node running.
  const reap = () => exited || child.kill("SIGKILL");
  process.once("exit", reap);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (exited) throw new Error(`hardhat node exited before it was ready: ${stderr}`);
    try {
      if ((await rpc(url, "eth_chainId")) === "0x" + chainId.toString(16)) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`hardhat node not ready on ${url} within ${timeoutMs} ms: ${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const provider = new ethers.JsonRpcProvider(url, chainId, { staticNetwork: true, pollingInterval: 50, cacheTimeout: -1 });
  const stop = async () => {
    provider.destroy();
    if (exited) return;
    const gone = new Promise((r) => child.once("exit", r));
    child.kill("SIGTERM");
    await gone;
    process.removeListener("exit", reap);
  };
  return { url, provider, stop, rpc: (m, p) => rpc(url, m, p) };
}

export function artifact(name) {
  compile({ quiet: true });
  return JSON.parse(readFileSync(join(root, "build", `${name}.json`), "utf8"));
}

let fixtureCache;
/** Compiles the test-only contracts in test/fixtures (not part of the product build). */
export function fixtureArtifact(name) {
  if (!fixtureCache) {
    const dir = join(root, "test/fixtures");
    const files = readdirSync(dir).filter((f) => f.endsWith(".sol"));
    const sources = Object.fromEntries(files.map((f) => [f, { content: readFileSync(join(dir, f), "utf8") }]));
    const input = {
      language: "Solidity",
      sources,
      settings: { evmVersion: "cancun", outputSelection: { "*": { "*": ["abi", "evm.bytecode.object"] } } },
    };
    const out = JSON.parse(solc.compile(JSON.stringify(input)));
    const errors = (out.errors ?? []).filter((e) => e.severity === "error");
    if (errors.length) throw new Error(errors.map((e) => e.formattedMessage).join("\n"));
    fixtureCache = Object.assign({}, ...Object.values(out.contracts));
  }
  const c = fixtureCache[name];
  return { abi: c.abi, bytecode: "0x" + c.evm.bytecode.object };
}

export async function deploy(signer, art, ...args) {
  const factory = new ethers.ContractFactory(art.abi, art.bytecode, signer);
  const contract = await factory.deploy(...args);
  await contract.waitForDeployment();
  return contract;
}

/** Finds the revert data wherever ethers or Hardhat nested it (estimateGas and send report it differently). */
function revertData(error, depth = 0) {
  if (!error || typeof error !== "object" || depth > 6) return undefined;
  if (typeof error.data === "string" && error.data.startsWith("0x")) return error.data;
  for (const key of ["data", "info", "error"]) {
    const found = revertData(error[key], depth + 1);
    if (found) return found;
  }
  return undefined;
}

/** Awaits `promise` and asserts it reverted with custom error `name` (and `args` when given). */
export async function expectRevert(promise, iface, name, args) {
  let error;
  try {
    await promise;
  } catch (e) {
    error = e;
  }
  assert.ok(error, `expected a revert with ${name}, but the call succeeded`);
  const data = revertData(error);
  assert.ok(typeof data === "string" && data.length >= 10, `no revert data in: ${error.message}`);
  const parsed = iface.parseError(data);
  assert.ok(parsed, `unknown revert data ${data}`);
  assert.equal(parsed.name, name);
  if (args !== undefined) assert.deepEqual([...parsed.args], args);
}

/** The decoded events with `name` in a transaction's receipt. */
export async function eventsOf(txPromise, contract, name) {
  const tx = await txPromise;
  const receipt = await tx.wait();
  const address = (await contract.getAddress()).toLowerCase();
  return receipt.logs
    .filter((l) => l.address.toLowerCase() === address)
    .map((l) => contract.interface.parseLog(l))
    .filter((e) => e && e.name === name)
    .map((e) => e.args);
}

export async function increaseTime(node, seconds) {
  await node.rpc("evm_increaseTime", [Number(seconds)]);
  await node.rpc("evm_mine", []);
}

export async function latestTimestamp(provider) {
  return BigInt((await provider.getBlock("latest")).timestamp);
}

/** Hardhat's development mnemonic (hardhat.config.cjs): its keys sign locally with ethers, not through the node. */
export const MNEMONIC = "test test test test test test test test test test test junk";

export function devWallet(index) {
  return ethers.HDNodeWallet.fromPhrase(MNEMONIC, undefined, `m/44'/60'/0'/0/${index}`);
}

/** The staking contract's EIP-712 types, written from docs/staking.md; ethers hashes and signs them. */
export const TYPES = {
  Result: [
    { name: "taskId", type: "bytes32" },
    { name: "modelId", type: "bytes32" },
    { name: "inputDigest", type: "bytes32" },
    { name: "outputDigest", type: "bytes32" },
    { name: "coordinator", type: "address" },
  ],
  Assignment: [
    { name: "taskId", type: "bytes32" },
    { name: "modelId", type: "bytes32" },
    { name: "inputDigest", type: "bytes32" },
  ],
  Registration: [
    { name: "staker", type: "address" },
    { name: "kind", type: "uint8" },
    { name: "intro", type: "string" },
    { name: "nonce", type: "uint256" },
  ],
};
export const KIND = { Miner: 1, Coordinator: 2 };

export async function domainOf(staking, chainId = 31337) {
  return { name: "CuckooStaking", version: "1", chainId, verifyingContract: await staking.getAddress() };
}

/** The candidate key's consent to be registered by `staker` (at the key's current nonce unless given). */
export async function signConsent(key, staking, staker, kind, intro, nonce) {
  const n = nonce ?? (await staking.consentNonceOf(key.address));
  return key.signTypedData(await domainOf(staking), { Registration: TYPES.Registration }, { staker, kind, intro, nonce: n });
}

export async function signAssignment(key, staking, task) {
  return key.signTypedData(await domainOf(staking), { Assignment: TYPES.Assignment }, task);
}

export async function signResult(key, staking, task, outputDigest, coordinator) {
  return key.signTypedData(await domainOf(staking), { Result: TYPES.Result }, { ...task, outputDigest, coordinator });
}

/** A task as the coordinator hands it out; `label` makes distinct ones. */
export function makeTask(label) {
  return { taskId: ethers.id(`task ${label}`), modelId: ethers.id("model sd-turbo"), inputDigest: ethers.id(`input ${label}`) };
}

/** Slash evidence against `accused` for `task`: its result differs from the one `witnesses` agree on. */
export async function makeEvidence(staking, { coordinator, accused, witnesses, task, accusedOutput, witnessOutput }) {
  const output = witnessOutput ?? ethers.id(`honest output of ${task.taskId}`);
  const bad = accusedOutput ?? ethers.id(`faked output of ${task.taskId}`);
  return {
    task,
    assignmentSignature: await signAssignment(coordinator, staking, task),
    accusedOutput: bad,
    accusedSignature: await signResult(accused, staking, task, bad, coordinator.address),
    witnessOutput: output,
    witnessSignatures: await Promise.all(witnesses.map((w) => signResult(w, staking, task, output, coordinator.address))),
  };
}
