// A failed action in words: the contract's custom errors decoded and explained, wallet and network failures named.
import { Interface, isError } from "ethers";
import { cai } from "./format.js";

export const errorsAbi = [
  "error InvalidParameters()", "error ZeroAmount()", "error ZeroAddress()", "error ReentrantCall()", "error TransferFailed()",
  "error InsufficientStake(uint256 available, uint256 requested)", "error BelowMinimum(uint256 selfStake, uint256 minimum)",
  "error AlreadyRegistered(address staker, address candidate)", "error SelfRegistration(address staker)", "error AddressTaken(address candidate)",
  "error NotRegistered(address candidate)", "error NotMiner(address candidate)", "error NotCoordinator(address candidate)",
  "error NotActiveCoordinator(address caller)", "error InactiveMiner(address miner)", "error NothingToWithdraw()",
  "error UnbondingNotFinished(uint256 releaseAt)", "error InsufficientVotes(uint256 available, uint256 requested)",
  "error StakeBacksRegistration(address staker, address candidate)", "error InvalidBps(uint256 bps)",
  "error NothingToClaim()", "error NothingToSweep()",
  "error InsufficientBalance(address account, uint256 balance, uint256 needed)",
  "error InsufficientAllowance(address owner, address spender, uint256 allowance, uint256 needed)",
];

const errors = new Interface(errorsAbi);

const words = {
  ZeroAmount: () => "The amount must be more than zero.",
  InsufficientStake: (a) => `Not enough free stake: you have ${cai(a.available)} CAI free and asked for ${cai(a.requested)} CAI. Stake more first, or unvote.`,
  InsufficientVotes: (a) => `Not enough votes: you have ${cai(a.available)} CAI voted for this candidate and asked to unvote ${cai(a.requested)} CAI.`,
  NotRegistered: (a) => `${a.candidate} is not a registered candidate.`,
  StakeBacksRegistration: (a) => `Your stake backs your own registration (${a.candidate}); a registered staker cannot vote with it.`,
  NothingToWithdraw: () => "Nothing is unbonding from that candidate for you.",
  UnbondingNotFinished: (a) => `Still unbonding: it can be withdrawn from ${new Date(Number(a.releaseAt) * 1000).toLocaleString()}.`,
  NothingToClaim: () => "You have no rewards to claim.",
  BelowMinimum: (a) => `That would leave ${cai(a.selfStake)} CAI of self-stake, below the minimum of ${cai(a.minimum)} CAI.`,
  InsufficientBalance: (a) => `Insufficient balance: you have ${cai(a.balance)} CAI and this needs ${cai(a.needed)} CAI.`,
  InsufficientAllowance: (a) => `The staking contract may take only ${cai(a.allowance)} CAI of yours; this needs ${cai(a.needed)} CAI.`,
};

/** Revert data wherever ethers or the wallet put it. */
function revertData(e) {
  for (const candidate of [e?.data, e?.error?.data, e?.info?.error?.data, e?.info?.error?.data?.data, e?.error?.data?.data, e?.revert?.data]) {
    if (typeof candidate === "string" && candidate.startsWith("0x") && candidate.length >= 10) return candidate;
  }
  return null;
}

export function describe(e) {
  if (e?.portalMessage) return e.portalMessage;
  const data = revertData(e);
  if (data) {
    try {
      const parsed = errors.parseError(data);
      if (parsed) {
        const explain = words[parsed.name];
        return `${parsed.name}: ${explain ? explain(parsed.args) : "the contract refused the transaction."}`;
      }
    } catch {
      // Not one of ours: fall through to the generic messages.
    }
  }
  if (e?.revert?.name) return `${e.revert.name}: the contract refused the transaction.`;
  if (isError(e, "ACTION_REJECTED") || e?.code === 4001) return "You rejected the request in your wallet.";
  if (isError(e, "INSUFFICIENT_FUNDS")) return "Insufficient funds: the account has too little ETH to pay for gas.";
  if (isError(e, "NETWORK_ERROR")) return "The chain node could not be reached.";
  if (e?.code === 4902) return "Your wallet does not know the portal's chain: add it in the wallet first.";
  return e?.shortMessage ?? e?.message ?? String(e);
}

/** An error whose words are already the portal's own (wrong network, bad input, insufficient balance). */
export function portalError(message) {
  const error = new Error(message);
  error.portalMessage = message;
  return error;
}
