// Computes the same things as Cuckoo.Chain with ethers, for the cross-check tests.
// Usage: node crosscheck.mjs <cases.json>; input { "op": ..., "cases": [...] }, output a JSON array of results.
import { readFileSync } from "node:fs";
import {
  AbiCoder, Interface, SigningKey, Transaction, TypedDataEncoder, Wallet, computeAddress,
  encryptKeystoreJsonSync, getAddress, hashMessage, recoverAddress, encodeRlp, getBytes,
  Indexed, Result, solidityPacked, verifyTypedData,
} from "ethers";

const input = JSON.parse(readFileSync(process.argv[2], "utf8"));

function plain(value) {
  if (typeof value === "bigint") return value.toString();
  if (value instanceof Indexed) return value.hash;
  if (value instanceof Result || Array.isArray(value)) return Array.from(value, plain);
  if (value instanceof Uint8Array) return "0x" + Buffer.from(value).toString("hex");
  return value;
}

const ops = {
  signDigest: (c) => {
    const key = new SigningKey(c.key);
    const sig = key.sign(c.digest);
    return { signature: sig.serialized, address: computeAddress(key.publicKey), publicKey: key.publicKey };
  },
  signMessage: (c) => {
    const wallet = new Wallet(c.key);
    const message = c.hex ? getBytes(c.message) : c.message;
    return { signature: wallet.signMessageSync(message), hash: hashMessage(message) };
  },
  recover: (c) => ({ address: recoverAddress(c.digest, c.signature) }),
  checksum: (c) => {
    try { return { address: getAddress(c.address) }; } catch { return { error: true }; }
  },
  signTx: (c) => {
    const tx = Transaction.from(c.tx);
    const key = new SigningKey(c.key);
    tx.signature = key.sign(tx.unsignedHash);
    return { raw: tx.serialized, hash: tx.hash, unsignedHash: tx.unsignedHash };
  },
  parseTx: (c) => {
    const tx = Transaction.from(c.raw);
    return {
      type: tx.type, chainId: tx.chainId.toString(), nonce: tx.nonce, to: tx.to, from: tx.from, value: tx.value.toString(),
      data: tx.data, gasLimit: tx.gasLimit.toString(), hash: tx.hash,
      gasPrice: tx.gasPrice?.toString() ?? null, maxFeePerGas: tx.maxFeePerGas?.toString() ?? null,
      maxPriorityFeePerGas: tx.maxPriorityFeePerGas?.toString() ?? null,
    };
  },
  encryptKey: (c) => ({ json: encryptKeystoreJsonSync({ address: computeAddress(c.key), privateKey: c.key }, c.password, c.n ? { scrypt: { N: c.n } } : {}) }),
  decryptKey: (c) => {
    try { return { privateKey: Wallet.fromEncryptedJsonSync(c.json, c.password).privateKey }; } catch (e) { return { error: String(e.message) }; }
  },
  abiEncode: (c) => ({ hex: AbiCoder.defaultAbiCoder().encode(c.types, c.values) }),
  encodeFunctionData: (c) => {
    const iface = new Interface([c.fragment]);
    const f = iface.fragments[0];
    return { hex: iface.encodeFunctionData(f, c.args), selector: f.selector, signature: f.format("sighash") };
  },
  encodeEventLog: (c) => {
    const iface = new Interface([c.fragment]);
    const e = iface.fragments[0];
    const log = iface.encodeEventLog(e, c.values);
    const parsed = iface.parseLog(log);
    return { topics: log.topics, data: log.data, name: parsed.name, args: plain(parsed.args), topic: e.topicHash };
  },
  // EIP-712: c.typed is eth_signTypedData_v4 JSON (types include EIP712Domain, which ethers derives itself).
  signTypedData: (c) => {
    const { types, domain, message } = c.typed;
    const { EIP712Domain, ...rest } = types;
    const key = new SigningKey(c.key);
    return { signature: key.sign(TypedDataEncoder.hash(domain, rest, message)).serialized, hash: TypedDataEncoder.hash(domain, rest, message) };
  },
  recoverTypedData: (c) => {
    const { types, domain, message } = c.typed;
    const { EIP712Domain, ...rest } = types;
    return { address: verifyTypedData(domain, rest, message, c.signature) };
  },
  solidityPacked: (c) => ({ hex: solidityPacked(c.types, c.values) }),
  encodeRlp: (c) => ({ hex: encodeRlp(c.value) }),
};

const op = ops[input.op];
if (!op) throw new Error(`unknown op ${input.op}`);
process.stdout.write(JSON.stringify(input.cases.map(op)));
