/**
 * The console builds every element through h(): text goes in as text nodes and attributes
 * through setAttribute, never through innerHTML, so nothing an API returns (a feature name,
 * a judge's reason, a prompt) can become markup. Links are only the console's own #/ routes.
 */
export type Child = Node | string | number | null | undefined | false | Child[];
type Handler = (event: Event) => void;
export interface Attrs {
  [name: string]: string | number | boolean | Handler | undefined;
}

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === false) continue;
    if (typeof value === "function") el.addEventListener(name.replace(/^on/, ""), value);
    else el.setAttribute(name, value === true ? "" : String(value));
  }
  append(el, children);
  return el;
}

export function append(parent: Node, children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(parent, child);
    else parent.appendChild(typeof child === "string" || typeof child === "number" ? document.createTextNode(String(child)) : child);
  }
}

/** Replaces a container's content. */
export function mount(parent: Element, ...children: Child[]): void {
  parent.replaceChildren();
  append(parent, children);
}

/** A console link: always a #/ route, whatever the text. */
export const link = (route: string, ...children: Child[]): HTMLAnchorElement => h("a", { href: `#${route.startsWith("/") ? route : `/${route}`}` }, ...children);

export function table(headers: string[], rows: Child[][], caption?: string): HTMLTableElement {
  return h(
    "table",
    {},
    caption ? h("caption", {}, caption) : null,
    h("thead", {}, h("tr", {}, headers.map((t) => h("th", { scope: "col" }, t)))),
    h("tbody", {}, rows.map((r) => h("tr", {}, r.map((c) => h("td", {}, c))))),
  );
}

/** Label/value pairs as a description list. */
export function facts(pairs: [string, Child][]): HTMLDListElement {
  return h("dl", { class: "facts" }, pairs.map(([k, v]) => [h("dt", {}, k), h("dd", {}, v ?? "—")]));
}

/** Any JSON value as nested description lists (decisions, checks, stats). */
export function jsonView(value: unknown, depth = 0, key = ""): Child {
  if (value === null || value === undefined) return "—";
  // Epoch-millisecond fields (evaluatedAt, decidedAt...) as times; long fractions shortened.
  if (typeof value === "number" && /At$/.test(key) && value > 1e11) return new Date(value).toISOString();
  if (typeof value === "number" && !Number.isInteger(value)) return String(Number(value.toPrecision(4)));
  if (typeof value !== "object") return String(value);
  if (depth > 5) return JSON.stringify(value);
  if (Array.isArray(value)) {
    if (value.every((v) => v === null || typeof v !== "object")) return value.map(String).join(", ") || "—";
    return h("ol", { class: "json" }, value.map((v) => h("li", {}, jsonView(v, depth + 1))));
  }
  const entries = Object.entries(value as Record<string, unknown>);
  if (!entries.length) return "—";
  return facts(entries.map(([k, v]) => [k, jsonView(v, depth + 1, k)]));
}

export const notice = (kind: "error" | "info" | "ok", ...children: Child[]): HTMLElement =>
  h("p", { class: `notice ${kind}`, role: kind === "error" ? "alert" : "status" }, ...children);
