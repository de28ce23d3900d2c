// Compiles src/*.sol with solcjs (standard JSON, fully offline) into build/<Name>.json ({ abi, bytecode }).
// `hardhat compile` would download a compiler, so it is not used. The work is skipped when a SHA-256 over
// the compiler version, the settings and every source is the one recorded in build/.sources.sha256
// and every artifact it lists is still there.
import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync, existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import solc from "solc";

const root = dirname(fileURLToPath(import.meta.url));
const defaultSrcDir = join(root, "src");
const defaultBuildDir = join(root, "build");

const settings = {
  optimizer: { enabled: true, runs: 200 },
  evmVersion: "cancun",
  outputSelection: { "*": { "*": ["abi", "evm.bytecode.object"] } },
};

// Readers (the devnet, other test processes) may read an artifact at any time: write a temporary file and rename it.
function writeAtomically(path, text) {
  writeFileSync(path + ".tmp", text);
  renameSync(path + ".tmp", path);
}

export function compile({ force = false, quiet = false, srcDir = defaultSrcDir, buildDir = defaultBuildDir } = {}) {
  const stampFile = join(buildDir, ".sources.sha256");
  const files = readdirSync(srcDir).filter((f) => f.endsWith(".sol")).sort();
  const sources = Object.fromEntries(files.map((f) => [f, { content: readFileSync(join(srcDir, f), "utf8") }]));
  const hash = createHash("sha256");
  hash.update(solc.version());
  hash.update(JSON.stringify(settings));
  for (const f of files) hash.update(`${f}\0${sources[f].content}\0`);
  const digest = hash.digest("hex");
  // The stamp holds the digest and the artifacts it produced; a deleted artifact forces a rebuild too.
  const stamp = existsSync(stampFile) ? readFileSync(stampFile, "utf8").trim().split("\n") : [];
  const upToDate = stamp[0] === digest && stamp.length > 1 && stamp.slice(1).every((n) => existsSync(join(buildDir, `${n}.json`)));
  if (upToDate && !force) {
    if (!quiet) console.log(`contracts up to date (${files.length} sources)`);
    return { compiled: false, digest };
  }
  const input = { language: "Solidity", sources, settings };
  const output = JSON.parse(solc.compile(JSON.stringify(input)));
  const problems = output.errors ?? [];
  const errors = problems.filter((e) => e.severity === "error");
  const warnings = problems.filter((e) => e.severity !== "error");
  for (const w of warnings) console.warn(w.formattedMessage);
  if (errors.length > 0) {
    for (const e of errors) console.error(e.formattedMessage);
    throw new Error(`solc reported ${errors.length} error(s)`);
  }
  // Warnings fail the build too, like the C# side's warnings-as-errors.
  if (warnings.length > 0) throw new Error(`solc reported ${warnings.length} warning(s)`);
  mkdirSync(buildDir, { recursive: true });
  const names = [];
  for (const [file, contracts] of Object.entries(output.contracts)) {
    for (const [name, artifact] of Object.entries(contracts)) {
      if (artifact.evm.bytecode.object.length === 0) continue; // interfaces
      const json = { contractName: name, sourceName: file, compiler: solc.version(), abi: artifact.abi, bytecode: "0x" + artifact.evm.bytecode.object };
      writeAtomically(join(buildDir, `${name}.json`), JSON.stringify(json, null, 2) + "\n");
      names.push(name);
    }
  }
  writeAtomically(stampFile, [digest, ...names].join("\n") + "\n");
  if (!quiet) console.log(`compiled ${names.join(", ")} with solc ${solc.version()}`);
  return { compiled: true, digest };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    compile({ force: process.argv.includes("--force") });
  } catch (err) {
    console.error(`compile failed: ${err.message}`);
    process.exit(1);
  }
}
