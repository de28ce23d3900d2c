import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { compile } from "../compile.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

// Works on a copy of the sources and its own build folder, never on contracts/build that others read.
describe("compile.mjs", () => {
  let dir, srcDir, buildDir;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), "cuckoo-compile-"));
    srcDir = join(dir, "src");
    buildDir = join(dir, "build");
    cpSync(join(root, "src"), srcDir, { recursive: true });
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("compiles once, skips unchanged sources, and rebuilds on a change or a missing artifact", () => {
    assert.equal(compile({ quiet: true, srcDir, buildDir }).compiled, true);
    const artifact = JSON.parse(readFileSync(join(buildDir, "CuckooStaking.json"), "utf8"));
    assert.ok(artifact.abi.some((e) => e.type === "event" && e.name === "Slashed"), "inherited events are in the ABI");
    assert.match(artifact.bytecode, /^0x[0-9a-f]{100,}$/);
    assert.equal(existsSync(join(buildDir, "ICuckooStakingEvents.json")), false, "interfaces produce no artifact");
    assert.equal(compile({ quiet: true, srcDir, buildDir }).compiled, false);

    const file = join(srcDir, "CaiToken.sol");
    writeFileSync(file, readFileSync(file, "utf8") + "\n// changed\n");
    assert.equal(compile({ quiet: true, srcDir, buildDir }).compiled, true);
    assert.equal(compile({ quiet: true, srcDir, buildDir }).compiled, false);

    unlinkSync(join(buildDir, "CaiToken.json"));
    assert.equal(compile({ quiet: true, srcDir, buildDir }).compiled, true);
    assert.ok(existsSync(join(buildDir, "CaiToken.json")));
  });

  it("fails on a compile error and leaves the previous build in place", () => {
    const before = readFileSync(join(buildDir, "CaiToken.json"), "utf8");
    const bad = join(srcDir, "Broken.sol");
    writeFileSync(bad, "// SPDX-License-Identifier: MIT\npragma solidity ^0.8.24;\ncontract Broken { function f( }\n");
    try {
      assert.throws(() => compile({ quiet: true, srcDir, buildDir }), /solc reported 1 error/);
      assert.equal(readFileSync(join(buildDir, "CaiToken.json"), "utf8"), before);
    } finally {
      unlinkSync(bad);
    }
  });

  it("treats a compiler warning as a failure", () => {
    const noisy = join(srcDir, "Noisy.sol");
    writeFileSync(noisy, "// SPDX-License-Identifier: MIT\npragma solidity ^0.8.24;\ncontract Noisy { function f() external pure returns (uint256) { uint256 unused; return 1; } }\n");
    try {
      assert.throws(() => compile({ quiet: true, srcDir, buildDir }), /warning/);
    } finally {
      unlinkSync(noisy);
    }
  });
});
