import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { ethers } from "ethers";
import { CAI, artifact, deploy, increaseTime, startNode } from "./helpers.mjs";

const BPS = 10_000n;
const ACC = 10n ** 18n;
const EPOCH = 24n * 3600n;

// A seeded generator, so that a failure replays exactly.
function mulberry32(seed) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The staking contract's vote, reward and slash arithmetic for one miner, in BigInt, written from docs/staking.md. */
class Model {
  constructor(staker, voters, commissionBps) {
    this.staker = staker;
    this.commission = commissionBps;
    this.free = new Map([[staker, 0n], ...voters.map((v) => [v, 0n])]);
    this.unbonding = 0n;
    this.shares = new Map(voters.map((v) => [v, 0n]));
    this.paid = new Map(voters.map((v) => [v, 0n]));
    this.rewards = new Map([[staker, 0n], ...voters.map((v) => [v, 0n])]);
    this.S = 0n;
    this.V = 0n;
    this.rps = 0n;
  }
  pending(v) { return (this.shares.get(v) * (this.rps - this.paid.get(v))) / ACC; }
  settle(v) { this.rewards.set(v, this.rewards.get(v) + this.pending(v)); this.paid.set(v, this.rps); }
  value(v) { const sh = this.shares.get(v); return sh === 0n ? 0n : (sh * this.V) / this.S; }
  stake(a, amount) { this.free.set(a, this.free.get(a) + amount); }
  vote(v, amount) {
    const sh = this.S === 0n ? amount : (amount * this.S) / this.V;
    this.settle(v);
    this.free.set(v, this.free.get(v) - amount);
    this.V += amount; this.S += sh; this.shares.set(v, this.shares.get(v) + sh);
  }
  unvote(v, amount) {
    const value = this.value(v);
    const sh = amount === value ? this.shares.get(v) : (amount * this.S - 1n) / this.V + 1n;
    this.settle(v);
    this.shares.set(v, this.shares.get(v) - sh); this.S -= sh; this.V -= amount;
    this.free.set(v, this.free.get(v) + amount);
  }
  deposit(amount) {
    let commission = (amount * this.commission) / BPS;
    const toVoters = amount - commission;
    if (this.S === 0n) commission = amount;
    else {
      const perShare = (toVoters * ACC) / this.S;
      this.rps += perShare;
      commission += toVoters - (perShare * this.S) / ACC;
    }
    this.rewards.set(this.staker, this.rewards.get(this.staker) + commission);
  }
  slash(bps) {
    const fromStake = (this.free.get(this.staker) * bps) / BPS;
    const fromUnbonding = (this.unbonding * bps) / BPS;
    const fromVotes = (this.V * bps) / BPS;
    this.free.set(this.staker, this.free.get(this.staker) - fromStake);
    this.unbonding -= fromUnbonding;
    this.V -= fromVotes;
    return fromStake + fromUnbonding + fromVotes;
  }
  claim(a) { if (this.shares.has(a)) this.settle(a); const r = this.rewards.get(a); this.rewards.set(a, 0n); return r; }
  claimable(a) { return this.rewards.get(a) + (this.shares.has(a) ? this.pending(a) : 0n); }
}

describe("CuckooStaking arithmetic against a model", () => {
  let node, token, staking, staker, miner, coordStaker, coordinator, voters;

  before(async () => {
    node = await startNode();
    const signers = await Promise.all([...Array(9).keys()].map((i) => node.provider.getSigner(i)));
    const [owner, treasury] = signers;
    [staker, miner, coordStaker, coordinator, ...voters] = signers.slice(2);
    token = await deploy(owner, artifact("CaiToken"), CAI(1_000_000_000), 0n, 0n);
    staking = await deploy(owner, artifact("CuckooStaking"), await token.getAddress(), treasury.address,
      CAI(20_000), CAI(2_000_000), 7n * EPOCH, EPOCH, 1000, 2000, 1000);
    const where = await staking.getAddress();
    for (const s of [staker, coordStaker, coordinator, ...voters]) {
      await (await token.transfer(s.address, CAI(10_000_000))).wait();
      await (await token.connect(s).approve(where, ethers.MaxUint256)).wait();
    }
    await (await staking.connect(coordStaker).stake(CAI(2_000_000))).wait();
    await (await staking.connect(coordStaker).registerCoordinator(coordinator.address, "")).wait();
  });
  after(async () => node?.stop());

  it("matches the model over a seeded random sequence of votes, unvotes, rewards, slashes and claims", async () => {
    const random = mulberry32(20261122);
    const pick = (items) => items[Math.floor(random() * items.length)];
    // Amounts with odd wei tails, so that every division has a remainder to round.
    const amount = (maxTokens) => CAI(1 + Math.floor(random() * maxTokens)) + BigInt(Math.floor(random() * 1_000_003));
    const model = new Model(staker.address, voters.map((v) => v.address), 1_500n);
    const s = (signer) => staking.connect(signer);
    const send = async (p) => (await p).wait();

    const selfStake = CAI(100_000) + 12_345n;
    await send(s(staker).stake(selfStake));
    model.stake(staker.address, selfStake);
    await send(s(staker).registerMiner(miner.address, ""));
    await send(s(staker).setCommission(1_500));
    for (const v of voters) {
      const a = CAI(50_000) + 777n;
      await send(s(v).stake(a));
      model.stake(v.address, a);
    }

    const ops = [];
    for (let step = 0; step < 40; step++) {
      const op = pick(["vote", "vote", "unvote", "deposit", "deposit", "slash", "claim", "unstake"]);
      const voter = pick(voters);
      if (op === "vote") {
        const free = model.free.get(voter.address);
        const a = amount(5_000);
        if (a > free) continue;
        await send(s(voter).vote(miner.address, a));
        model.vote(voter.address, a);
      } else if (op === "unvote") {
        const value = model.value(voter.address);
        if (value === 0n) continue;
        const a = random() < 0.3 ? value : value / BigInt(2 + Math.floor(random() * 5)) + 1n;
        await send(s(voter).unvote(miner.address, a));
        model.unvote(voter.address, a);
      } else if (op === "deposit") {
        const a = random() < 0.3 ? BigInt(1 + Math.floor(random() * 1000)) : amount(300);
        await send(s(coordinator).depositReward(miner.address, a));
        model.deposit(a);
      } else if (op === "slash") {
        const bps = BigInt(1 + Math.floor(random() * 1000));
        await increaseTime(node, EPOCH); // a fresh epoch, so that the cap never interferes
        const receipt = await send(s(coordinator).slash(miner.address, bps, ethers.ZeroHash));
        const slashed = receipt.logs.map((l) => staking.interface.parseLog(l)).find((e) => e?.name === "Slashed");
        assert.equal(slashed.args.fromStake + slashed.args.fromUnbonding + slashed.args.fromVotes, model.slash(bps));
      } else if (op === "claim") {
        const who = random() < 0.3 ? staker : voter;
        const expected = model.claimable(who.address);
        if (expected === 0n) continue;
        const before = await token.balanceOf(who.address);
        await send(s(who).claim([miner.address]));
        assert.equal(model.claim(who.address), expected);
        assert.equal(await token.balanceOf(who.address), before + expected);
      } else if (op === "unstake") {
        const a = amount(2_000);
        await send(s(staker).requestUnstake(a));
        model.free.set(staker.address, model.free.get(staker.address) - a);
        model.unbonding += a;
      }
      ops.push(op);

      assert.equal(await staking.votesFor(miner.address), model.V, `votes after ${ops.join(",")}`);
      assert.equal(await staking.stakeOf(staker.address), model.free.get(staker.address));
      assert.equal((await staking.unbondingOf(staker.address))[0], model.unbonding);
      assert.equal(await staking.rewardsOf(staker.address), model.rewards.get(staker.address));
      for (const v of voters) {
        assert.equal(await staking.voteOf(v.address, miner.address), model.value(v.address), `vote of ${v.address} after ${ops.join(",")}`);
        assert.equal(await staking.voteSharesOf(miner.address, v.address), model.shares.get(v.address));
        assert.equal(await staking.stakeOf(v.address), model.free.get(v.address));
        assert.equal(await staking.claimable(v.address, [miner.address]), model.claimable(v.address));
      }
    }
    assert.ok(new Set(ops).size >= 6, `the sequence exercised ${[...new Set(ops)].join(", ")}`);
    const held = await token.balanceOf(await staking.getAddress());
    const owed = [staker, ...voters].reduce((sum, a) => sum + model.claimable(a.address), 0n);
    assert.ok(held >= (await staking.totalBonded()) + owed, "the contract can pay every stake and every claim");
  });
});
