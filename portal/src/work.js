// The work view, live over server-sent events: counts, latency, each miner's share of assignments beside its share of
// weight, the latest tasks and images.
import { el, percent, short, td } from "./format.js";

export class WorkView {
  constructor(root, minerWeights) {
    this.root = root;
    this.minerWeights = minerWeights;
    this.tasks = [];
    this.summary = null;
    this.table = root.querySelector("#task-table");
    this.table.classList.add("cards");
    this.gallery = root.querySelector("#gallery");
    this.live = root.querySelector("#work-live");
  }

  connect() {
    const source = new EventSource("/portal/api/work/events");
    source.addEventListener("open", () => { this.live.textContent = "Live: task steps appear as the scheduler records them."; });
    source.addEventListener("error", () => { this.live.textContent = "The work stream was interrupted; reconnecting…"; });
    source.addEventListener("snapshot", (m) => {
      const snapshot = JSON.parse(m.data);
      this.tasks = snapshot.tasks;
      this.summary = snapshot.summary;
      this.gallery.replaceChildren(...snapshot.gallery.map((g) => this.figure(g)));
      this.render();
    });
    source.addEventListener("task", (m) => {
      const e = JSON.parse(m.data);
      this.tasks = [e.step, ...this.tasks.filter((t) => t.task_id !== e.step.task_id)].slice(0, 50);
      this.summary = e.summary;
      if (e.image) {
        this.gallery.prepend(this.figure(e.image));
        while (this.gallery.children.length > 12) this.gallery.lastElementChild.remove();
      }
      this.render();
    });
    this.source = source;
  }

  figure(image) {
    return el("li", { "data-task": image.task_id },
      el("figure", {},
        el("img", { src: image.url, alt: `Output of task ${image.task_id} (${image.model})`, width: 128, height: 128, loading: "lazy" }),
        el("figcaption", {}, `${image.task_id} by ${short(image.miner)}`)));
  }

  render() {
    const s = this.summary;
    if (!s) return;
    for (const key of ["queued", "running", "completed", "failed"]) this.root.querySelector(`#count-${key}`).textContent = s.counts[key];
    const l = s.latency;
    this.root.querySelector("#latency").textContent = l.count
      ? `p50 ${ms(l.p50_ms)}, p90 ${ms(l.p90_ms)}, p99 ${ms(l.p99_ms)} over the last ${l.count} completed tasks.`
      : "No completed task yet.";
    this.renderFairness();
    this.table.tBodies[0].replaceChildren(...this.tasks.map((t) => el("tr", { "data-task": t.task_id, "data-status": t.status },
      td("Task", el("span", { class: "addr", text: t.task_id })),
      td("Model", t.model),
      td("State", el("span", { class: `state-${t.status}`, text: t.status + (t.reason ? ` (${t.reason})` : "") })),
      td("Miner", t.miner ? el("span", { class: "addr", title: t.miner, text: short(t.miner) }) : "—"),
      td("Latency", t.latency_ms == null ? "—" : ms(t.latency_ms), { class: "num" }))));
  }

  /** Two bars per miner: its share of recent assignments and its share of the miners' weight; fair when they match. */
  renderFairness() {
    const chart = this.root.querySelector("#fairness");
    const weights = this.minerWeights();
    const assignments = new Map((this.summary?.assignments ?? []).map((a) => [a.miner.toLowerCase(), a.count]));
    const total = [...assignments.values()].reduce((a, b) => a + b, 0);
    const miners = new Set([...weights.keys(), ...assignments.keys()]);
    const rows = [...miners].map((miner) => ({ miner, assigned: total ? (assignments.get(miner) ?? 0) / total : 0, weight: weights.get(miner) ?? 0 }))
      .sort((a, b) => b.weight - a.weight);
    chart.replaceChildren(
      el("p", { class: "legend" }, `Blue: share of the last ${total} assignments. Purple: share of the miners' weight.`),
      ...rows.map((r) => el("div", { class: "bar-row", role: "listitem", "data-miner": r.miner },
        el("span", { class: "addr", title: r.miner }, short(r.miner)),
        el("div", { class: "bars", "aria-label": `${short(r.miner)}: ${percent(r.assigned)} of assignments, ${percent(r.weight)} of weight` },
          el("div", { class: "bar assigned", style: `width: ${(r.assigned * 100).toFixed(1)}%`, title: `assignments ${percent(r.assigned)}` }),
          el("div", { class: "bar weight", style: `width: ${(r.weight * 100).toFixed(1)}%`, title: `weight ${percent(r.weight)}` })))));
  }
}

function ms(value) {
  return value >= 1000 ? `${(value / 1000).toFixed(2)} s` : `${Math.round(value)} ms`;
}
