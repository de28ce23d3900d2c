// Stateful fuzz test: random sequences of honest and hostile actions with time jumps, invariants after every
// step. Seeds are printed; replay one with FUZZ_SEED=<seed> (FUZZ_RUNS and FUZZ_STEPS change the amount).
// Block timestamps are set explicitly, so that a seed replays the same chain history.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { ethers } from "ethers";
import {
  CAI, KIND, artifact, deploy, devWallet, fixtureArtifact, makeEvidence, makeTask, signAssignment, signConsent, signResult, startNode,
} from "./helpers.mjs";

const EPOCH = 24n * 3600n;
const UNBONDING = 3n * EPOCH;
const MIN_MINER = CAI(20_000);
const MIN_COORD = CAI(2_000_000);

function mulberry32(seed) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const RUNS = Number(process.env.FUZZ_RUNS ?? 8);
const STEPS = Number(process.env.FUZZ_STEPS ?? 24);
const SEEDS = process.env.FUZZ_SEED ? [Number(process.env.FUZZ_SEED)] : [...Array(RUNS).keys()].map((i) => 7_919 * (i + 1));

describe("CuckooStaking under random honest and hostile use", () => {
  let node, token, staking, lens, where, S, snapshot, baseTime;
  let coordStaker, coordinator, minerStakers, honest, hostile, everyone;
  const coordKey = devWallet(3);
  const minerKeys = [300, 301, 302, 303].map((i) => devWallet(i));
  const hostileKeys = [devWallet(11), devWallet(12)];
  const candidates = [coordKey.address, ...minerKeys.map((k) => k.address)];

  before(async () => {
    node = await startNode();
    const signers = await Promise.all([...Array(13).keys()].map((i) => node.provider.getSigner(i)));
    const [owner, treasury] = signers;
    coordStaker = signers[2];
    coordinator = signers[3];
    minerStakers = signers.slice(4, 8);
    honest = signers.slice(8, 11);
    hostile = signers.slice(11, 13);
    everyone = [coordStaker, coordinator, ...minerStakers, ...honest, ...hostile];
    token = await deploy(owner, artifact("CaiToken"), CAI(1_000_000_000), 0n, 0n);
    staking = await deploy(owner, artifact("CuckooStaking"), await token.getAddress(), treasury.address,
      MIN_MINER, MIN_COORD, UNBONDING, EPOCH, 1000, 2000, 2, 500);
    S = staking.interface;
    where = await staking.getAddress();
    lens = await deploy(owner, fixtureArtifact("StakingLens"));
    for (const s of everyone) {
      await (await token.transfer(s.address, CAI(5_000_000))).wait();
      await (await token.connect(s).approve(where, ethers.MaxUint256)).wait();
    }
    await (await staking.connect(coordStaker).stake(MIN_COORD + CAI(1))).wait();
    const c = await signConsent(coordKey, staking, coordStaker.address, KIND.Coordinator, "");
    await (await staking.connect(coordStaker).registerCoordinator(coordKey.address, "", "https://c", c)).wait();
    for (const s of [...honest, ...hostile]) await (await staking.connect(s).stake(CAI(100_000))).wait();
    for (const [i, s] of minerStakers.entries()) {
      await (await staking.connect(s).stake(CAI(40_000))).wait();
      const m = await signConsent(minerKeys[i], staking, s.address, KIND.Miner, "");
      await (await staking.connect(s).registerMiner(minerKeys[i].address, "", m)).wait();
    }
    const now = BigInt((await node.provider.getBlock("latest")).timestamp);
    baseTime = (now / EPOCH + 1n) * EPOCH + 100n;
    snapshot = await node.rpc("evm_snapshot");
  });
  after(async () => node?.stop());

  async function runOnce(seed) {
    const random = mulberry32(seed);
    const pick = (items) => items[Math.floor(random() * items.length)];
    const fraction = (x) => {
      const f = (x * BigInt(1 + Math.floor(random() * 1000))) / 1000n;
      return f === 0n ? 1n : f;
    };
    const tail = () => BigInt(Math.floor(random() * 1_000_003));
    let clock = baseTime;
    let tasks = 0;
    const log = [];
    const claimed = new Map(honest.map((h) => [h.address, 0n]));
    const earned = new Map(honest.map((h) => [h.address, 0n]));

    // Sends one transaction in a block of our own timestamp; returns the receipt, or the decoded custom error.
    async function send(make) {
      await node.rpc("evm_setNextBlockTimestamp", [Number(clock)]);
      clock += 1n;
      try {
        return { receipt: await (await make()).wait() };
      } catch (e) {
        const data = findData(e);
        const parsed = data && (S.parseError(data) ?? token.interface.parseError(data));
        if (!parsed) throw e;
        return { error: parsed.name };
      }
    }
    const as = (s) => staking.connect(s);
    const accounts = everyone.map((a) => a.address);
    const state = async () => {
      const r = await lens.state(where, await token.getAddress(), accounts, candidates);
      return { held: r.held, bonded: r.bonded, placed: r.placed, claims: [...r.claims], active: [...r.active], stakers: [...r.stakers] };
    };
    const activeMiners = () => minerKeys.filter((k, i) => before.active[i + 1]);
    const stakerOf = (key) => before.stakers[candidates.indexOf(key.address)];
    const positions = async (who) => {
      const [free, votes, unbonding, releaseAt] = await lens.positions(where, who.address, candidates);
      return { free, votes: [...votes], unbonding: [...unbonding], releaseAt: [...releaseAt] };
    };
    const isCoordinatorActive = () => before.active[0];

    let before = await state();
    for (let step = 0; step < STEPS; step++) {
      const op = pick(["stake", "vote", "vote", "unvote", "deposit", "deposit", "slash", "hostileSlash", "withdraw",
        "claim", "unstake", "reregister", "commission", "time", "sandwich"]);
      const results = [];
      const act = async (make) => {
        const r = await send(make);
        results.push(r);
        return r;
      };
      if (op === "stake") {
        const who = pick([...honest, ...hostile, ...minerStakers]);
        await act(() => as(who).stake(CAI(1 + Math.floor(random() * 20_000)) + tail()));
      } else if (op === "vote") {
        const who = pick([...honest, ...hostile]);
        const target = pick(candidates);
        const { free } = await positions(who);
        if (free === 0n || !(await staking.candidateOf(target)).registered) continue;
        const r = await act(() => as(who).vote(target, fraction(free)));
        assert.equal(r.error, undefined, `vote failed: ${r.error}`);
      } else if (op === "unvote") {
        const who = pick([...honest, ...hostile]);
        const { votes } = await positions(who);
        const held = candidates.filter((c, i) => votes[i] > 0n);
        if (held.length === 0) continue;
        const target = pick(held);
        const value = votes[candidates.indexOf(target)];
        const r = await act(() => as(who).unvote(target, random() < 0.3 ? value : fraction(value)));
        assert.equal(r.error, undefined, `unvote failed: ${r.error}`);
      } else if (op === "deposit") {
        const miners = activeMiners();
        if (miners.length === 0 || !isCoordinatorActive()) continue;
        const amount = random() < 0.3 ? BigInt(1 + Math.floor(random() * 1000)) : CAI(1 + Math.floor(random() * 500)) + tail();
        const r = await act(() => as(coordinator).depositReward(pick(miners).address, amount));
        assert.equal(r.error, undefined, `deposit failed: ${r.error}`);
      } else if (op === "slash") {
        const accused = pick(minerKeys);
        const witnesses = [];
        for (const k of activeMiners()) {
          const st = stakerOf(k);
          if (k !== accused && st !== stakerOf(accused) && !witnesses.some((w) => w.staker === st)) witnesses.push({ k, staker: st });
        }
        if (witnesses.length < 2 || !isCoordinatorActive()) continue;
        const evidence = await makeEvidence(staking, {
          coordinator: coordKey, accused, witnesses: witnesses.slice(0, 2).map((w) => w.k), task: makeTask(`${seed}/${tasks++}`),
        });
        const r = await act(() => as(coordinator).slash(accused.address, evidence));
        assert.ok(r.error === undefined || r.error === "EpochSlashCapExceeded", `slash failed: ${r.error}`);
      } else if (op === "hostileSlash") {
        // A hostile account forges evidence with keys it holds, against an honest miner.
        const [who, key] = pick([[hostile[0], hostileKeys[0]], [hostile[1], hostileKeys[1]]]);
        const task = makeTask(`forged ${seed}/${tasks++}`);
        const victim = pick(minerKeys).address;
        const forged = {
          task, assignmentSignature: await signAssignment(key, staking, task),
          accusedOutput: ethers.id("x"), accusedSignature: await signResult(key, staking, task, ethers.id("x"), who.address),
          witnessOutput: ethers.id("y"), witnessSignatures: [await signResult(key, staking, task, ethers.id("y"), who.address)],
        };
        const r = await act(() => as(who).slash(victim, forged));
        assert.ok(r.error, "a forged slash went through");
        const contradiction = await act(() => as(who).slashCoordinator(coordKey.address, task, forged.assignmentSignature,
          { ...task, inputDigest: ethers.id("other") }, forged.assignmentSignature));
        assert.ok(contradiction.error, "a forged coordinator slash went through");
      } else if (op === "withdraw") {
        const who = pick(everyone);
        const { releaseAt } = await positions(who);
        const pools = [...candidates, ethers.ZeroAddress];
        const ready = pools.filter((c, i) => releaseAt[i] > 0n && releaseAt[i] <= clock);
        const early = pools.filter((c, i) => releaseAt[i] > clock);
        if (ready.length === 0 && early.length === 0) continue;
        if (ready.length > 0) {
          const r = await act(() => as(who).withdraw(pick(ready)));
          assert.equal(r.error, undefined, `withdraw failed: ${r.error}`);
        } else {
          assert.equal((await act(() => as(who).withdraw(pick(early)))).error, "UnbondingNotFinished");
        }
      } else if (op === "claim") {
        const who = pick([...honest, ...honest, ...minerStakers, ...hostile]);
        const r = await act(() => as(who).claim(candidates));
        if (r.receipt && claimed.has(who.address)) {
          const ev = r.receipt.logs.map((l) => S.parseLog(l)).find((e) => e?.name === "RewardsClaimed");
          claimed.set(who.address, claimed.get(who.address) + ev.args.amount);
        }
        assert.ok(r.receipt || r.error === "NothingToClaim", `claim failed: ${r.error}`);
      } else if (op === "unstake") {
        const who = pick(minerStakers);
        const { free } = await positions(who);
        if (free === 0n) continue;
        await act(() => as(who).requestUnstake(fraction(free) / 4n + 1n));
      } else if (op === "reregister") {
        const i = Math.floor(random() * minerStakers.length);
        const who = minerStakers[i];
        if ((await staking.registrationOf(who.address)) !== ethers.ZeroAddress) {
          await act(() => as(who).deregister());
        } else {
          const { free } = await positions(who);
          if (free <= MIN_MINER) await act(() => as(who).stake(MIN_MINER - free + CAI(5_000)));
          const consent = await signConsent(minerKeys[i], staking, who.address, KIND.Miner, "again");
          const r = await act(() => as(who).registerMiner(minerKeys[i].address, "again", consent));
          assert.equal(r.error, undefined, `re-registration failed: ${r.error}`);
        }
      } else if (op === "commission") {
        const who = pick(minerStakers);
        // Within a step of both the commission in effect and the one scheduled, whichever is in effect when it lands.
        const [current, scheduled] = (await staking.commissionScheduleOf(who.address)).map(Number);
        const low = Math.max(0, Math.max(current, scheduled) - 500);
        const high = Math.min(10_000, Math.min(current, scheduled) + 500);
        const next = low + Math.floor(random() * (high - low + 1));
        const r = await act(() => as(who).setCommission(next));
        assert.equal(r.error, undefined, `commission failed: ${r.error}`);
      } else if (op === "time") {
        clock += BigInt(Math.floor(random() * Number(2n * EPOCH)));
      } else if (op === "sandwich") {
        // Vote, deposit and unvote inside one epoch: the hostile voter must earn nothing from it.
        const who = pick(hostile);
        const miners = activeMiners();
        const { free } = await positions(who);
        if (miners.length === 0 || free === 0n || clock % EPOCH > EPOCH - 10n || !isCoordinatorActive()) continue;
        const m = pick(miners).address;
        // Only a fresh position isolates what the sandwich itself earns.
        if ((await staking.voteOf(who.address, m)) > 0n) continue;
        const earnedBefore = await staking.claimable(who.address, [m]);
        const amount = fraction(free);
        assert.equal((await act(() => as(who).vote(m, amount))).error, undefined);
        assert.equal((await act(() => as(coordinator).depositReward(m, CAI(100)))).error, undefined);
        const value = await staking.voteOf(who.address, m);
        assert.equal((await act(() => as(who).unvote(m, value))).error, undefined);
        assert.equal(await staking.claimable(who.address, [m]), earnedBefore, "the sandwich earned something");
      }
      log.push(op);
      const where_ = `seed ${seed}, step ${step} (${log.join(",")})`;

      // Invariants.
      const after_ = await state();
      const owed = after_.claims.reduce((a, b) => a + b, 0n);
      assert.ok(after_.held >= after_.bonded + owed, `tokens held cover every stake and claim: ${where_}`);
      assert.equal(after_.placed, after_.bonded, `every bonded token is in one place: ${where_}`);
      let staked = 0n, withdrawn = 0n, burned = 0n;
      for (const r of results) {
        for (const l of r.receipt?.logs ?? []) {
          const e = l.address.toLowerCase() === where.toLowerCase() ? S.parseLog(l) : null;
          if (e?.name === "Staked") staked += e.args.amount;
          if (e?.name === "Withdrawn") withdrawn += e.args.amount;
          if (e?.name === "Slashed") burned += e.args.burned;
        }
      }
      assert.equal(after_.bonded, before.bonded + staked - withdrawn - burned, `stake conserved but for slashes and withdrawals: ${where_}`);
      // What an honest voter has claimed plus what it can claim never goes down.
      for (const h of honest) {
        const total = after_.claims[everyone.indexOf(h)] + claimed.get(h.address);
        assert.ok(total >= earned.get(h.address), `honest voter ${h.address}'s rewards fell: ${where_}`);
        earned.set(h.address, total);
      }
      before = after_;
    }
    return log;
  }

  it(`holds its invariants over ${SEEDS.length} seeded runs of ${STEPS} steps`, async (t) => {
    const seen = new Set();
    for (const seed of SEEDS) {
      await node.rpc("evm_revert", [snapshot]);
      snapshot = await node.rpc("evm_snapshot");
      t.diagnostic(`seed ${seed} (replay: FUZZ_SEED=${seed})`);
      try {
        for (const op of await runOnce(seed)) seen.add(op);
      } catch (e) {
        e.message = `FUZZ_SEED=${seed}: ${e.message}`;
        throw e;
      }
    }
    if (!process.env.FUZZ_SEED) assert.ok(seen.size >= 12, `the runs exercised ${[...seen].join(", ")}`);
  });
});

function findData(error, depth = 0) {
  if (!error || typeof error !== "object" || depth > 6) return undefined;
  if (typeof error.data === "string" && error.data.startsWith("0x") && error.data.length >= 10) return error.data;
  for (const key of ["data", "info", "error"]) {
    const found = findData(error[key], depth + 1);
    if (found) return found;
  }
  return undefined;
}
