import { after, before, beforeEach, describe, it } from "node:test";
import assert from "node:assert/strict";
import { ethers } from "ethers";
import {
  CAI, artifact, deploy, eventsOf, expectRevert, fixtureArtifact, increaseTime, latestTimestamp, startNode,
} from "./helpers.mjs";

const MIN_MINER = CAI(20_000);
const MIN_COORD = CAI(2_000_000);
const UNBONDING = 7n * 24n * 3600n;
const EPOCH = 24n * 3600n;
const MAX_INCIDENT = 1000n;
const MAX_EPOCH = 2000n;
const REPORTER = 1000n;

const mined = async (p) => (await p).wait();

describe("CuckooStaking", () => {
  let node, token, staking, snapshot;
  let owner, treasury, staker, miner, coordStaker, coordinator, voterA, voterB, other, otherMiner;
  let S; // staking interface, for reverts

  const as = (signer) => staking.connect(signer);
  const stake = (signer, amount) => mined(as(signer).stake(amount));
  const deposit = (amount) => mined(as(coordinator).depositReward(miner.address, amount));

  before(async () => {
    node = await startNode();
    [owner, treasury, staker, miner, coordStaker, coordinator, voterA, voterB, other, otherMiner] = await Promise.all(
      [...Array(10).keys()].map((i) => node.provider.getSigner(i)),
    );
    token = await deploy(owner, artifact("CaiToken"), CAI(1_000_000_000), 0n, 0n);
    staking = await deploy(
      owner, artifact("CuckooStaking"), await token.getAddress(), treasury.address,
      MIN_MINER, MIN_COORD, UNBONDING, EPOCH, MAX_INCIDENT, MAX_EPOCH, REPORTER,
    );
    S = staking.interface;
    const where = await staking.getAddress();
    for (const s of [staker, coordStaker, coordinator, voterA, voterB, other]) {
      await mined(token.transfer(s.address, CAI(10_000_000)));
      await mined(token.connect(s).approve(where, ethers.MaxUint256));
    }
    // Every test starts with one active coordinator.
    await stake(coordStaker, MIN_COORD);
    await mined(as(coordStaker).registerCoordinator(coordinator.address, "coordinator one"));
    snapshot = await node.rpc("evm_snapshot");
  });
  beforeEach(async () => {
    await node.rpc("evm_revert", [snapshot]);
    snapshot = await node.rpc("evm_snapshot");
  });
  after(async () => node?.stop());

  async function registeredMiner(selfStake = CAI(30_000)) {
    await stake(staker, selfStake);
    await mined(as(staker).registerMiner(miner.address, "gpu box"));
  }

  async function assertSolvent() {
    const held = await token.balanceOf(await staking.getAddress());
    assert.ok(held >= (await staking.totalBonded()) + 0n, "tokens held cover the bonded stake");
    assert.ok(held <= (await staking.totalBonded()) + (await staking.totalRewardsOwed()), "no token unaccounted for");
  }

  describe("deployment", () => {
    it("exposes its parameters", async () => {
      assert.equal(await staking.token(), await token.getAddress());
      assert.equal(await staking.treasury(), treasury.address);
      assert.equal(await staking.minMinerStake(), MIN_MINER);
      assert.equal(await staking.minCoordinatorStake(), MIN_COORD);
      assert.equal(await staking.unbondingPeriod(), UNBONDING);
      assert.equal(await staking.epochLength(), EPOCH);
      assert.equal(await staking.maxSlashBpsPerIncident(), MAX_INCIDENT);
      assert.equal(await staking.maxSlashBpsPerEpoch(), MAX_EPOCH);
      assert.equal(await staking.reporterShareBps(), REPORTER);
    });

    it("rejects a zero token or treasury and inconsistent limits", async () => {
      const art = artifact("CuckooStaking");
      const t = await token.getAddress();
      const make = (...a) => deploy(owner, art, ...a);
      await expectRevert(make(ethers.ZeroAddress, treasury.address, 1n, 1n, 1n, 1n, 1n, 1n, 1n), S, "ZeroAddress", []);
      await expectRevert(make(t, ethers.ZeroAddress, 1n, 1n, 1n, 1n, 1n, 1n, 1n), S, "ZeroAddress", []);
      for (const [epoch, incident, perEpoch, reporter] of [
        [0n, 100n, 100n, 0n], // no epoch
        [1n, 0n, 100n, 0n], // zero incident cap
        [1n, 200n, 100n, 0n], // incident above epoch cap
        [1n, 100n, 10_000n, 0n], // a full slash would empty vote pools
        [1n, 100n, 100n, 10_001n], // reporter share above 100%
      ]) {
        await expectRevert(make(t, treasury.address, 1n, 1n, 1n, epoch, incident, perEpoch, reporter), S, "InvalidParameters", []);
      }
    });
  });

  describe("stake and unbonding", () => {
    it("bonds approved tokens as self-stake", async () => {
      const [e] = await eventsOf(as(staker).stake(CAI(5)), staking, "Staked");
      assert.deepEqual([e.staker, e.amount, e.selfStake], [staker.address, CAI(5), CAI(5)]);
      await stake(staker, CAI(2));
      assert.equal(await staking.stakeOf(staker.address), CAI(7));
      assert.equal(await token.balanceOf(staker.address), CAI(10_000_000 - 7));
      await expectRevert(as(staker).stake(0n), S, "ZeroAmount", []);
    });

    it("surfaces the token's error when the allowance is missing", async () => {
      await mined(token.transfer(otherMiner.address, CAI(1)));
      await expectRevert(as(otherMiner).stake(CAI(1)), token.interface, "InsufficientAllowance",
        [otherMiner.address, await staking.getAddress(), 0n, CAI(1)]);
    });

    it("withdraws unbonded stake only after the unbonding period", async () => {
      await stake(staker, CAI(100));
      await expectRevert(as(staker).requestUnstake(0n), S, "ZeroAmount", []);
      await expectRevert(as(staker).requestUnstake(CAI(101)), S, "InsufficientStake", [CAI(100), CAI(101)]);
      await expectRevert(as(staker).withdraw(), S, "NothingToWithdraw", []);
      const [req] = await eventsOf(as(staker).requestUnstake(CAI(40)), staking, "UnstakeRequested");
      const releaseAt = (await latestTimestamp(node.provider)) + UNBONDING;
      assert.deepEqual([req.staker, req.amount, req.unbonding, req.releaseAt], [staker.address, CAI(40), CAI(40), releaseAt]);
      assert.deepEqual([...(await staking.unbondingOf(staker.address))], [CAI(40), releaseAt]);
      assert.equal(await staking.stakeOf(staker.address), CAI(60));
      await expectRevert(as(staker).withdraw(), S, "UnbondingNotFinished", [releaseAt]);
      await increaseTime(node, UNBONDING - 10n);
      await expectRevert(as(staker).withdraw(), S, "UnbondingNotFinished", [releaseAt]);
      await increaseTime(node, 10n);
      const before = await token.balanceOf(staker.address);
      const [w] = await eventsOf(as(staker).withdraw(), staking, "Withdrawn");
      assert.deepEqual([w.staker, w.amount], [staker.address, CAI(40)]);
      assert.equal(await token.balanceOf(staker.address), before + CAI(40));
      assert.deepEqual([...(await staking.unbondingOf(staker.address))], [0n, 0n]);
      await expectRevert(as(staker).withdraw(), S, "NothingToWithdraw", []);
      await assertSolvent();
    });

    it("restarts the unbonding period for everything when more is requested", async () => {
      await stake(staker, CAI(100));
      await mined(as(staker).requestUnstake(CAI(10)));
      await increaseTime(node, UNBONDING / 2n);
      await mined(as(staker).requestUnstake(CAI(20)));
      const releaseAt = (await latestTimestamp(node.provider)) + UNBONDING;
      assert.deepEqual([...(await staking.unbondingOf(staker.address))], [CAI(30), releaseAt]);
      await increaseTime(node, UNBONDING / 2n + 1n);
      await expectRevert(as(staker).withdraw(), S, "UnbondingNotFinished", [releaseAt]);
    });
  });

  describe("registrations", () => {
    it("registers a miner at exactly the minimum self-stake, not one wei below", async () => {
      await stake(staker, MIN_MINER - 1n);
      await expectRevert(as(staker).registerMiner(miner.address, "x"), S, "BelowMinimum", [MIN_MINER - 1n, MIN_MINER]);
      await stake(staker, 1n);
      const tx = await as(staker).registerMiner(miner.address, "gpu box");
      const [reg] = await eventsOf(tx, staking, "MinerRegistered");
      assert.deepEqual([reg.staker, reg.miner, reg.intro], [staker.address, miner.address, "gpu box"]);
      const [act] = await eventsOf(tx, staking, "RegistrationActivated");
      assert.deepEqual([act.candidate, act.selfStake], [miner.address, MIN_MINER]);
      const [w] = await eventsOf(tx, staking, "WeightChanged");
      assert.deepEqual([w.candidate, w.selfStake, w.votes, w.active], [miner.address, MIN_MINER, 0n, true]);
      assert.equal(await staking.isActiveMiner(miner.address), true);
      assert.equal(await staking.isActiveCoordinator(miner.address), false);
      assert.equal(await staking.registrationOf(staker.address), miner.address);
      assert.equal(await staking.introOf(miner.address), "gpu box");
      assert.deepEqual([...(await staking.candidateOf(miner.address))],
        [1n, staker.address, true, true, MIN_MINER, 0n, MIN_MINER, 1000n]);
    });

    it("registers a coordinator at exactly 2,000,000 CAI, not one wei below", async () => {
      await stake(other, MIN_COORD - 1n);
      await expectRevert(as(other).registerCoordinator(otherMiner.address, "c2"), S, "BelowMinimum", [MIN_COORD - 1n, MIN_COORD]);
      await stake(other, 1n);
      const [reg] = await eventsOf(as(other).registerCoordinator(otherMiner.address, "c2"), staking, "CoordinatorRegistered");
      assert.deepEqual([reg.staker, reg.coordinator, reg.intro], [other.address, otherMiner.address, "c2"]);
      assert.equal(await staking.isActiveCoordinator(otherMiner.address), true);
      assert.equal(await staking.isActiveMiner(otherMiner.address), false);
    });

    it("rejects the staker's own, the zero, a taken and a second address", async () => {
      await registeredMiner();
      await stake(other, CAI(30_000));
      await expectRevert(as(other).registerMiner(other.address, ""), S, "SelfRegistration", [other.address]);
      await expectRevert(as(other).registerMiner(ethers.ZeroAddress, ""), S, "ZeroAddress", []);
      await expectRevert(as(other).registerMiner(miner.address, ""), S, "AddressTaken", [miner.address]);
      await expectRevert(as(other).registerMiner(coordinator.address, ""), S, "AddressTaken", [coordinator.address]);
      await expectRevert(as(staker).registerMiner(otherMiner.address, ""), S, "AlreadyRegistered", [staker.address, miner.address]);
    });

    it("deactivates below the minimum, with an event, until topped up", async () => {
      await registeredMiner(MIN_MINER);
      const tx = await as(staker).requestUnstake(1n);
      const [d] = await eventsOf(tx, staking, "RegistrationDeactivated");
      assert.deepEqual([d.candidate, d.selfStake, d.minimum], [miner.address, MIN_MINER - 1n, MIN_MINER]);
      assert.equal(await staking.isActiveMiner(miner.address), false);
      // Unbonding stake gives no weight.
      assert.equal(await staking.weightOf(miner.address), MIN_MINER - 1n);
      const [a] = await eventsOf(as(staker).stake(1n), staking, "RegistrationActivated");
      assert.deepEqual([a.candidate, a.selfStake], [miner.address, MIN_MINER]);
      assert.equal(await staking.isActiveMiner(miner.address), true);
    });

    it("deregisters, keeps the address bound to its staker, and allows re-registering it", async () => {
      await expectRevert(as(staker).deregister(), S, "NotRegistered", [staker.address]);
      await registeredMiner();
      const tx = await as(staker).deregister();
      const [d] = await eventsOf(tx, staking, "Deregistered");
      assert.deepEqual([d.staker, d.candidate], [staker.address, miner.address]);
      assert.equal((await eventsOf(tx, staking, "RegistrationDeactivated")).length, 1);
      assert.equal(await staking.weightOf(miner.address), 0n);
      assert.equal(await staking.isActiveMiner(miner.address), false);
      assert.equal(await staking.registrationOf(staker.address), ethers.ZeroAddress);
      await stake(voterA, CAI(10));
      await expectRevert(as(voterA).vote(miner.address, CAI(1)), S, "NotRegistered", [miner.address]);
      await stake(other, CAI(30_000));
      await expectRevert(as(other).registerMiner(miner.address, ""), S, "AddressTaken", [miner.address]);
      // The same staker may not turn its old miner address into a coordinator.
      await expectRevert(as(staker).registerCoordinator(miner.address, ""), S, "AddressTaken", [miner.address]);
      await mined(as(staker).registerMiner(miner.address, "back"));
      assert.equal(await staking.isActiveMiner(miner.address), true);
    });
  });

  describe("votes", () => {
    it("adds votes to the weight and returns them to free stake on unvote", async () => {
      await registeredMiner(CAI(30_000));
      await stake(voterA, CAI(1_000));
      await expectRevert(as(voterA).vote(miner.address, 0n), S, "ZeroAmount", []);
      await expectRevert(as(voterA).vote(miner.address, CAI(1_001)), S, "InsufficientStake", [CAI(1_000), CAI(1_001)]);
      await expectRevert(as(voterA).vote(other.address, CAI(1)), S, "NotRegistered", [other.address]);
      const tx = await as(voterA).vote(miner.address, CAI(600));
      const [v] = await eventsOf(tx, staking, "Voted");
      assert.deepEqual([v.voter, v.candidate, v.amount, v.shares], [voterA.address, miner.address, CAI(600), CAI(600)]);
      const [w] = await eventsOf(tx, staking, "WeightChanged");
      assert.deepEqual([w.selfStake, w.votes, w.active], [CAI(30_000), CAI(600), true]);
      assert.equal(await staking.weightOf(miner.address), CAI(30_600));
      assert.equal(await staking.votesFor(miner.address), CAI(600));
      assert.equal(await staking.voteOf(voterA.address, miner.address), CAI(600));
      assert.equal(await staking.stakeOf(voterA.address), CAI(400));
      // Voted stake cannot be unstaked without unvoting first.
      await expectRevert(as(voterA).requestUnstake(CAI(401)), S, "InsufficientStake", [CAI(400), CAI(401)]);
      await expectRevert(as(voterA).unvote(miner.address, 0n), S, "ZeroAmount", []);
      await expectRevert(as(voterA).unvote(miner.address, CAI(601)), S, "InsufficientVotes", [CAI(600), CAI(601)]);
      const [u] = await eventsOf(as(voterA).unvote(miner.address, CAI(200)), staking, "Unvoted");
      assert.deepEqual([u.voter, u.candidate, u.amount, u.shares], [voterA.address, miner.address, CAI(200), CAI(200)]);
      assert.equal(await staking.stakeOf(voterA.address), CAI(600));
      assert.equal(await staking.weightOf(miner.address), CAI(30_400));
    });

    it("lets voters back coordinators and unvote from a deregistered candidate", async () => {
      await stake(voterA, CAI(50));
      await mined(as(voterA).vote(coordinator.address, CAI(50)));
      assert.equal(await staking.weightOf(coordinator.address), MIN_COORD + CAI(50));
      await mined(as(coordStaker).deregister());
      await mined(as(voterA).unvote(coordinator.address, CAI(50)));
      assert.equal(await staking.stakeOf(voterA.address), CAI(50));
    });

    it("deactivates a staker's own registration when it votes its self-stake away", async () => {
      await registeredMiner(MIN_MINER);
      const [d] = await eventsOf(as(staker).vote(coordinator.address, 1n), staking, "RegistrationDeactivated");
      assert.equal(d.candidate, miner.address);
      assert.equal(await staking.isActiveMiner(miner.address), false);
    });
  });

  describe("rewards", () => {
    async function fundCoordinator() {
      await mined(token.connect(coordinator).approve(await staking.getAddress(), ethers.MaxUint256));
    }

    it("pays the commission to the staker and the rest to voters pro rata", async () => {
      await registeredMiner();
      await fundCoordinator();
      await expectRevert(as(staker).setCommission(10_001), S, "InvalidBps", [10_001n]);
      const [c] = await eventsOf(as(staker).setCommission(2_000), staking, "CommissionChanged");
      assert.deepEqual([c.staker, c.bps], [staker.address, 2000n]);
      await stake(voterA, CAI(1_000));
      await stake(voterB, CAI(3_000));
      await mined(as(voterA).vote(miner.address, CAI(1_000)));
      await mined(as(voterB).vote(miner.address, CAI(3_000)));
      const [r] = await eventsOf(as(coordinator).depositReward(miner.address, CAI(1_000)), staking, "RewardDeposited");
      assert.deepEqual([r.coordinator, r.miner, r.amount, r.commission, r.toVoters],
        [coordinator.address, miner.address, CAI(1_000), CAI(200), CAI(800)]);
      assert.equal(await staking.rewardsOf(staker.address), CAI(200));
      assert.equal(await staking.claimable(voterA.address, [miner.address]), CAI(200));
      assert.equal(await staking.claimable(voterB.address, [miner.address]), CAI(600));
      // A voter arriving after a deposit earns nothing from it.
      await stake(other, CAI(4_000));
      await mined(as(other).vote(miner.address, CAI(4_000)));
      assert.equal(await staking.claimable(other.address, [miner.address]), 0n);
      await deposit(CAI(1_000));
      assert.equal(await staking.claimable(voterA.address, [miner.address]), CAI(300));
      assert.equal(await staking.claimable(other.address, [miner.address]), CAI(400));

      const before = await token.balanceOf(voterA.address);
      const [claimed] = await eventsOf(as(voterA).claim([miner.address]), staking, "RewardsClaimed");
      assert.deepEqual([claimed.account, claimed.amount], [voterA.address, CAI(300)]);
      assert.equal(await token.balanceOf(voterA.address), before + CAI(300));
      await expectRevert(as(voterA).claim([miner.address]), S, "NothingToClaim", []);
      await mined(as(staker).claim([]));
      assert.equal(await staking.rewardsOf(staker.address), 0n);
      await assertSolvent();
    });

    it("keeps rewards earned before an unvote", async () => {
      await registeredMiner();
      await fundCoordinator();
      await stake(voterA, CAI(100));
      await mined(as(voterA).vote(miner.address, CAI(100)));
      await deposit(CAI(10));
      await mined(as(voterA).unvote(miner.address, CAI(100)));
      await deposit(CAI(10));
      assert.equal(await staking.rewardsOf(voterA.address), CAI(9));
      assert.equal(await staking.claimable(voterA.address, [miner.address]), CAI(9));
    });

    it("rounds voter rewards down and gives the remainder to the staker", async () => {
      await registeredMiner();
      await fundCoordinator();
      await mined(as(staker).setCommission(0));
      await stake(voterA, CAI(1));
      await stake(voterB, CAI(2));
      await mined(as(voterA).vote(miner.address, CAI(1)));
      await mined(as(voterB).vote(miner.address, CAI(2)));
      // 10 wei over 3e18 shares: 3 wei per 1e18 shares, 9 wei distributed, 1 wei left over.
      const [r] = await eventsOf(as(coordinator).depositReward(miner.address, 10n), staking, "RewardDeposited");
      assert.deepEqual([r.commission, r.toVoters], [1n, 9n]);
      assert.equal(await staking.claimable(voterA.address, [miner.address]), 3n);
      assert.equal(await staking.claimable(voterB.address, [miner.address]), 6n);
      assert.equal(await staking.rewardsOf(staker.address), 1n);
      await mined(as(voterA).claim([miner.address]));
      await mined(as(voterB).claim([miner.address]));
      await mined(as(staker).claim([]));
      await assertSolvent();
    });

    it("gives everything to the staker while the miner has no voters", async () => {
      await registeredMiner();
      await fundCoordinator();
      assert.equal(await staking.commissionOf(staker.address), 1000n);
      const [r] = await eventsOf(as(coordinator).depositReward(miner.address, CAI(7)), staking, "RewardDeposited");
      assert.deepEqual([r.commission, r.toVoters], [CAI(7), 0n]);
      assert.equal(await staking.rewardsOf(staker.address), CAI(7));
    });

    it("accepts deposits only from an active coordinator for a registered miner", async () => {
      await registeredMiner();
      await fundCoordinator();
      await expectRevert(as(other).depositReward(miner.address, 1n), S, "NotActiveCoordinator", [other.address]);
      await expectRevert(as(coordinator).depositReward(miner.address, 0n), S, "ZeroAmount", []);
      await expectRevert(as(coordinator).depositReward(coordinator.address, 1n), S, "NotMiner", [coordinator.address]);
      await expectRevert(as(coordinator).depositReward(other.address, 1n), S, "NotMiner", [other.address]);
      await mined(as(staker).deregister());
      await expectRevert(as(coordinator).depositReward(miner.address, 1n), S, "NotRegistered", [miner.address]);
      await mined(as(coordStaker).requestUnstake(1n));
      await expectRevert(as(coordinator).depositReward(miner.address, 1n), S, "NotActiveCoordinator", [coordinator.address]);
    });
  });

  describe("slashing", () => {
    // Moves the clock to just after an epoch boundary so that a test's transactions share one epoch.
    async function startOfEpoch() {
      const now = await latestTimestamp(node.provider);
      await increaseTime(node, EPOCH - (now % EPOCH) + 5n);
    }

    it("slashes stake, unbonding and votes by bps, rounding down, reporter first", async () => {
      await stake(staker, CAI(30_000) + 15n);
      await mined(as(staker).registerMiner(miner.address, ""));
      await mined(as(staker).requestUnstake(CAI(1_000) + 10n)); // free: 29,000 CAI + 5 wei
      await stake(voterA, CAI(4_000));
      await stake(voterB, CAI(1_000));
      await mined(as(voterA).vote(miner.address, CAI(4_000)));
      await mined(as(voterB).vote(miner.address, CAI(1_000)));
      const evidence = ethers.id("result digest mismatch");
      const coordBefore = await token.balanceOf(coordinator.address);
      const treasuryBefore = await token.balanceOf(treasury.address);

      const tx = await as(coordinator).slash(miner.address, 1000, evidence);
      const [s] = await eventsOf(tx, staking, "Slashed");
      // 10% of 29,000e18+5 = 2,900e18 (+0.5 dropped); of 1,000e18+10 = 100e18+1; of 5,000e18 = 500e18.
      const fromStake = CAI(2_900);
      const fromUnbonding = CAI(100) + 1n;
      const fromVotes = CAI(500);
      const total = fromStake + fromUnbonding + fromVotes;
      const reporterReward = CAI(350); // 10% of 3,500e18+1, the 0.1 wei dropped
      assert.deepEqual(
        [s.miner, s.reporter, s.evidenceHash, s.bps, s.fromStake, s.fromUnbonding, s.fromVotes, s.reporterReward, s.toTreasury],
        [miner.address, coordinator.address, evidence, 1000n, fromStake, fromUnbonding, fromVotes, reporterReward, total - reporterReward],
      );
      assert.equal(await token.balanceOf(coordinator.address), coordBefore + reporterReward);
      assert.equal(await token.balanceOf(treasury.address), treasuryBefore + total - reporterReward);
      assert.equal(await staking.stakeOf(staker.address), CAI(26_100) + 5n);
      assert.equal((await staking.unbondingOf(staker.address))[0], CAI(900) + 9n);
      assert.equal(await staking.votesFor(miner.address), CAI(4_500));
      assert.equal(await staking.voteOf(voterA.address, miner.address), CAI(3_600));
      assert.equal(await staking.voteOf(voterB.address, miner.address), CAI(900));
      assert.equal(await staking.weightOf(miner.address), CAI(30_600) + 5n);
      // Voters leave with what their votes are worth after the slash.
      await mined(as(voterB).unvote(miner.address, CAI(900)));
      assert.equal(await staking.stakeOf(voterB.address), CAI(900));
      assert.equal(await staking.voteSharesOf(miner.address, voterB.address), 0n);
      // A newcomer buys shares at the slashed price, rounded down, and is worth at most what it put in.
      await stake(other, CAI(1_000));
      const [v] = await eventsOf(as(other).vote(miner.address, CAI(1_000)), staking, "Voted");
      assert.equal(v.shares, (CAI(1_000) * CAI(4_000)) / CAI(3_600));
      const worth = await staking.voteOf(other.address, miner.address);
      assert.ok(worth <= CAI(1_000) && worth >= CAI(1_000) - 1n, `worth ${worth}`);
      assert.equal(await staking.voteOf(voterA.address, miner.address), CAI(3_600));
      await assertSolvent();
    });

    it("caps each incident and each epoch", async () => {
      await registeredMiner(CAI(100_000));
      await startOfEpoch();
      const e = ethers.ZeroHash;
      await expectRevert(as(coordinator).slash(miner.address, 0, e), S, "InvalidBps", [0n]);
      await expectRevert(as(coordinator).slash(miner.address, 1001, e), S, "SlashTooLarge", [1001n, 1000n]);
      await mined(as(coordinator).slash(miner.address, 1000, e));
      await mined(as(coordinator).slash(miner.address, 600, e));
      await expectRevert(as(coordinator).slash(miner.address, 401, e), S, "EpochSlashCapExceeded", [1600n, 401n, 2000n]);
      await mined(as(coordinator).slash(miner.address, 400, e));
      const epoch = await staking.currentEpoch();
      assert.equal(await staking.slashedBpsInEpoch(miner.address, epoch), 2000n);
      // Compounding: 100,000 * 0.9 * 0.94 * 0.96.
      assert.equal(await staking.stakeOf(staker.address), CAI(81_216));
      await increaseTime(node, EPOCH);
      await mined(as(coordinator).slash(miner.address, 1000, e));
      assert.equal(await staking.slashedBpsInEpoch(miner.address, epoch + 1n), 1000n);
    });

    it("is done only by an active coordinator, to a miner", async () => {
      await registeredMiner();
      const e = ethers.ZeroHash;
      await expectRevert(as(miner).slash(miner.address, 100, e), S, "NotActiveCoordinator", [miner.address]);
      await expectRevert(as(coordStaker).slash(miner.address, 100, e), S, "NotActiveCoordinator", [coordStaker.address]);
      await expectRevert(as(coordinator).slash(coordinator.address, 100, e), S, "NotMiner", [coordinator.address]);
      await expectRevert(as(coordinator).slash(other.address, 100, e), S, "NotMiner", [other.address]);
      await mined(as(coordStaker).requestUnstake(1n));
      await expectRevert(as(coordinator).slash(miner.address, 100, e), S, "NotActiveCoordinator", [coordinator.address]);
    });

    it("still reaches a deregistered miner's unbonding stake and deactivates below the minimum", async () => {
      await registeredMiner(MIN_MINER);
      const [d] = await eventsOf(as(coordinator).slash(miner.address, 100, ethers.ZeroHash), staking, "RegistrationDeactivated");
      assert.deepEqual([d.candidate, d.selfStake], [miner.address, CAI(19_800)]);
      await mined(as(staker).deregister());
      await mined(as(staker).requestUnstake(CAI(19_800)));
      const [s] = await eventsOf(as(coordinator).slash(miner.address, 500, ethers.ZeroHash), staking, "Slashed");
      assert.deepEqual([s.fromStake, s.fromUnbonding, s.fromVotes], [0n, CAI(990), 0n]);
      assert.equal((await staking.unbondingOf(staker.address))[0], CAI(18_810));
    });

    it("deactivates the staker's current registration when its old miner is slashed", async () => {
      await registeredMiner(MIN_MINER);
      await mined(as(staker).deregister());
      await mined(as(staker).registerMiner(otherMiner.address, "new box"));
      const tx = await as(coordinator).slash(miner.address, 100, ethers.ZeroHash);
      const [d] = await eventsOf(tx, staking, "RegistrationDeactivated");
      assert.deepEqual([d.candidate, d.selfStake], [otherMiner.address, CAI(19_800)]);
      assert.equal(await staking.isActiveMiner(otherMiner.address), false);
      const weights = await eventsOf(tx, staking, "WeightChanged");
      assert.deepEqual(weights.map((w) => w.candidate), [miner.address, otherMiner.address]);
    });
  });

  describe("guards", () => {
    it("rejects re-entry and failed token transfers", async () => {
      const bad = await deploy(owner, fixtureArtifact("MisbehavingToken"));
      const guarded = await deploy(owner, artifact("CuckooStaking"), await bad.getAddress(), treasury.address,
        1n, 1n, 1n, 1n, 1n, 1n, 0n);
      await mined(bad.configure(1, await guarded.getAddress()));
      await expectRevert(guarded.stake(5n), S, "ReentrantCall", []);
      await mined(bad.configure(2, await guarded.getAddress()));
      await expectRevert(guarded.stake(5n), S, "TransferFailed", []);
    });
  });
});
