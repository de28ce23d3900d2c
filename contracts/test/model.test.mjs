import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { ethers } from "ethers";
import { CAI, KIND, artifact, deploy, devWallet, increaseTime, makeEvidence, makeTask, signConsent, startNode } from "./helpers.mjs";

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

/** The staking contract's vote, reward, unbonding and slash arithmetic for one miner, in BigInt, written from
 * docs/staking.md. `epoch` is the chain's current epoch at each call. */
class Model {
  constructor(staker, voters) {
    this.staker = staker;
    this.commission = { current: 1000n, next: 1000n, from: 0n };
    const everyone = [staker, ...voters];
    this.free = new Map(everyone.map((a) => [a, 0n]));
    this.pos = new Map(voters.map((v) => [v, { shares: 0n, pend: 0n, pendEpoch: 0n, paid: 0n }]));
    this.rewards = new Map(everyone.map((a) => [a, 0n]));
    this.ub = new Map(everyone.map((a) => [a, 0n])); // unbonding shares on the miner
    this.U = 0n; this.US = 0n; // unbonding pool value and shares
    this.S = 0n; this.V = 0n; this.pendS = 0n; this.pendEpoch = 0n;
    this.rps = 0n; this.rpsAt = new Map();
  }
  commissionAt(epoch) { return epoch >= this.commission.from ? this.commission.next : this.commission.current; }
  setCommission(bps, epoch) { this.commission = { current: this.commissionAt(epoch), next: bps, from: epoch + 1n }; }
  activate(epoch) {
    if (this.pendS > 0n && epoch >= this.pendEpoch) { this.rpsAt.set(this.pendEpoch, this.rps); this.pendS = 0n; }
  }
  earned(v, epoch) {
    const p = this.pos.get(v);
    let r = ((p.shares - p.pend) * (this.rps - p.paid)) / ACC;
    if (p.pend > 0n && epoch >= p.pendEpoch) {
      const start = this.pendS > 0n && this.pendEpoch === p.pendEpoch ? this.rps : this.rpsAt.get(p.pendEpoch);
      r += (p.pend * (this.rps - start)) / ACC;
    }
    return r;
  }
  settle(v, epoch) {
    this.activate(epoch);
    const p = this.pos.get(v);
    this.rewards.set(v, this.rewards.get(v) + this.earned(v, epoch));
    if (p.pend > 0n && epoch >= p.pendEpoch) p.pend = 0n;
    p.paid = this.rps;
  }
  value(v) { const sh = this.pos.get(v).shares; return sh === 0n ? 0n : (sh * this.V) / this.S; }
  ubValue(a) { const sh = this.ub.get(a); return sh === 0n ? 0n : (sh * this.U) / this.US; }
  stake(a, amount) { this.free.set(a, this.free.get(a) + amount); }
  unbond(a, amount) {
    const sh = this.US === 0n ? amount : (amount * this.US) / this.U;
    this.U += amount; this.US += sh; this.ub.set(a, this.ub.get(a) + sh);
  }
  vote(v, amount, epoch) {
    this.settle(v, epoch);
    const sh = this.S === 0n ? amount : (amount * this.S) / this.V;
    this.free.set(v, this.free.get(v) - amount);
    this.V += amount; this.S += sh; this.pendS += sh; this.pendEpoch = epoch + 1n;
    const p = this.pos.get(v);
    p.shares += sh; p.pend += sh; p.pendEpoch = epoch + 1n;
  }
  unvote(v, amount, epoch) {
    this.settle(v, epoch);
    const p = this.pos.get(v);
    const value = this.value(v);
    const sh = amount === value ? p.shares : (amount * this.S - 1n) / this.V + 1n;
    const fromPend = sh < p.pend ? sh : p.pend;
    p.pend -= fromPend; this.pendS -= fromPend;
    p.shares -= sh; this.S -= sh; this.V -= amount;
    this.unbond(v, amount);
  }
  unstake(amount) { this.free.set(this.staker, this.free.get(this.staker) - amount); this.unbond(this.staker, amount); }
  deposit(amount, epoch) {
    this.activate(epoch);
    let commission = (amount * this.commissionAt(epoch)) / BPS;
    const toVoters = amount - commission;
    const earning = this.S - this.pendS;
    if (earning === 0n) commission = amount;
    else {
      const perShare = (toVoters * ACC) / earning;
      this.rps += perShare;
      const reserved = perShare * earning === 0n ? 0n : (perShare * earning - 1n) / ACC + 1n;
      commission += toVoters - reserved;
    }
    this.rewards.set(this.staker, this.rewards.get(this.staker) + commission);
  }
  slash(bps) {
    const fromStake = (this.free.get(this.staker) * bps) / BPS;
    const fromUnbonding = (this.U * bps) / BPS;
    const fromVotes = (this.V * bps) / BPS;
    this.free.set(this.staker, this.free.get(this.staker) - fromStake);
    this.U -= fromUnbonding;
    this.V -= fromVotes;
    return fromStake + fromUnbonding + fromVotes;
  }
  claim(a, epoch) { if (this.pos.has(a)) this.settle(a, epoch); const r = this.rewards.get(a); this.rewards.set(a, 0n); return r; }
  claimable(a, epoch) { return this.rewards.get(a) + (this.pos.has(a) ? this.earned(a, epoch) : 0n); }
}

describe("CuckooStaking arithmetic against a model", () => {
  let node, token, staking, staker, coordStaker, coordinator, voters, witnessStakers;
  const minerKey = devWallet(200);
  const witnessKeys = [devWallet(201), devWallet(202)];
  const coordKey = devWallet(5);

  before(async () => {
    node = await startNode();
    const signers = await Promise.all([...Array(11).keys()].map((i) => node.provider.getSigner(i)));
    const [owner, treasury] = signers;
    [staker, coordStaker, , coordinator, ...voters] = signers.slice(2);
    witnessStakers = voters.splice(3);
    token = await deploy(owner, artifact("CaiToken"), CAI(1_000_000_000), 0n, 0n);
    staking = await deploy(owner, artifact("CuckooStaking"), await token.getAddress(), treasury.address,
      CAI(20_000), CAI(2_000_000), 7n * EPOCH, EPOCH, 1000, 2000, 2, 500);
    const where = await staking.getAddress();
    for (const s of [staker, coordStaker, coordinator, ...voters, ...witnessStakers]) {
      await (await token.transfer(s.address, CAI(10_000_000))).wait();
      await (await token.connect(s).approve(where, ethers.MaxUint256)).wait();
    }
    await (await staking.connect(coordStaker).stake(CAI(2_000_001))).wait();
    const consent = await signConsent(coordKey, staking, coordStaker.address, KIND.Coordinator, "");
    await (await staking.connect(coordStaker).registerCoordinator(coordKey.address, "", "https://c", consent)).wait();
    for (const [i, w] of witnessStakers.entries()) {
      await (await staking.connect(w).stake(CAI(30_000))).wait();
      const c = await signConsent(witnessKeys[i], staking, w.address, KIND.Miner, "");
      await (await staking.connect(w).registerMiner(witnessKeys[i].address, "", c)).wait();
    }
  });
  after(async () => node?.stop());

  it("matches the model over a seeded random sequence of votes, unvotes, rewards, slashes, epochs and claims", async () => {
    assert.equal(coordinator.address, coordKey.address);
    const random = mulberry32(20261122);
    const pick = (items) => items[Math.floor(random() * items.length)];
    // Amounts with odd wei tails, so that every division has a remainder to round.
    const amount = (maxTokens) => CAI(1 + Math.floor(random() * maxTokens)) + BigInt(Math.floor(random() * 1_000_003));
    const model = new Model(staker.address, voters.map((v) => v.address));
    const s = (signer) => staking.connect(signer);
    const send = async (p) => (await p).wait();
    const epochNow = () => staking.currentEpoch();
    const miner = minerKey.address;

    const selfStake = CAI(100_000) + 12_345n;
    await send(s(staker).stake(selfStake));
    model.stake(staker.address, selfStake);
    await send(s(staker).registerMiner(miner, "", await signConsent(minerKey, staking, staker.address, KIND.Miner, "")));
    await send(s(staker).setCommission(1_500));
    model.setCommission(1_500n, await epochNow());
    for (const v of voters) {
      const a = CAI(50_000) + 777n;
      await send(s(v).stake(a));
      model.stake(v.address, a);
    }

    const ops = [];
    let tasks = 0;
    for (let step = 0; step < 48; step++) {
      const op = pick(["vote", "vote", "unvote", "deposit", "deposit", "deposit", "slash", "claim", "unstake", "epoch"]);
      const voter = pick(voters);
      const epoch = await epochNow();
      if (op === "vote") {
        const free = model.free.get(voter.address);
        const a = amount(5_000);
        if (a > free) continue;
        await send(s(voter).vote(miner, a));
        model.vote(voter.address, a, epoch);
      } else if (op === "unvote") {
        const value = model.value(voter.address);
        if (value === 0n) continue;
        const a = random() < 0.3 ? value : value / BigInt(2 + Math.floor(random() * 5)) + 1n;
        await send(s(voter).unvote(miner, a));
        model.unvote(voter.address, a, epoch);
      } else if (op === "deposit") {
        const a = random() < 0.3 ? BigInt(1 + Math.floor(random() * 1000)) : amount(300);
        await send(s(coordinator).depositReward(miner, a));
        model.deposit(a, epoch);
      } else if (op === "slash") {
        await increaseTime(node, EPOCH); // a fresh epoch, so that the cap never interferes
        const evidence = await makeEvidence(staking, { coordinator: coordKey, accused: minerKey, witnesses: witnessKeys, task: makeTask(`m${tasks++}`) });
        const receipt = await send(s(coordinator).slash(miner, evidence));
        const slashed = receipt.logs.map((l) => staking.interface.parseLog(l)).find((e) => e?.name === "Slashed");
        assert.equal(slashed.args.burned, model.slash(1000n));
      } else if (op === "claim") {
        const who = random() < 0.3 ? staker : voter;
        const expected = model.claimable(who.address, epoch);
        if (expected === 0n) continue;
        const before = await token.balanceOf(who.address);
        await send(s(who).claim([miner]));
        assert.equal(model.claim(who.address, epoch), expected);
        assert.equal(await token.balanceOf(who.address), before + expected);
      } else if (op === "unstake") {
        const a = amount(2_000);
        await send(s(staker).requestUnstake(a));
        model.unstake(a);
      } else if (op === "epoch") {
        await increaseTime(node, EPOCH / 2n + BigInt(Math.floor(random() * Number(EPOCH))));
      }
      ops.push(op);

      const now = await epochNow();
      assert.equal(await staking.votesFor(miner), model.V, `votes after ${ops.join(",")}`);
      assert.equal(await staking.stakeOf(staker.address), model.free.get(staker.address));
      assert.equal((await staking.unbondingOf(staker.address, miner))[0], model.ubValue(staker.address));
      assert.equal(await staking.rewardsOf(staker.address), model.rewards.get(staker.address));
      for (const v of voters) {
        assert.equal(await staking.voteOf(v.address, miner), model.value(v.address), `vote of ${v.address} after ${ops.join(",")}`);
        assert.equal(await staking.voteSharesOf(miner, v.address), model.pos.get(v.address).shares);
        assert.equal(await staking.stakeOf(v.address), model.free.get(v.address));
        assert.equal((await staking.unbondingOf(v.address, miner))[0], model.ubValue(v.address));
        assert.equal(await staking.claimable(v.address, [miner]), model.claimable(v.address, now), `claimable after ${ops.join(",")}`);
      }
    }
    assert.ok(new Set(ops).size >= 7, `the sequence exercised ${[...new Set(ops)].join(", ")}`);
    const held = await token.balanceOf(await staking.getAddress());
    const last = await epochNow();
    const owed = [staker, ...voters].reduce((sum, a) => sum + model.claimable(a.address, last), 0n);
    assert.ok(held >= (await staking.totalBonded()) + owed, "the contract can pay every stake and every claim");
  });
});
