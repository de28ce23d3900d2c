// Small helpers shared by the views: amounts in CAI, addresses, DOM building.
import { formatUnits } from "ethers";

/** Wei (a decimal string or bigint) as CAI with at most 4 decimals and grouped thousands. */
export function cai(wei) {
  const text = formatUnits(BigInt(wei ?? 0), 18);
  const [whole, fraction = ""] = text.split(".");
  const grouped = BigInt(whole).toLocaleString("en-US");
  const trimmed = fraction.slice(0, 4).replace(/0+$/, "");
  return trimmed ? `${grouped}.${trimmed}` : grouped;
}

export function short(address) {
  return address ? `${address.slice(0, 8)}…${address.slice(-6)}` : "";
}

export function percent(share) {
  return `${(share * 100).toFixed(1)} %`;
}

/** An element with attributes and children (strings become text, never HTML). */
export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) {
    if (value == null || value === false) continue;
    if (key === "text") node.textContent = value;
    else if (key === "class") node.className = value;
    // Through the CSSOM: the page's policy forbids style attributes.
    else if (key === "style") node.style.cssText = value;
    else node.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child == null) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

/** A table cell that also carries its column's name, for the phone layout. */
export function td(label, content, attributes = {}) {
  return el("td", { "data-label": label, ...attributes }, content);
}

export async function getJson(path) {
  const response = await fetch(path, { headers: { Accept: "application/json" } });
  const body = await response.json().catch(() => null);
  if (!response.ok) {
    throw new Error(body?.detail ?? `${path} answered ${response.status}`);
  }
  return body;
}
