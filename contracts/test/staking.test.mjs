import { after, before, beforeEach, describe, it } from "node:test";
import assert from "node:assert/strict";
import { ethers } from "ethers";
import {
  CAI, KIND, artifact, deploy, devWallet, domainOf, eventsOf, expectRevert, fixtureArtifact, increaseTime,
  latestTimestamp, makeEvidence, makeTask, signAssignment, signConsent, signResult, startNode, TYPES,
} from "./helpers.mjs";

const MIN_MINER = CAI(20_000);
const MIN_COORD = CAI(2_000_000);
const UNBONDING = 7n * 24n * 3600n;
const EPOCH = 24n * 3600n;
const SLASH = 1000n;
const MAX_EPOCH = 2000n;
const WITNESSES = 2n;
const STEP = 500n;

const mined = async (p) => (await p).wait();

describe("CuckooStaking", () => {
  let node, token, staking, snapshot, where;
  let owner, treasury, staker, coordStaker, coordinator, voterA, voterB, other, w1Staker, w2Staker, w3Staker, attacker;
  // Candidate keys: they only sign (consents, results, assignments); their stakers send.
  let coordKey, minerKey, otherMinerKey, w1, w2, w3;
  let S; // staking interface, for reverts

  const as = (signer) => staking.connect(signer);
  const stake = (signer, amount) => mined(as(signer).stake(amount));
  const deposit = (amount, miner = minerKey.address) => mined(as(coordinator).depositReward(miner, amount));

  async function register(stakerSigner, key, selfStake, intro = "gpu box") {
    if (selfStake > 0n) await stake(stakerSigner, selfStake);
    const consent = await signConsent(key, staking, stakerSigner.address, KIND.Miner, intro);
    return mined(as(stakerSigner).registerMiner(key.address, intro, consent));
  }

  before(async () => {
    node = await startNode();
    [owner, treasury, staker, coordStaker, coordinator, voterA, voterB, other, w1Staker, w2Staker, w3Staker, attacker] =
      await Promise.all([...Array(12).keys()].map((i) => node.provider.getSigner(i)));
    coordKey = devWallet(4);
    [minerKey, otherMinerKey, w1, w2, w3] = [101, 102, 103, 104, 105].map((i) => devWallet(i));
    token = await deploy(owner, artifact("CaiToken"), CAI(1_000_000_000), 0n, 0n);
    staking = await deploy(
      owner, artifact("CuckooStaking"), await token.getAddress(), treasury.address,
      MIN_MINER, MIN_COORD, UNBONDING, EPOCH, SLASH, MAX_EPOCH, WITNESSES, STEP,
    );
    S = staking.interface;
    where = await staking.getAddress();
    for (const s of [staker, coordStaker, coordinator, voterA, voterB, other, w1Staker, w2Staker, w3Staker, attacker]) {
      await mined(token.transfer(s.address, CAI(10_000_000)));
      await mined(token.connect(s).approve(where, ethers.MaxUint256));
    }
    // Every test starts with one active coordinator and two active witness miners of distinct stakers.
    await stake(coordStaker, MIN_COORD + CAI(1));
    const consent = await signConsent(coordKey, staking, coordStaker.address, KIND.Coordinator, "coordinator one");
    await mined(as(coordStaker).registerCoordinator(coordKey.address, "coordinator one", "https://coordinator.test:8443", consent));
    await register(w1Staker, w1, CAI(30_000));
    await register(w2Staker, w2, CAI(30_000));
    snapshot = await node.rpc("evm_snapshot");
  });
  beforeEach(async () => {
    await node.rpc("evm_revert", [snapshot]);
    snapshot = await node.rpc("evm_snapshot");
  });
  after(async () => node?.stop());

  const registeredMiner = (selfStake = CAI(30_000)) => register(staker, minerKey, selfStake);

  async function nextEpoch() {
    const now = await latestTimestamp(node.provider);
    await increaseTime(node, EPOCH - (now % EPOCH) + 5n);
  }

  async function evidenceAgainst(accused, label, witnesses = [w1, w2]) {
    return makeEvidence(staking, { coordinator: coordKey, accused, witnesses, task: makeTask(label) });
  }

  async function assertSolvent() {
    const held = await token.balanceOf(where);
    assert.equal(held, (await staking.totalBonded()) + (await staking.totalRewardsOwed()) + (await staking.sweepable()));
  }

  describe("deployment", () => {
    it("exposes its parameters and EIP-712 domain", async () => {
      assert.equal(await staking.token(), await token.getAddress());
      assert.equal(await staking.treasury(), treasury.address);
      assert.equal(await staking.minMinerStake(), MIN_MINER);
      assert.equal(await staking.minCoordinatorStake(), MIN_COORD);
      assert.equal(await staking.unbondingPeriod(), UNBONDING);
      assert.equal(await staking.epochLength(), EPOCH);
      assert.equal(await staking.slashBps(), SLASH);
      assert.equal(await staking.maxSlashBpsPerEpoch(), MAX_EPOCH);
      assert.equal(await staking.minWitnesses(), WITNESSES);
      assert.equal(await staking.maxCommissionStepBps(), STEP);
      const domain = await domainOf(staking);
      assert.equal(await staking.DOMAIN_SEPARATOR(), ethers.TypedDataEncoder.hashDomain(domain));
      const task = makeTask("digest");
      assert.equal(await staking.assignmentDigest(task.taskId, task.modelId, task.inputDigest),
        ethers.TypedDataEncoder.hash(domain, { Assignment: TYPES.Assignment }, task));
      const out = ethers.id("out");
      assert.equal(await staking.resultDigest(task.taskId, task.modelId, task.inputDigest, out, coordKey.address),
        ethers.TypedDataEncoder.hash(domain, { Result: TYPES.Result }, { ...task, outputDigest: out, coordinator: coordKey.address }));
      const reg = { staker: staker.address, kind: 1, intro: "hi", nonce: 7n };
      assert.equal(await staking.registrationDigest(reg.staker, reg.kind, reg.intro, reg.nonce),
        ethers.TypedDataEncoder.hash(domain, { Registration: TYPES.Registration }, reg));
    });

    it("rejects a zero token or treasury, zero minimums, zero unbonding and inconsistent limits", async () => {
      const art = artifact("CuckooStaking");
      const t = await token.getAddress();
      const good = [t, treasury.address, 1n, 1n, 1n, 1n, 100n, 100n, 1n, 1n];
      const make = (patch) => deploy(owner, art, ...good.map((v, i) => (i in patch ? patch[i] : v)));
      await (await make({})).waitForDeployment();
      await expectRevert(make({ 0: ethers.ZeroAddress }), S, "ZeroAddress", []);
      await expectRevert(make({ 1: ethers.ZeroAddress }), S, "ZeroAddress", []);
      for (const patch of [
        { 2: 0n }, // no miner minimum
        { 3: 0n }, // no coordinator minimum
        { 4: 0n }, // no unbonding
        { 5: 0n }, // no epoch
        { 6: 0n }, // a slash that takes nothing
        { 6: 200n }, // a slash above the epoch cap
        { 6: 100n, 7: 10_000n }, // a full slash would empty pools
        { 8: 0n }, // slashing on no witnesses
        { 9: 0n }, // commission frozen
        { 9: 10_001n }, // step above 100%
      ]) {
        await expectRevert(make(patch), S, "InvalidParameters", []);
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
      const poor = await node.provider.getSigner(15);
      await mined(token.transfer(poor.address, CAI(1)));
      await expectRevert(as(poor).stake(CAI(1)), token.interface, "InsufficientAllowance", [poor.address, where, 0n, CAI(1)]);
    });

    it("withdraws unbonded stake only after the unbonding period", async () => {
      await stake(voterA, CAI(100));
      await expectRevert(as(voterA).requestUnstake(0n), S, "ZeroAmount", []);
      await expectRevert(as(voterA).requestUnstake(CAI(101)), S, "InsufficientStake", [CAI(100), CAI(101)]);
      await expectRevert(as(voterA).withdraw(ethers.ZeroAddress), S, "NothingToWithdraw", []);
      const [req] = await eventsOf(as(voterA).requestUnstake(CAI(40)), staking, "UnstakeRequested");
      const releaseAt = (await latestTimestamp(node.provider)) + UNBONDING;
      assert.deepEqual([req.staker, req.candidate, req.amount, req.unbonding, req.releaseAt],
        [voterA.address, ethers.ZeroAddress, CAI(40), CAI(40), releaseAt]);
      assert.deepEqual([...(await staking.unbondingOf(voterA.address, ethers.ZeroAddress))], [CAI(40), releaseAt]);
      assert.equal(await staking.stakeOf(voterA.address), CAI(60));
      await expectRevert(as(voterA).withdraw(ethers.ZeroAddress), S, "UnbondingNotFinished", [releaseAt]);
      await increaseTime(node, UNBONDING - 10n);
      await expectRevert(as(voterA).withdraw(ethers.ZeroAddress), S, "UnbondingNotFinished", [releaseAt]);
      await increaseTime(node, 10n);
      const before = await token.balanceOf(voterA.address);
      const [w] = await eventsOf(as(voterA).withdraw(ethers.ZeroAddress), staking, "Withdrawn");
      assert.deepEqual([w.staker, w.candidate, w.amount], [voterA.address, ethers.ZeroAddress, CAI(40)]);
      assert.equal(await token.balanceOf(voterA.address), before + CAI(40));
      await expectRevert(as(voterA).withdraw(ethers.ZeroAddress), S, "NothingToWithdraw", []);
      await assertSolvent();
    });

    it("unbonds a registered staker's stake on its candidate's pool", async () => {
      await registeredMiner(CAI(30_000));
      const [req] = await eventsOf(as(staker).requestUnstake(CAI(5_000)), staking, "UnstakeRequested");
      assert.equal(req.candidate, minerKey.address);
      assert.deepEqual((await staking.poolsOf(minerKey.address))[2], CAI(5_000));
      assert.equal((await staking.unbondingOf(staker.address, minerKey.address))[0], CAI(5_000));
    });
  });

  describe("registrations", () => {
    it("registers a miner with its key's consent, strictly above the minimum", async () => {
      await stake(staker, MIN_MINER);
      const consent = await signConsent(minerKey, staking, staker.address, KIND.Miner, "gpu box");
      await expectRevert(as(staker).registerMiner(minerKey.address, "gpu box", consent), S, "BelowMinimum", [MIN_MINER, MIN_MINER]);
      await stake(staker, 1n);
      const tx = as(staker).registerMiner(minerKey.address, "gpu box", consent);
      const [r] = await eventsOf(tx, staking, "MinerRegistered");
      assert.deepEqual([r.staker, r.miner, r.intro], [staker.address, minerKey.address, "gpu box"]);
      const info = await staking.candidateOf(minerKey.address);
      assert.deepEqual([...info], [1n, staker.address, true, true, MIN_MINER + 1n, 0n, MIN_MINER + 1n, 1000n]);
      assert.equal(await staking.introOf(minerKey.address), "gpu box");
      assert.equal(await staking.consentNonceOf(minerKey.address), 1n);
      assert.equal(await staking.isActiveMiner(minerKey.address), true);
      assert.equal(await staking.registrationOf(staker.address), minerKey.address);
      // One unit below the line and it is inactive; topping up activates it again.
      const [d] = await eventsOf(as(staker).requestUnstake(1n), staking, "RegistrationDeactivated");
      assert.deepEqual([d.candidate, d.selfStake, d.minimum], [minerKey.address, MIN_MINER, MIN_MINER]);
      const [a] = await eventsOf(as(staker).stake(1n), staking, "RegistrationActivated");
      assert.deepEqual([a.candidate, a.selfStake], [minerKey.address, MIN_MINER + 1n]);
    });

    it("registers a coordinator with its enrolment URL, which its staker may change", async () => {
      const key = devWallet(110);
      await stake(other, MIN_COORD);
      const sign = () => signConsent(key, staking, other.address, KIND.Coordinator, "c2");
      await expectRevert(as(other).registerCoordinator(key.address, "c2", "https://c2", await sign()), S, "BelowMinimum", [MIN_COORD, MIN_COORD]);
      await stake(other, 1n);
      await expectRevert(as(other).registerCoordinator(key.address, "c2", "", await sign()), S, "InvalidUrl", [0n]);
      await expectRevert(as(other).registerCoordinator(key.address, "c2", "h".repeat(257), await sign()), S, "InvalidUrl", [257n]);
      // A miner consent does not register a coordinator.
      const minerConsent = await signConsent(key, staking, other.address, KIND.Miner, "c2");
      await expectRevert(as(other).registerCoordinator(key.address, "c2", "https://c2", minerConsent), S, "WrongSigner");
      const [r] = await eventsOf(as(other).registerCoordinator(key.address, "c2", "https://c2:8443", await sign()), staking, "CoordinatorRegistered");
      assert.deepEqual([r.staker, r.coordinator, r.intro, r.url], [other.address, key.address, "c2", "https://c2:8443"]);
      assert.equal(await staking.urlOf(key.address), "https://c2:8443");
      assert.equal(await staking.isActiveCoordinator(key.address), true);
      const [u] = await eventsOf(as(other).setCoordinatorUrl("https://new.c2"), staking, "CoordinatorUrlChanged");
      assert.deepEqual([u.coordinator, u.url], [key.address, "https://new.c2"]);
      assert.equal(await staking.urlOf(key.address), "https://new.c2");
      await expectRevert(as(other).setCoordinatorUrl(""), S, "InvalidUrl", [0n]);
      await expectRevert(as(voterA).setCoordinatorUrl("https://x"), S, "NotRegistered", [voterA.address]);
      await expectRevert(as(w1Staker).setCoordinatorUrl("https://x"), S, "NotCoordinator", [w1.address]);
    });

    it("rejects the zero address, the staker's own, a second registration and a taken address", async () => {
      await stake(staker, CAI(30_000));
      const sig = (key) => signConsent(key, staking, staker.address, KIND.Miner, "");
      await expectRevert(as(staker).registerMiner(ethers.ZeroAddress, "", await sig(minerKey)), S, "ZeroAddress", []);
      await expectRevert(as(staker).registerMiner(staker.address, "", await sig(minerKey)), S, "SelfRegistration", [staker.address]);
      await expectRevert(as(staker).registerMiner(w1.address, "", await sig(w1)), S, "AddressTaken", [w1.address]);
      // An address keeps its kind: the coordinator's key cannot come back as a miner.
      await expectRevert(as(staker).registerMiner(coordKey.address, "", await sig(coordKey)), S, "AddressTaken", [coordKey.address]);
      await mined(as(staker).registerMiner(minerKey.address, "", await sig(minerKey)));
      await expectRevert(as(staker).registerMiner(otherMinerKey.address, "", await sig(otherMinerKey)), S, "AlreadyRegistered",
        [staker.address, minerKey.address]);
      await expectRevert(as(voterA).deregister(), S, "NotRegistered", [voterA.address]);
    });

    it("checks the consent's signature carefully: length, v, low s, and a real signer", async () => {
      await stake(staker, CAI(30_000));
      const consent = ethers.Signature.from(await signConsent(minerKey, staking, staker.address, KIND.Miner, ""));
      const digest = await staking.registrationDigest(staker.address, 1, "", 0n);
      const register = (sig) => as(staker).registerMiner(minerKey.address, "", sig);
      await expectRevert(register(consent.serialized.slice(0, -2)), S, "InvalidSignature", [digest]);
      await expectRevert(register(ethers.concat([consent.r, consent.s, "0x01"])), S, "InvalidSignature", [digest]);
      // The malleable twin (n - s, other v) recovers the same key and must still be refused.
      const n = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141n;
      const twin = ethers.concat([consent.r, ethers.toBeHex(n - BigInt(consent.s), 32), consent.v === 27 ? "0x1c" : "0x1b"]);
      await expectRevert(register(twin), S, "InvalidSignature", [digest]);
      // r = 0 recovers nothing.
      await expectRevert(register(ethers.concat([ethers.ZeroHash, consent.s, "0x1b"])), S, "InvalidSignature", [digest]);
      await mined(register(consent.serialized));
    });

    it("lets the key revoke an unused consent", async () => {
      await stake(staker, CAI(30_000));
      const consent = await signConsent(minerKey, staking, staker.address, KIND.Miner, "");
      const revoker = minerKey.connect(node.provider);
      await mined(owner.sendTransaction({ to: minerKey.address, value: ethers.parseEther("1") }));
      const [e] = await eventsOf(staking.connect(revoker).revokeConsent(), staking, "ConsentRevoked");
      assert.deepEqual([e.candidate, e.nextNonce], [minerKey.address, 1n]);
      await expectRevert(as(staker).registerMiner(minerKey.address, "", consent), S, "WrongSigner");
    });

    it("deregisters into the candidate's unbonding pool, and the key may be registered again by anyone", async () => {
      await registeredMiner(CAI(30_000));
      const tx = as(staker).deregister();
      const [u] = await eventsOf(tx, staking, "UnstakeRequested");
      assert.deepEqual([u.staker, u.candidate, u.amount], [staker.address, minerKey.address, CAI(30_000)]);
      assert.equal(await staking.stakeOf(staker.address), 0n);
      assert.equal(await staking.isActiveMiner(minerKey.address), false);
      assert.equal(await staking.weightOf(minerKey.address), 0n);
      // The old consent is spent; the key chooses another staker.
      await stake(other, CAI(25_000));
      const old = await signConsent(minerKey, staking, staker.address, KIND.Miner, "gpu box", 0n);
      await expectRevert(as(other).registerMiner(minerKey.address, "gpu box", old), S, "WrongSigner");
      await register(other, minerKey, 0n, "new owner");
      assert.equal((await staking.candidateOf(minerKey.address)).staker, other.address);
      assert.equal(await staking.isActiveMiner(minerKey.address), true);
    });
  });

  describe("votes", () => {
    it("counts a vote in the weight at once and lets it earn from the next epoch", async () => {
      await registeredMiner();
      await stake(voterA, CAI(1_000));
      await expectRevert(as(voterA).vote(minerKey.address, 0n), S, "ZeroAmount", []);
      await expectRevert(as(voterA).vote(otherMinerKey.address, 1n), S, "NotRegistered", [otherMinerKey.address]);
      await expectRevert(as(voterA).vote(minerKey.address, CAI(1_001)), S, "InsufficientStake", [CAI(1_000), CAI(1_001)]);
      const tx = await as(voterA).vote(minerKey.address, CAI(600));
      const epoch = await staking.currentEpoch();
      const [v] = await eventsOf(tx, staking, "Voted");
      assert.deepEqual([v.voter, v.candidate, v.amount, v.shares, v.earningFromEpoch],
        [voterA.address, minerKey.address, CAI(600), CAI(600), epoch + 1n]);
      const [w] = await eventsOf(tx, staking, "WeightChanged");
      assert.deepEqual([w.selfStake, w.votes, w.active], [CAI(30_000), CAI(600), true]);
      assert.equal(await staking.weightOf(minerKey.address), CAI(30_600));
      assert.deepEqual([...(await staking.votePositionOf(voterA.address, minerKey.address))], [CAI(600), CAI(600), epoch + 1n]);
      assert.deepEqual([...(await staking.poolsOf(minerKey.address))], [CAI(600), epoch + 1n, 0n]);
      await nextEpoch();
      assert.deepEqual([...(await staking.votePositionOf(voterA.address, minerKey.address))], [CAI(600), 0n, 0n]);
      assert.deepEqual([...(await staking.poolsOf(minerKey.address))], [0n, 0n, 0n]);
    });

    it("sends an unvote through unbonding on the candidate", async () => {
      await registeredMiner();
      await stake(voterA, CAI(1_000));
      await mined(as(voterA).vote(minerKey.address, CAI(600)));
      await expectRevert(as(voterA).unvote(minerKey.address, 0n), S, "ZeroAmount", []);
      await expectRevert(as(voterA).unvote(minerKey.address, CAI(601)), S, "InsufficientVotes", [CAI(600), CAI(601)]);
      const [u] = await eventsOf(as(voterA).unvote(minerKey.address, CAI(200)), staking, "Unvoted");
      const releaseAt = (await latestTimestamp(node.provider)) + UNBONDING;
      assert.deepEqual([u.voter, u.candidate, u.amount, u.shares, u.unbonding, u.releaseAt],
        [voterA.address, minerKey.address, CAI(200), CAI(200), CAI(200), releaseAt]);
      assert.equal(await staking.stakeOf(voterA.address), CAI(400));
      assert.equal(await staking.weightOf(minerKey.address), CAI(30_400));
      assert.deepEqual([...(await staking.unbondingOf(voterA.address, minerKey.address))], [CAI(200), releaseAt]);
      await expectRevert(as(voterA).withdraw(minerKey.address), S, "UnbondingNotFinished", [releaseAt]);
      await increaseTime(node, UNBONDING);
      await mined(as(voterA).withdraw(minerKey.address));
      assert.equal(await token.balanceOf(voterA.address), CAI(10_000_000 - 800));
    });

    it("lets voters back coordinators and unvote from a deregistered candidate", async () => {
      await stake(voterA, CAI(50));
      await mined(as(voterA).vote(coordKey.address, CAI(50)));
      assert.equal(await staking.weightOf(coordKey.address), MIN_COORD + CAI(51));
      await mined(as(coordStaker).deregister());
      await mined(as(voterA).unvote(coordKey.address, CAI(50)));
      assert.equal((await staking.unbondingOf(voterA.address, coordKey.address))[0], CAI(50));
    });

    it("keeps a registered staker's stake behind its registration", async () => {
      await registeredMiner();
      await expectRevert(as(staker).vote(w1.address, 1n), S, "StakeBacksRegistration", [staker.address, minerKey.address]);
      await expectRevert(as(staker).vote(minerKey.address, 1n), S, "StakeBacksRegistration", [staker.address, minerKey.address]);
    });
  });

  describe("commission", () => {
    it("takes effect from the next epoch, by a bounded step", async () => {
      await expectRevert(as(staker).setCommission(10_001), S, "InvalidBps", [10_001n]);
      await expectRevert(as(staker).setCommission(1_501), S, "CommissionStepTooLarge", [1000n, 1501n, STEP]);
      const epoch = await staking.currentEpoch();
      const [c] = await eventsOf(as(staker).setCommission(1_500), staking, "CommissionChanged");
      assert.deepEqual([c.staker, c.bps, c.effectiveEpoch], [staker.address, 1500n, epoch + 1n]);
      assert.equal(await staking.commissionOf(staker.address), 1000n);
      assert.deepEqual([...(await staking.commissionScheduleOf(staker.address))], [1000n, 1500n, epoch + 1n]);
      // A second change in the same epoch replaces the first and is bounded from what is in effect.
      await expectRevert(as(staker).setCommission(1_600), S, "CommissionStepTooLarge", [1000n, 1600n, STEP]);
      await mined(as(staker).setCommission(500));
      await nextEpoch();
      assert.equal(await staking.commissionOf(staker.address), 500n);
      assert.deepEqual([...(await staking.commissionScheduleOf(staker.address))], [500n, 500n, epoch + 1n]);
      await mined(as(staker).setCommission(0));
    });
  });

  describe("rewards", () => {
    async function fundCoordinator() {
      await mined(token.connect(coordinator).approve(where, ethers.MaxUint256));
    }

    it("pays the commission to the staker and the rest to earning voters pro rata", async () => {
      await registeredMiner();
      await fundCoordinator();
      await mined(as(staker).setCommission(1_500));
      await stake(voterA, CAI(1_000));
      await stake(voterB, CAI(3_000));
      await mined(as(voterA).vote(minerKey.address, CAI(1_000)));
      await mined(as(voterB).vote(minerKey.address, CAI(3_000)));
      await nextEpoch();
      const [r] = await eventsOf(as(coordinator).depositReward(minerKey.address, CAI(1_000)), staking, "RewardDeposited");
      assert.deepEqual([r.coordinator, r.miner, r.amount, r.commission, r.toVoters],
        [coordinator.address, minerKey.address, CAI(1_000), CAI(150), CAI(850)]);
      assert.equal(await staking.rewardsOf(staker.address), CAI(150));
      assert.equal(await staking.claimable(voterA.address, [minerKey.address]), CAI(212.5));
      assert.equal(await staking.claimable(voterB.address, [minerKey.address]), CAI(637.5));
      // A voter arriving now earns nothing until the next boundary, then its share.
      await stake(other, CAI(4_000));
      await mined(as(other).vote(minerKey.address, CAI(4_000)));
      await deposit(CAI(1_000));
      assert.equal(await staking.claimable(other.address, [minerKey.address]), 0n);
      assert.equal(await staking.claimable(voterA.address, [minerKey.address]), CAI(425));
      await nextEpoch();
      await deposit(CAI(1_000));
      assert.equal(await staking.claimable(other.address, [minerKey.address]), CAI(425));
      assert.equal(await staking.claimable(voterA.address, [minerKey.address]), CAI(531.25));

      const before = await token.balanceOf(voterA.address);
      const [claimed] = await eventsOf(as(voterA).claim([minerKey.address]), staking, "RewardsClaimed");
      assert.deepEqual([claimed.account, claimed.amount], [voterA.address, CAI(531.25)]);
      assert.equal(await token.balanceOf(voterA.address), before + CAI(531.25));
      await expectRevert(as(voterA).claim([minerKey.address]), S, "NothingToClaim", []);
      await mined(as(staker).claim([]));
      assert.equal(await staking.rewardsOf(staker.address), 0n);
      await assertSolvent();
    });

    it("keeps rewards earned before an unvote and earns nothing while unbonding", async () => {
      await registeredMiner();
      await fundCoordinator();
      await stake(voterA, CAI(100));
      await mined(as(voterA).vote(minerKey.address, CAI(100)));
      await nextEpoch();
      await deposit(CAI(10));
      await mined(as(voterA).unvote(minerKey.address, CAI(100)));
      await deposit(CAI(10));
      assert.equal(await staking.rewardsOf(voterA.address), CAI(9));
      assert.equal(await staking.claimable(voterA.address, [minerKey.address]), CAI(9));
    });

    it("rounds voter rewards down, gives the remainder to the staker, and sweeps dust of an emptied pool", async () => {
      await registeredMiner();
      await fundCoordinator();
      await mined(as(staker).setCommission(500));
      await nextEpoch();
      await mined(as(staker).setCommission(0));
      await stake(voterA, CAI(1));
      await stake(voterB, CAI(2));
      await mined(as(voterA).vote(minerKey.address, CAI(1)));
      await mined(as(voterB).vote(minerKey.address, CAI(2)));
      await nextEpoch();
      await expectRevert(staking.sweepDust(), S, "NothingToSweep", []);
      // 10 wei over 3e18 shares: 3 wei per 1e18 shares, 9 wei reserved, 1 wei left over for the staker.
      const [r] = await eventsOf(as(coordinator).depositReward(minerKey.address, 10n), staking, "RewardDeposited");
      assert.deepEqual([r.commission, r.toVoters], [1n, 9n]);
      assert.equal(await staking.claimable(voterA.address, [minerKey.address]), 3n);
      assert.equal(await staking.claimable(voterB.address, [minerKey.address]), 6n);
      assert.equal(await staking.rewardsOf(staker.address), 1n);
      // 12 wei over 4e18 + 1 shares: 2 per 1e18 shares, 9 wei reserved (8.000…002 rounded up), 3 to the staker;
      // the voters' payouts round down to 2 + 4 + 2, so 1 wei stays in the pool.
      await stake(other, CAI(1) + 1n);
      await mined(as(other).vote(minerKey.address, CAI(1) + 1n));
      await nextEpoch();
      const [r2] = await eventsOf(as(coordinator).depositReward(minerKey.address, 12n), staking, "RewardDeposited");
      assert.deepEqual([r2.commission, r2.toVoters], [3n, 9n]);
      for (const v of [voterA, voterB, other]) await mined(as(v).unvote(minerKey.address, await staking.voteOf(v.address, minerKey.address)));
      assert.deepEqual(await Promise.all([voterA, voterB, other].map((v) => staking.rewardsOf(v.address))), [5n, 10n, 2n]);
      // Once the pool is empty that wei is dust, and so is a stray transfer.
      await mined(token.connect(other).transfer(where, 4n));
      const dust = await staking.sweepable();
      assert.equal(dust, 1n + 4n);
      const before = await token.balanceOf(treasury.address);
      const [d] = await eventsOf(staking.connect(other).sweepDust(), staking, "DustSwept");
      assert.deepEqual([d.treasury, d.amount], [treasury.address, dust]);
      assert.equal(await token.balanceOf(treasury.address), before + dust);
      await assertSolvent();
    });

    it("gives everything to the staker while no vote earns", async () => {
      await registeredMiner();
      await fundCoordinator();
      await stake(voterA, CAI(100));
      await mined(as(voterA).vote(minerKey.address, CAI(100)));
      const [r] = await eventsOf(as(coordinator).depositReward(minerKey.address, CAI(7)), staking, "RewardDeposited");
      assert.deepEqual([r.commission, r.toVoters], [CAI(7), 0n]);
      assert.equal(await staking.rewardsOf(staker.address), CAI(7));
    });

    it("accepts deposits only from an active coordinator for an active registered miner", async () => {
      await registeredMiner();
      await fundCoordinator();
      await expectRevert(as(other).depositReward(minerKey.address, 1n), S, "NotActiveCoordinator", [other.address]);
      await expectRevert(as(coordinator).depositReward(minerKey.address, 0n), S, "ZeroAmount", []);
      await expectRevert(as(coordinator).depositReward(coordKey.address, 1n), S, "NotMiner", [coordKey.address]);
      await expectRevert(as(coordinator).depositReward(other.address, 1n), S, "NotMiner", [other.address]);
      await mined(as(staker).requestUnstake(CAI(10_000)));
      await expectRevert(as(coordinator).depositReward(minerKey.address, 1n), S, "InactiveMiner", [minerKey.address]);
      await mined(as(staker).deregister());
      await expectRevert(as(coordinator).depositReward(minerKey.address, 1n), S, "NotRegistered", [minerKey.address]);
      await mined(as(coordStaker).requestUnstake(CAI(1)));
      await expectRevert(as(coordinator).depositReward(w1.address, 1n), S, "NotActiveCoordinator", [coordinator.address]);
    });
  });

  describe("slashing", () => {
    it("burns a fixed share of stake, unbonding and votes on verified evidence", async () => {
      await stake(staker, CAI(30_000) + 15n);
      await register(staker, minerKey, 0n);
      await mined(as(staker).requestUnstake(CAI(1_000) + 10n)); // free: 29,000 CAI + 5 wei
      await stake(voterA, CAI(4_000));
      await stake(voterB, CAI(1_000));
      await mined(as(voterA).vote(minerKey.address, CAI(4_000)));
      await mined(as(voterB).vote(minerKey.address, CAI(1_000)));
      const evidence = await evidenceAgainst(minerKey, 1);
      const supplyBefore = await token.totalSupply();
      const coordBefore = await token.balanceOf(coordinator.address);

      const tx = await as(coordinator).slash(minerKey.address, evidence);
      const receipt = await tx.wait();
      const [s] = await eventsOf(tx, staking, "Slashed");
      const fromStake = CAI(2_900);
      const fromUnbonding = CAI(100) + 1n;
      const fromVotes = CAI(500);
      const total = fromStake + fromUnbonding + fromVotes;
      const id = ethers.keccak256(ethers.AbiCoder.defaultAbiCoder().encode(
        ["uint8", "address", "address", "bytes32"], [1, minerKey.address, coordinator.address, evidence.task.taskId]));
      assert.deepEqual([s.candidate, s.reporter, s.evidenceId, s.bps, s.fromStake, s.fromUnbonding, s.fromVotes, s.burned],
        [minerKey.address, coordinator.address, id, SLASH, fromStake, fromUnbonding, fromVotes, total]);
      assert.equal(await staking.evidenceUsed(id), true);
      assert.equal(await token.totalSupply(), supplyBefore - total);
      assert.equal(await staking.totalSlashed(), total);
      // Nobody gains: the reporter pays gas and receives nothing.
      assert.equal(await token.balanceOf(coordinator.address), coordBefore);
      assert.equal(await staking.stakeOf(staker.address), CAI(26_100) + 5n);
      assert.equal((await staking.unbondingOf(staker.address, minerKey.address))[0], CAI(900) + 9n);
      assert.equal(await staking.voteOf(voterA.address, minerKey.address), CAI(3_600));
      assert.equal(await staking.voteOf(voterB.address, minerKey.address), CAI(900));
      await expectRevert(as(coordinator).slash(minerKey.address, evidence), S, "EvidenceAlreadyUsed", [id]);
      await assertSolvent();
      console.log(`# gas of a miner slash with ${WITNESSES} witnesses: ${receipt.gasUsed}`);
      assert.ok(receipt.gasUsed < 200_000n, `slash gas ${receipt.gasUsed}`);
    });

    it("refuses evidence that does not hold", async () => {
      await registeredMiner(CAI(30_000));
      const e = await evidenceAgainst(minerKey, 2);
      const slash = (ev, by = coordinator, accused = minerKey.address) => as(by).slash(accused, ev);
      await expectRevert(slash(e, other), S, "NotActiveCoordinator", [other.address]);
      await expectRevert(slash(e, coordinator, coordKey.address), S, "NotMiner", [coordKey.address]);
      // The assignment was signed by someone else than the submitting coordinator.
      const foreign = { ...e, assignmentSignature: await signAssignment(w3, staking, e.task) };
      await expectRevert(slash(foreign), S, "WrongSigner", [coordinator.address, w3.address]);
      // The accused never signed that output.
      const forged = { ...e, accusedSignature: await signResult(w3, staking, e.task, e.accusedOutput, coordinator.address) };
      await expectRevert(slash(forged), S, "WrongSigner", [minerKey.address, w3.address]);
      // Results for another coordinator, or signed on another chain, are not this coordinator's evidence.
      const other1 = await makeEvidence(staking, { coordinator: devWallet(120), accused: minerKey, witnesses: [w1, w2], task: e.task });
      await expectRevert(slash({ ...other1, assignmentSignature: e.assignmentSignature }), S, "WrongSigner");
      const domain1 = { ...(await domainOf(staking)), chainId: 1 };
      const onChain1 = await minerKey.signTypedData(domain1, { Result: TYPES.Result }, { ...e.task, outputDigest: e.accusedOutput, coordinator: coordinator.address });
      await expectRevert(slash({ ...e, accusedSignature: onChain1 }), S, "WrongSigner");
      await expectRevert(slash({ ...e, accusedOutput: e.witnessOutput,
        accusedSignature: await signResult(minerKey, staking, e.task, e.witnessOutput, coordinator.address) }), S, "OutputsAgree", [e.witnessOutput]);
      await expectRevert(slash({ ...e, witnessSignatures: e.witnessSignatures.slice(0, 1) }), S, "NotEnoughWitnesses", [1n, 2n]);
      // A witness that is not an active miner, one signing another output, one counted twice.
      const stranger = await signResult(w3, staking, e.task, e.witnessOutput, coordinator.address);
      await expectRevert(slash({ ...e, witnessSignatures: [e.witnessSignatures[0], stranger] }), S, "WitnessNotActiveMiner", [w3.address]);
      const otherOutput = await signResult(w2, staking, e.task, ethers.id("third output"), coordinator.address);
      const digest = await staking.resultDigest(e.task.taskId, e.task.modelId, e.task.inputDigest, e.witnessOutput, coordinator.address);
      await expectRevert(slash({ ...e, witnessSignatures: [e.witnessSignatures[0], otherOutput] }), S, "WitnessNotActiveMiner",
        [ethers.recoverAddress(digest, otherOutput)]);
      await expectRevert(slash({ ...e, witnessSignatures: [e.witnessSignatures[0], e.witnessSignatures[0]] }), S, "DuplicateStaker", [w1Staker.address]);
      await expectRevert(slash({ ...e, witnessSignatures: [e.witnessSignatures[0], "0x1234"] }), S, "InvalidSignature", [digest]);
      // The accused cannot witness against itself.
      const self = await signResult(minerKey, staking, e.task, e.witnessOutput, coordinator.address);
      await expectRevert(slash({ ...e, witnessSignatures: [e.witnessSignatures[0], self] }), S, "DuplicateStaker", [staker.address]);
      await mined(slash(e));
    });

    it("caps slashes per staker per epoch, across all its candidates", async () => {
      await nextEpoch();
      await registeredMiner(CAI(100_000));
      await mined(as(coordinator).slash(minerKey.address, await evidenceAgainst(minerKey, 10)));
      // The staker moves on to a new miner address; its old stake still answers for the old one.
      await mined(as(staker).deregister());
      await register(staker, otherMinerKey, CAI(50_000));
      await mined(as(coordinator).slash(otherMinerKey.address, await evidenceAgainst(otherMinerKey, 11)));
      const late = await evidenceAgainst(minerKey, 12);
      await expectRevert(as(coordinator).slash(minerKey.address, late), S, "EpochSlashCapExceeded", [2000n, 1000n, 2000n]);
      const epoch = await staking.currentEpoch();
      assert.equal(await staking.slashedBpsInEpoch(staker.address, epoch), 2000n);
      await nextEpoch();
      await mined(as(coordinator).slash(minerKey.address, late));
      assert.equal(await staking.slashedBpsInEpoch(staker.address, epoch + 1n), 1000n);
    });

    it("does not let a re-registered address be slashed again under its new staker's cap", async () => {
      await nextEpoch();
      await registeredMiner(CAI(100_000));
      await mined(as(coordinator).slash(minerKey.address, await evidenceAgainst(minerKey, 30)));
      await mined(as(coordinator).slash(minerKey.address, await evidenceAgainst(minerKey, 31)));
      await mined(as(staker).deregister());
      await register(other, minerKey, CAI(30_000));
      await expectRevert(as(coordinator).slash(minerKey.address, await evidenceAgainst(minerKey, 32)), S,
        "EpochSlashCapExceeded", [2000n, 1000n, 2000n]);
    });

    it("slashes a coordinator that signed contradictory assignments of one task", async () => {
      const task = makeTask("c1");
      const contradiction = { ...task, inputDigest: ethers.id("another input") };
      const first = await signAssignment(coordKey, staking, task);
      const second = await signAssignment(coordKey, staking, contradiction);
      const by = as(other);
      await expectRevert(by.slashCoordinator(w1.address, task, first, contradiction, second), S, "NotCoordinator", [w1.address]);
      await expectRevert(by.slashCoordinator(coordKey.address, task, first, makeTask("c2"), second), S, "TaskMismatch",
        [task.taskId, makeTask("c2").taskId]);
      await expectRevert(by.slashCoordinator(coordKey.address, task, first, task, first), S, "AssignmentsAgree", [task.taskId]);
      const fake = await signAssignment(w3, staking, contradiction);
      await expectRevert(by.slashCoordinator(coordKey.address, task, first, contradiction, fake), S, "WrongSigner", [coordKey.address, w3.address]);
      const [s] = await eventsOf(by.slashCoordinator(coordKey.address, task, first, contradiction, second), staking, "Slashed");
      assert.deepEqual([s.candidate, s.reporter, s.fromStake], [coordKey.address, other.address, (MIN_COORD + CAI(1)) / 10n]);
      assert.equal(await staking.isActiveCoordinator(coordKey.address), false);
      await expectRevert(by.slashCoordinator(coordKey.address, task, first, contradiction, second), S, "EvidenceAlreadyUsed", [s.evidenceId]);
    });
  });

  describe("attacks from the issue, as the attacker would run them", () => {
    it("1. a faucet-funded coordinator cannot slash an honest miner without evidence, nor profit from a slash", async () => {
      const faucetToken = await deploy(owner, artifact("CaiToken"), 0n, CAI(2_500_000), 3600n);
      const st = await deploy(owner, artifact("CuckooStaking"), await faucetToken.getAddress(), treasury.address,
        MIN_MINER, MIN_COORD, UNBONDING, EPOCH, SLASH, MAX_EPOCH, WITNESSES, STEP);
      const stAddr = await st.getAddress();
      // The honest miner's staker gets tokens the same way.
      await mined(faucetToken.connect(staker).faucet());
      await mined(faucetToken.connect(staker).approve(stAddr, ethers.MaxUint256));
      await mined(st.connect(staker).stake(CAI(30_000)));
      await mined(st.connect(staker).registerMiner(minerKey.address, "", await signConsent(minerKey, st, staker.address, KIND.Miner, "")));
      // The attacker: faucet, stake, register its own key as a coordinator.
      const attackerKey = devWallet(11);
      await mined(faucetToken.connect(attacker).faucet());
      await mined(faucetToken.connect(attacker).approve(stAddr, ethers.MaxUint256));
      await mined(st.connect(attacker).stake(CAI(2_000_001)));
      const atk = await node.provider.getSigner(13);
      await mined(st.connect(attacker).registerCoordinator(atk.address, "", "https://evil", await signConsent(devWallet(13), st, attacker.address, KIND.Coordinator, "")));
      const atkKey = devWallet(13);
      const task = makeTask("frame");
      // It signs the "accused result" itself, and the witness results with keys of its own.
      const fabricated = {
        task,
        assignmentSignature: await signAssignment(atkKey, st, task),
        accusedOutput: ethers.id("bad"),
        accusedSignature: await signResult(atkKey, st, task, ethers.id("bad"), atk.address),
        witnessOutput: ethers.id("good"),
        witnessSignatures: [await signResult(attackerKey, st, task, ethers.id("good"), atk.address), await signResult(devWallet(14), st, task, ethers.id("good"), atk.address)],
      };
      await expectRevert(st.connect(atk).slash(minerKey.address, fabricated), S, "WrongSigner", [minerKey.address, atk.address]);
      // Replaying a real result the miner signed for another coordinator does not work either.
      const real = await signResult(minerKey, st, task, ethers.id("bad"), coordinator.address);
      await expectRevert(st.connect(atk).slash(minerKey.address, { ...fabricated, accusedSignature: real }), S, "WrongSigner");
      assert.equal(await st.stakeOf(staker.address), CAI(30_000));
      assert.equal(await faucetToken.balanceOf(atk.address), 0n);
      // And the faucet is rate-limited per address.
      await expectRevert(faucetToken.connect(attacker).faucet(), faucetToken.interface, "FaucetCooldown");
    });

    it("2. vote, deposit, unvote in one epoch earns the sandwicher nothing", async () => {
      await registeredMiner();
      await mined(token.connect(coordinator).approve(where, ethers.MaxUint256));
      await stake(voterA, CAI(10_000));
      await mined(as(voterA).vote(minerKey.address, CAI(10_000)));
      await nextEpoch();
      await stake(attacker, CAI(1_000_000));
      await node.rpc("evm_setAutomine", [false]);
      try {
        const v = await as(attacker).vote(minerKey.address, CAI(1_000_000));
        const d = await as(coordinator).depositReward(minerKey.address, CAI(1_000));
        const u = await as(attacker).unvote(minerKey.address, CAI(1_000_000));
        await node.rpc("evm_mine", []);
        await Promise.all([v.wait(), d.wait(), u.wait()]);
        assert.equal((await v.wait()).blockNumber, (await u.wait()).blockNumber);
      } finally {
        await node.rpc("evm_setAutomine", [true]);
      }
      assert.equal(await staking.claimable(attacker.address, [minerKey.address]), 0n);
      assert.equal(await staking.claimable(voterA.address, [minerKey.address]), CAI(900));
      // And its million CAI is locked in unbonding, slashable for the miner, for a week.
      assert.equal((await staking.unbondingOf(attacker.address, minerKey.address))[0], CAI(1_000_000));
    });

    it("3. neither the miner's staker nor its voters escape a slash by moving stake in front of it", async () => {
      await registeredMiner(CAI(100_000));
      await stake(voterA, CAI(10_000));
      await mined(as(voterA).vote(minerKey.address, CAI(10_000)));
      const evidence = await evidenceAgainst(minerKey, 3);
      // The staker tries to move its stake into votes elsewhere, then unstakes and deregisters instead.
      await expectRevert(as(staker).vote(w1.address, CAI(100_000)), S, "StakeBacksRegistration", [staker.address, minerKey.address]);
      await mined(as(staker).requestUnstake(CAI(60_000)));
      await mined(as(staker).deregister());
      // The voter unvotes in front of the slash.
      await mined(as(voterA).unvote(minerKey.address, CAI(10_000)));
      await mined(as(coordinator).slash(minerKey.address, evidence));
      assert.equal((await staking.unbondingOf(staker.address, minerKey.address))[0], CAI(90_000));
      assert.equal((await staking.unbondingOf(voterA.address, minerKey.address))[0], CAI(9_000));
    });

    it("4. nobody registers a victim's address without its key's consent, and the key can leave a squatter", async () => {
      await stake(attacker, CAI(30_000));
      const noConsent = await signConsent(devWallet(11), staking, attacker.address, KIND.Miner, "mine now");
      await expectRevert(as(attacker).registerMiner(minerKey.address, "mine now", noConsent), S, "WrongSigner",
        [minerKey.address, attacker.address]);
      // The victim's consent for its own staker, replayed by the attacker.
      const victims = await signConsent(minerKey, staking, staker.address, KIND.Miner, "gpu box");
      await expectRevert(as(attacker).registerMiner(minerKey.address, "gpu box", victims), S, "WrongSigner");
      await stake(staker, CAI(30_000));
      await mined(as(staker).registerMiner(minerKey.address, "gpu box", victims));
      assert.equal((await staking.candidateOf(minerKey.address)).staker, staker.address);
    });

    it("5. a commission change never lands on the deposit it was made for, and moves by a bounded step", async () => {
      await registeredMiner();
      await mined(token.connect(coordinator).approve(where, ethers.MaxUint256));
      await stake(voterA, CAI(10_000));
      await mined(as(voterA).vote(minerKey.address, CAI(10_000)));
      await nextEpoch();
      await expectRevert(as(staker).setCommission(10_000), S, "CommissionStepTooLarge", [1000n, 10_000n, STEP]);
      await mined(as(staker).setCommission(1_500));
      const [r] = await eventsOf(as(coordinator).depositReward(minerKey.address, CAI(1_000)), staking, "RewardDeposited");
      assert.equal(r.commission, CAI(100));
      assert.equal(await staking.claimable(voterA.address, [minerKey.address]), CAI(900));
    });

    it("6. a staker with two miner addresses loses at most the cap in one epoch", async () => {
      await nextEpoch();
      await registeredMiner(CAI(50_000));
      await mined(as(staker).deregister());
      await register(staker, otherMinerKey, CAI(50_000));
      for (const [i, key] of [[20, minerKey], [21, otherMinerKey]]) {
        await mined(as(coordinator).slash(key.address, await evidenceAgainst(key, i)));
      }
      for (const [i, key] of [[22, minerKey], [23, otherMinerKey]]) {
        await expectRevert(as(coordinator).slash(key.address, await evidenceAgainst(key, i)), S, "EpochSlashCapExceeded");
      }
      const left = (await staking.stakeOf(staker.address)) + (await staking.unbondingOf(staker.address, minerKey.address))[0];
      assert.ok(left * 10_000n >= CAI(100_000) * (10_000n - MAX_EPOCH), `left ${left}`);
    });

    it("7. strict thresholds, no rewards to an inactive miner, zero parameters refused (see also above)", async () => {
      await stake(staker, MIN_MINER);
      const consent = await signConsent(minerKey, staking, staker.address, KIND.Miner, "");
      await expectRevert(as(staker).registerMiner(minerKey.address, "", consent), S, "BelowMinimum", [MIN_MINER, MIN_MINER]);
      await stake(staker, CAI(1));
      await mined(as(staker).registerMiner(minerKey.address, "", consent));
      await mined(as(staker).requestUnstake(CAI(1)));
      await mined(token.connect(coordinator).approve(where, ethers.MaxUint256));
      await expectRevert(as(coordinator).depositReward(minerKey.address, CAI(1)), S, "InactiveMiner", [minerKey.address]);
    });
  });

  describe("guards", () => {
    it("rejects re-entry and failed token transfers", async () => {
      const bad = await deploy(owner, fixtureArtifact("MisbehavingToken"));
      const guarded = await deploy(owner, artifact("CuckooStaking"), await bad.getAddress(), treasury.address,
        1n, 1n, 1n, 1n, 1n, 1n, 1n, 1n);
      await mined(bad.configure(1, await guarded.getAddress()));
      await expectRevert(guarded.stake(5n), S, "ReentrantCall", []);
      await mined(bad.configure(2, await guarded.getAddress()));
      await expectRevert(guarded.stake(5n), S, "TransferFailed", []);
    });
  });
});
