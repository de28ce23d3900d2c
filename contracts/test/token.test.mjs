import { after, before, beforeEach, describe, it } from "node:test";
import assert from "node:assert/strict";
import { ethers } from "ethers";
import { CAI, artifact, deploy, eventsOf, expectRevert, increaseTime, latestTimestamp, startNode } from "./helpers.mjs";

describe("CaiToken", () => {
  let node, owner, alice, bob, token, snapshot;
  const supply = CAI(1_000_000_000);
  const drip = CAI(50_000);
  const cooldown = 3600n;

  before(async () => {
    node = await startNode();
    [owner, alice, bob] = await Promise.all([0, 1, 2].map((i) => node.provider.getSigner(i)));
    token = await deploy(owner, artifact("CaiToken"), supply, drip, cooldown);
    snapshot = await node.rpc("evm_snapshot");
  });
  beforeEach(async () => {
    await node.rpc("evm_revert", [snapshot]);
    snapshot = await node.rpc("evm_snapshot");
  });
  after(async () => node?.stop());

  it("has the ERC-20 metadata and mints the initial supply to the deployer", async () => {
    assert.equal(await token.name(), "Cuckoo AI");
    assert.equal(await token.symbol(), "CAI");
    assert.equal(await token.decimals(), 18n);
    assert.equal(await token.totalSupply(), supply);
    assert.equal(await token.balanceOf(owner.address), supply);
    assert.equal(await token.owner(), owner.address);
    assert.equal(await token.faucetEnabled(), true);
  });

  it("transfers, approves and spends allowances", async () => {
    const [t] = await eventsOf(token.transfer(alice.address, CAI(10)), token, "Transfer");
    assert.deepEqual([t.from, t.to, t.value], [owner.address, alice.address, CAI(10)]);
    const [a] = await eventsOf(token.connect(alice).approve(bob.address, CAI(4)), token, "Approval");
    assert.deepEqual([a.owner, a.spender, a.value], [alice.address, bob.address, CAI(4)]);
    await (await token.connect(bob).transferFrom(alice.address, bob.address, CAI(3))).wait();
    assert.equal(await token.balanceOf(alice.address), CAI(7));
    assert.equal(await token.balanceOf(bob.address), CAI(3));
    assert.equal(await token.allowance(alice.address, bob.address), CAI(1));
  });

  it("leaves an unlimited allowance unlimited", async () => {
    await (await token.approve(alice.address, ethers.MaxUint256)).wait();
    await (await token.connect(alice).transferFrom(owner.address, bob.address, CAI(5))).wait();
    assert.equal(await token.allowance(owner.address, alice.address), ethers.MaxUint256);
  });

  it("reverts transfers beyond the balance or the allowance and to the zero address", async () => {
    await expectRevert(token.connect(alice).transfer(bob.address, 1n), token.interface, "InsufficientBalance", [alice.address, 0n, 1n]);
    await expectRevert(token.connect(bob).transferFrom(owner.address, bob.address, 2n), token.interface, "InsufficientAllowance", [owner.address, bob.address, 0n, 2n]);
    await expectRevert(token.transfer(ethers.ZeroAddress, 1n), token.interface, "ZeroAddress", []);
    await expectRevert(token.approve(ethers.ZeroAddress, 1n), token.interface, "ZeroAddress", []);
  });

  it("drips from the faucet once per cooldown per address", async () => {
    const [used] = await eventsOf(token.connect(alice).faucet(), token, "FaucetUsed");
    const at = await latestTimestamp(node.provider);
    assert.deepEqual([used.recipient, used.amount, used.nextAvailableAt], [alice.address, drip, at + cooldown]);
    assert.equal(await token.balanceOf(alice.address), drip);
    assert.equal(await token.totalSupply(), supply + drip);
    assert.equal(await token.faucetAvailableAt(alice.address), at + cooldown);
    await expectRevert(token.connect(alice).faucet(), token.interface, "FaucetCooldown", [alice.address, at + cooldown]);
    // The cooldown is per address: bob is not held up by alice.
    await (await token.connect(bob).faucet()).wait();
    await increaseTime(node, cooldown);
    assert.equal(await token.faucetAvailableAt(alice.address), 0n);
    await (await token.connect(alice).faucet()).wait();
    assert.equal(await token.balanceOf(alice.address), drip * 2n);
  });

  it("lets only the owner disable and re-enable the faucet", async () => {
    await expectRevert(token.connect(alice).setFaucetEnabled(false), token.interface, "NotOwner", [alice.address]);
    const [off] = await eventsOf(token.setFaucetEnabled(false), token, "FaucetToggled");
    assert.equal(off.enabled, false);
    await expectRevert(token.connect(alice).faucet(), token.interface, "FaucetDisabled", []);
    await (await token.setFaucetEnabled(true)).wait();
    await (await token.connect(alice).faucet()).wait();
    assert.equal(await token.balanceOf(alice.address), drip);
  });

  it("moves ownership in two steps: named, then accepted by the new owner", async () => {
    await expectRevert(token.transferOwnership(ethers.ZeroAddress), token.interface, "ZeroAddress", []);
    await expectRevert(token.connect(alice).transferOwnership(alice.address), token.interface, "NotOwner", [alice.address]);
    const [started] = await eventsOf(token.transferOwnership(bob.address), token, "OwnershipTransferStarted");
    assert.deepEqual([started.previousOwner, started.newOwner], [owner.address, bob.address]);
    // A second call replaces the first (the mistyped address is never owner).
    await (await token.transferOwnership(alice.address)).wait();
    assert.equal(await token.owner(), owner.address);
    assert.equal(await token.pendingOwner(), alice.address);
    await expectRevert(token.connect(bob).acceptOwnership(), token.interface, "NotPendingOwner", [bob.address]);
    const [moved] = await eventsOf(token.connect(alice).acceptOwnership(), token, "OwnershipTransferred");
    assert.deepEqual([moved.previousOwner, moved.newOwner], [owner.address, alice.address]);
    assert.equal(await token.owner(), alice.address);
    assert.equal(await token.pendingOwner(), ethers.ZeroAddress);
    await expectRevert(token.setFaucetEnabled(false), token.interface, "NotOwner", [owner.address]);
  });

  it("burns the caller's own tokens only", async () => {
    await (await token.transfer(alice.address, CAI(10))).wait();
    const [t] = await eventsOf(token.connect(alice).burn(CAI(4)), token, "Transfer");
    assert.deepEqual([t.from, t.to, t.value], [alice.address, ethers.ZeroAddress, CAI(4)]);
    assert.equal(await token.balanceOf(alice.address), CAI(6));
    assert.equal(await token.totalSupply(), supply - CAI(4));
    await expectRevert(token.connect(alice).burn(CAI(7)), token.interface, "InsufficientBalance", [alice.address, CAI(6), CAI(7)]);
  });

  it("refuses a faucet without a cooldown, and one that was not deployed cannot be turned on", async () => {
    await expectRevert(deploy(owner, artifact("CaiToken"), 0n, drip, 0n), token.interface, "FaucetNotAllowed", [31337n, 0n]);
    const dry = await deploy(owner, artifact("CaiToken"), 0n, 0n, 0n);
    await expectRevert(dry.setFaucetEnabled(true), dry.interface, "FaucetNotAllowed", [31337n, 0n]);
    await (await dry.setFaucetEnabled(false)).wait();
  });

  it("starts with the faucet off when its amount is zero", async () => {
    const dry = await deploy(owner, artifact("CaiToken"), 0n, 0n, 0n);
    assert.equal(await dry.faucetEnabled(), false);
    await expectRevert(dry.faucet(), dry.interface, "FaucetDisabled", []);
  });
});

describe("CaiToken off the devnet chain", () => {
  let node;
  before(async () => {
    node = await startNode({ chainId: 1337 });
  });
  after(async () => node?.stop());

  it("deploys without a faucet and refuses one", async () => {
    const owner = await node.provider.getSigner(0);
    const art = artifact("CaiToken");
    const iface = new ethers.Interface(art.abi);
    await expectRevert(deploy(owner, art, CAI(1), CAI(50_000), 3600n), iface, "FaucetNotAllowed", [1337n, 3600n]);
    const token = await deploy(owner, art, CAI(1), 0n, 0n);
    assert.equal(await token.faucetEnabled(), false);
    await expectRevert(token.faucet(), iface, "FaucetDisabled", []);
  });
});
