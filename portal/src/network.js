// The network table: every candidate with its standing on chain; sortable by any column, filtered by text, status and kind.
import { cai, el, percent, short, td } from "./format.js";

const wei = new Set(["self_stake", "votes", "weight"]);
const numeric = new Set(["share", "slashes"]);

export class NetworkView {
  constructor(table, filters, note) {
    this.table = table;
    this.filters = filters;
    this.note = note;
    this.rows = [];
    this.sortKey = "weight";
    this.descending = true;
    table.classList.add("cards");
    for (const th of table.querySelectorAll("th[data-key]")) {
      th.querySelector("button").addEventListener("click", () => this.sortBy(th.dataset.key));
    }
    for (const input of Object.values(filters)) input.addEventListener("input", () => this.render());
  }

  update(network) {
    this.rows = network.candidates;
    this.note.textContent = `Block ${network.block}; total miner weight ${cai(network.total_miner_weight)} CAI, total coordinator weight ${cai(network.total_coordinator_weight)} CAI.`;
    this.render();
  }

  sortBy(key) {
    this.descending = this.sortKey === key ? !this.descending : wei.has(key) || numeric.has(key);
    this.sortKey = key;
    this.render();
  }

  visible() {
    const text = this.filters.text.value.trim().toLowerCase();
    const status = this.filters.status.value;
    const kind = this.filters.kind.value;
    return this.rows.filter((c) =>
      (!status || c.status === status) && (!kind || c.kind === kind)
      && (!text || [c.address, c.staker, c.intro].some((v) => (v ?? "").toLowerCase().includes(text))));
  }

  render() {
    const key = this.sortKey;
    const sign = this.descending ? -1 : 1;
    const compare = (a, b) => {
      if (wei.has(key)) return sign * (BigInt(a[key]) < BigInt(b[key]) ? -1 : BigInt(a[key]) > BigInt(b[key]) ? 1 : 0);
      if (numeric.has(key)) return sign * (a[key] - b[key]);
      return sign * String(a[key] ?? "").localeCompare(String(b[key] ?? ""));
    };
    for (const th of this.table.querySelectorAll("th[data-key]")) {
      if (th.dataset.key === key) th.setAttribute("aria-sort", this.descending ? "descending" : "ascending");
      else th.removeAttribute("aria-sort");
    }
    const body = this.table.tBodies[0];
    body.replaceChildren(...this.visible().sort(compare).map((c) => el("tr", { "data-address": c.address, "data-weight-wei": c.weight, "data-kind": c.kind },
      td("Address", el("span", { class: "addr", title: c.address, text: c.address })),
      td("Kind", c.kind),
      td("Staker", el("span", { class: "addr", title: c.staker, text: short(c.staker) })),
      td("Intro", c.intro || "—"),
      td("Self-stake", cai(c.self_stake), { class: "num" }),
      td("Votes", cai(c.votes), { class: "num" }),
      td("Weight", cai(c.weight), { class: "num weight" }),
      td("Share", percent(c.share), { class: "num" }),
      td("Status", el("span", { class: `status-${c.status}`, title: c.jail_reason ?? "", text: c.jail_reason ? `${c.status} (${c.jail_reason})` : c.status })),
      td("Slashes", c.slashes ? `${c.slashes} (${cai(c.slashed_total)} CAI)` : "0", { class: "num" }))));
    if (!body.children.length) body.append(el("tr", {}, el("td", { colspan: 10, text: "No candidate matches." })));
  }

  /** Registered candidates, for the vote forms. */
  registered() {
    return this.rows.filter((c) => c.status !== "deregistered" && c.status !== "unbonding");
  }
}

export function renderCluster(table, cluster) {
  table.classList.add("cards");
  const body = table.tBodies[0];
  body.replaceChildren(...cluster.members.map((m) => el("tr", { "data-member": m.address, "data-status": m.status },
    td("Member", el("span", { class: "addr", text: m.address + (m.address === cluster.self ? " (this node)" : "") + (m.address === cluster.leader ? " (leader)" : "") })),
    td("Roles", m.roles.join(", ")),
    td("State", el("span", { class: `state-${m.status}`, text: m.status })),
    td("Miner", m.miner ? el("span", { class: "addr", title: m.miner.address, text: short(m.miner.address) }) : "—"),
    td("Models", m.miner ? m.miner.models.join(", ") : "—"),
    td("Free / capacity", m.miner ? `${m.miner.free_credits ?? "?"} / ${m.miner.capacity}` : "—", { class: "num" }),
    td("Provider", m.miner ? m.miner.provider.toUpperCase() : "—"),
    td("Uptime", m.uptime_seconds == null ? "—" : duration(m.uptime_seconds), { class: "num" }))));
}

function duration(seconds) {
  const s = Math.floor(seconds);
  if (s < 120) return `${s} s`;
  if (s < 7200) return `${Math.floor(s / 60)} min`;
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}
