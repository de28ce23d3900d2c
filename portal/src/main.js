// The portal page: reads its config, keeps the four views fresh, and runs the staking actions.
import { Chain, parseAmount } from "./chain.js";
import { describe } from "./errors.js";
import { el, getJson } from "./format.js";
import { fillCandidates, renderMe } from "./me.js";
import { NetworkView, renderCluster } from "./network.js";
import { WorkView } from "./work.js";

const $ = (selector) => document.querySelector(selector);
const every = (ms, fn) => { fn(); return setInterval(fn, ms); };

async function main() {
  const config = await getJson("/portal/api/config");
  const network = new NetworkView($("#network-table"), { text: $("#network-filter"), status: $("#network-status"), kind: $("#network-kind") }, $("#network-note"));
  const refreshMe = async () => {
    if (!chain.address) return;
    try {
      renderMe($("#me"), await getJson(`/portal/api/me/${chain.address}`), network.rows);
    } catch (e) {
      $("#me-note").textContent = `Your position could not be read: ${describe(e)}`;
    }
  };
  const refreshNetwork = async (fresh = false) => {
    try {
      network.update(await getJson(`/portal/api/network${fresh ? "?fresh=true" : ""}`));
      fillCandidates($("#me"), network.registered());
    } catch (e) {
      $("#network-note").textContent = `The network could not be read: ${describe(e)}`;
    }
  };
  const chain = new Chain(config, refreshMe);

  const work = new WorkView($("#work"), () => {
    const miners = network.rows.filter((c) => c.kind === "miner");
    return new Map(miners.map((c) => [c.address.toLowerCase(), c.share]));
  });
  work.connect();

  every(3000, () => refreshNetwork());
  every(3000, async () => {
    try {
      renderCluster($("#cluster-table"), await getJson("/portal/api/cluster"));
    } catch (e) {
      $("#cluster-table").tBodies[0].replaceChildren(el("tr", {}, el("td", { colspan: 8, text: `The cluster could not be read: ${describe(e)}` })));
    }
  });
  every(5000, refreshMe);

  const connected = (address) => {
    $("#connected").textContent = `Connected: ${address} (${chain.kind})`;
    refreshMe();
  };
  $("#connect-wallet").addEventListener("click", async () => {
    try {
      connected(await chain.connectWallet());
    } catch (e) {
      $("#connected").textContent = describe(e);
    }
  });
  if (config.dev_accounts.length) {
    $("#dev-keys").hidden = false;
    $("#dev-account").replaceChildren(...config.dev_accounts.map((a) => el("option", { value: a.private_key, text: `${a.role} ${a.address}` })));
    const voter = config.dev_accounts.find((a) => a.role === "voter-1");
    if (voter) $("#dev-account").value = voter.private_key;
    $("#use-dev-key").addEventListener("click", () => connected(chain.useDevKey($("#dev-account").value)));
  }

  const status = $("#action-status");
  const bind = (form, run) => $(form).addEventListener("submit", async (event) => {
    event.preventDefault();
    const button = $(form).querySelector("button[type=submit]");
    const line = el("p", { class: "pending", text: "Preparing…" });
    status.prepend(line);
    while (status.children.length > 6) status.lastElementChild.remove();
    const step = (kind, text) => { line.className = kind; line.textContent = text; };
    button.disabled = true;
    try {
      await run(step, new FormData($(form)));
      await Promise.all([refreshNetwork(true), refreshMe()]);
    } catch (e) {
      step("error", describe(e));
    } finally {
      button.disabled = false;
    }
  });
  bind("#form-stake", (step, data) => chain.stake(parseAmount(data.get("amount")), step));
  bind("#form-unstake", (step, data) => chain.unstake(parseAmount(data.get("amount")), step));
  bind("#form-vote", (step, data) => chain.vote(data.get("candidate"), parseAmount(data.get("amount")), step));
  bind("#form-unvote", (step, data) => chain.unvote(data.get("candidate"), parseAmount(data.get("amount")), step));
  bind("#form-withdraw", (step, data) => chain.withdraw(data.get("candidate"), step));
  bind("#form-claim", (step) => chain.claim(network.rows.map((c) => c.address), step));
  document.body.dataset.ready = "true";
}

main().catch((e) => {
  document.querySelector("main").prepend(el("p", { class: "error", role: "alert", text: `The portal could not start: ${describe(e)}` }));
});
