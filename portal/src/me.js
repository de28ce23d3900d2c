// "Me": the connected account's stake, votes, unbonding and rewards; and the forms' candidate lists.
import { cai, el, short, td } from "./format.js";

const zero = "0x0000000000000000000000000000000000000000";

export function renderMe(root, me, candidates) {
  root.querySelector("#me-note").textContent = `Account ${me.address} (epoch ${me.current_epoch}).`;
  root.querySelector("#me-summary").hidden = false;
  root.querySelector("#me-balance").textContent = `${cai(me.balance)} CAI`;
  root.querySelector("#me-stake").textContent = `${cai(me.stake)} CAI`;
  root.querySelector("#me-claimable").textContent = `${cai(me.claimable)} CAI`;
  root.querySelector("#me-registration").textContent = me.registration ?? "none";
  const name = (address) => {
    const c = candidates.find((x) => x.address.toLowerCase() === address.toLowerCase());
    return c ? `${c.intro || c.kind} ${short(address)}` : address === zero ? "stake that backed nothing" : short(address);
  };
  const votes = root.querySelector("#me-votes");
  votes.classList.add("cards");
  votes.hidden = me.votes.length === 0;
  votes.tBodies[0].replaceChildren(...me.votes.map((v) => el("tr", { "data-candidate": v.candidate, "data-value-wei": v.value },
    td("Candidate", name(v.candidate)),
    td("Votes", `${cai(v.value)} CAI`, { class: "num" }),
    td("Pending", BigInt(v.pending) > 0n ? `${cai(v.pending)} CAI earning from epoch ${v.earning_from_epoch}` : "all earning"))));
  const unbonding = root.querySelector("#me-unbonding");
  unbonding.classList.add("cards");
  unbonding.hidden = me.unbonding.length === 0;
  unbonding.tBodies[0].replaceChildren(...me.unbonding.map((u) => el("tr", { "data-candidate": u.candidate },
    td("From", name(u.candidate)),
    td("Amount", `${cai(u.amount)} CAI`, { class: "num" }),
    td("Release", u.withdrawable ? "withdrawable now" : u.release_at ? new Date(u.release_at).toLocaleString() : "—"))));
  fill(root.querySelector("#withdraw-candidate"), me.unbonding.map((u) => [u.candidate, `${name(u.candidate)}: ${cai(u.amount)} CAI${u.withdrawable ? "" : " (unbonding)"}`]));
}

/** Candidate lists of the vote and unvote forms, keeping what the user picked. */
export function fillCandidates(root, candidates) {
  const options = candidates.map((c) => [c.address, `${c.intro || c.kind} (${c.kind}) ${short(c.address)}`]);
  fill(root.querySelector("#vote-candidate"), options);
  fill(root.querySelector("#unvote-candidate"), options);
}

function fill(select, options) {
  const chosen = select.value;
  const same = select.options.length === options.length && options.every(([value, label], i) => select.options[i].value === value && select.options[i].textContent === label);
  if (same) return;
  select.replaceChildren(...options.map(([value, label]) => el("option", { value, text: label })));
  if (options.some(([value]) => value === chosen)) select.value = chosen;
}
