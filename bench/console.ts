/**
 * `npm run bench:console`: the web console's first load in headless Chromium (Debian's
 * `chromium`, driven by playwright-core) against the whole local stack in workerd (gateway,
 * evaluator, GPU simulator; test/harness/stack.ts). Each run opens a fresh browser context, so
 * the HTTP cache is cold, with a signed-in session already in sessionStorage (the state after
 * sign-in or on opening a bookmark), navigates to `#/overview` and stops the clock when the
 * overview's request count shows the requests this script sent: the page, its script and style,
 * and the overview's API calls (rollups, latency histograms, cache quality, drift). The same
 * context then reloads (warm: assets revalidated by ETag). Two network profiles side by side,
 * interleaved run by run: loopback, and a slow mobile link (CDP network emulation). Also times the sign-in page alone (the shell without API calls).
 * Writes docs/benchmarks/console.md and bench/results/console.json.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import { parseCli, usageError } from "../scripts/lib/cli";
import { machineDescription, median, percentile } from "./lib/machine";

const SPEC = {
  name: "npm run bench:console --",
  summary: "First load of the web console (cold cache, navigation to the rendered overview) in headless Chromium against the local stack (Chromium at /usr/bin/chromium or CHROMIUM_PATH); writes docs/benchmarks/console.md. About a minute.",
  options: {
    runs: { type: "string", default: "10", value: "N", description: "cold loads per network profile" },
    requests: { type: "string", default: "12", value: "N", description: "chat requests sent before measuring (the overview shows them)" },
  },
} as const;
const { values } = parseCli(SPEC);
const RUNS = Number(values.runs);
const REQUESTS = Number(values.requests);
if (!Number.isInteger(RUNS) || RUNS < 1 || RUNS > 200) usageError(SPEC, "--runs must be an integer from 1 to 200");
if (!Number.isInteger(REQUESTS) || REQUESTS < 1 || REQUESTS > 500) usageError(SPEC, "--requests must be an integer from 1 to 500");

// Loaded after the command line is parsed: --help must not build Workers or touch a browser.
const [{ startStack }, { bearer, seedKey }, { waitFor }, { launch, chromiumPath }, { ROOT }] = await Promise.all([
  import("../test/harness/stack"), import("../test/harness/seed"), import("../test/harness/wait-for"), import("../test/browser/chromium"), import("../test/harness/build-workers"),
]);

interface Profile {
  name: string;
  /** CDP Network.emulateNetworkConditions; null = loopback as is. */
  conditions: { latency: number; downloadThroughput: number; uploadThroughput: number } | null;
}
const PROFILES: Profile[] = [
  { name: "loopback", conditions: null },
  // DevTools' latency is a floor per request (request sent to response headers), not an addition.
  { name: "slow mobile: ≥150 ms per request, 1.6 Mbit/s down, 0.75 Mbit/s up", conditions: { latency: 150, downloadThroughput: 1.6e6 / 8, uploadThroughput: 0.75e6 / 8 } },
];

interface Load {
  /** Navigation start to the overview's request count on screen. */
  renderedMs: number;
  domContentLoadedMs: number;
  /** Requests the page made (document, assets, API) and the bytes they moved over the wire. */
  requests: number;
  apiCalls: number;
  transferBytes: number;
  /** Whether the console's script came over the wire compressed (encoded smaller than decoded). */
  compressedJs: boolean;
}

async function throttle(context: BrowserContext, page: Page, p: Profile): Promise<void> {
  if (!p.conditions) return;
  const cdp = await context.newCDPSession(page);
  await cdp.send("Network.enable");
  await cdp.send("Network.emulateNetworkConditions", { offline: false, ...p.conditions });
}

/** Timings and resource totals the page itself recorded for its latest navigation. */
async function measure(page: Page, renderedMs: number): Promise<Load> {
  const t = await page.evaluate(() => {
    const perf = (globalThis as unknown as { performance: { getEntriesByType(t: string): { name: string; transferSize: number; encodedBodySize: number; decodedBodySize: number; domContentLoadedEventEnd?: number }[] } }).performance;
    const nav = perf.getEntriesByType("navigation")[0];
    const res = perf.getEntriesByType("resource");
    return { dcl: nav?.domContentLoadedEventEnd ?? 0, navBytes: nav?.transferSize ?? 0, resources: res.map((r) => ({ name: r.name, bytes: r.transferSize, compressed: r.encodedBodySize > 0 && r.encodedBodySize < r.decodedBodySize })) };
  });
  return {
    renderedMs,
    domContentLoadedMs: t.dcl,
    requests: 1 + t.resources.length,
    apiCalls: t.resources.filter((r) => /\/(v1|admin)\//.test(new URL(r.name).pathname)).length,
    transferBytes: t.navBytes + t.resources.reduce((s, r) => s + r.bytes, 0),
    compressedJs: t.resources.some((r) => r.name.endsWith("/console.js") && r.compressed),
  };
}

/** Waits for the overview to show `expected` requests; returns ms since navigation start. */
async function overviewRendered(page: Page, expected: number): Promise<number> {
  await page.waitForFunction((n) => {
    const doc = (globalThis as unknown as { document: { querySelector(s: string): { textContent: string | null } | null } }).document;
    return doc.querySelector('[data-kpi="Requests"]')?.textContent === String(n);
  }, expected, { timeout: 60_000, polling: "raf" });
  return page.evaluate(() => (globalThis as unknown as { performance: { now(): number } }).performance.now());
}

const stack = await startStack({ evaluator: true });
try {
  if (!chromiumPath()) throw new Error("Chromium not found: apt-get install chromium (or set CHROMIUM_PATH)");
  const dev = await seedKey(stack, { role: "developer", name: "bench-console" });
  for (let i = 0; i < REQUESTS; i++) {
    const feature = ["support", "search", "billing"][i % 3] as string;
    const res = await stack.fetch("/v1/chat/completions", { method: "POST", headers: bearer(dev.key, { "x-feature": feature, "cache-control": "no-cache, no-store" }), body: JSON.stringify({ model: i % 2 ? "small-sim" : "frontier-sim", messages: [{ role: "user", content: `Summarise item ${i} of the maintenance log in one line.` }] }) });
    await res.text();
  }
  await waitFor(async () => {
    const usage = (await (await stack.fetch("/v1/usage?group_by=", { headers: bearer(dev.key) })).json()) as { rows: { requests: number }[] };
    return usage.rows[0]?.requests === REQUESTS ? true : null;
  }, 60_000, "the usage rollups");
  const session = JSON.stringify({ key: dev.key, tenantId: dev.tenantId, admin: false });
  const browser = await launch();
  const cold: Record<string, Load[]> = Object.fromEntries(PROFILES.map((p) => [p.name, []]));
  const warm: Record<string, Load[]> = Object.fromEntries(PROFILES.map((p) => [p.name, []]));
  const signIn: number[] = [];
  try {
    // One unmeasured load: workerd's first requests compile code paths no user pays for twice.
    for (let run = -1; run < RUNS; run++) {
      for (const p of PROFILES) {
        const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
        await context.addInitScript((s) => (globalThis as unknown as { sessionStorage: { setItem(k: string, v: string): void } }).sessionStorage.setItem("llm-gateway.console.session", s), session);
        const page = await context.newPage();
        await throttle(context, page, p);
        await page.goto(`${stack.url}/console/#/overview?range=24h`);
        const first = await measure(page, await overviewRendered(page, REQUESTS));
        await page.reload();
        const again = await measure(page, await overviewRendered(page, REQUESTS));
        await context.close();
        if (run >= 0) {
          cold[p.name]?.push(first);
          warm[p.name]?.push(again);
        }
      }
      const shell = await browser.newContext();
      const page = await shell.newPage();
      await page.goto(`${stack.url}/console/#/sign-in`);
      await page.getByLabel("API key").waitFor();
      const ms = await page.evaluate(() => (globalThis as unknown as { performance: { now(): number } }).performance.now());
      if (run >= 0) signIn.push(ms);
      await shell.close();
    }
  } finally {
    await browser.close();
  }
  report(cold, warm, signIn);
} finally {
  await stack.close();
}

function summary(loads: readonly Load[]) {
  const ms = loads.map((l) => l.renderedMs).sort((a, b) => a - b);
  return {
    medianMs: median(ms), p90Ms: percentile(ms, 90), minMs: ms[0] ?? Number.NaN, maxMs: ms[ms.length - 1] ?? Number.NaN,
    domContentLoadedMs: median(loads.map((l) => l.domContentLoadedMs)),
    requests: median(loads.map((l) => l.requests)), apiCalls: median(loads.map((l) => l.apiCalls)), transferKiB: median(loads.map((l) => l.transferBytes)) / 1024,
  };
}

function report(cold: Record<string, Load[]>, warm: Record<string, Load[]>, signIn: number[]): void {
  const rows = PROFILES.flatMap((p) => [["cold", p.name, summary(cold[p.name] ?? [])], ["warm (reload)", p.name, summary(warm[p.name] ?? [])]] as const);
  const f = (n: number) => n.toFixed(0);
  const load = loadavg()[0]?.toFixed(1) ?? "?";
  const lines = [
    "# Web console: first load",
    "",
    `Command: \`npm run bench:console -- --runs ${RUNS} --requests ${REQUESTS}\` (writes this file and \`bench/results/console.json\`).`,
    `Machine: ${machineDescription()}; shared with other jobs (1-minute load average ${load} at the end of the run).`,
    "",
    "What is measured: headless Chromium (Debian's `chromium` through playwright-core) against the local stack in workerd",
    "(`wrangler dev`'s runtime: the console's files are Workers static assets fetched through the gateway Worker, which stamps",
    "x-request-id and the security headers on them; the same Worker serves the API; D1 in memory). Each run",
    "opens a fresh browser context (cold HTTP cache) already signed in (the session in `sessionStorage`, as after sign-in or",
    `on opening a bookmark), goes to \`#/overview?range=24h\` and stops when the overview shows the ${REQUESTS} requests the script`,
    "sent: navigation start to the number on screen, so the page, its script and style, and every API call the overview makes.",
    "**Warm** is a reload in the same context (assets revalidated by ETag). Profiles are interleaved run by run; the slow",
    "mobile one (CDP network emulation) holds every response's headers until at least 150 ms after its request (DevTools'",
    "latency is a floor, not an addition: a request already slower than that is not delayed) and caps the link at",
    "1.6 Mbit/s down, 0.75 Mbit/s up. Bytes are as transferred (headers and bodies; the console's script came",
    `${(cold.loopback ?? []).some((l) => l.compressedJs) ? "compressed" : "uncompressed"}).`,
    "",
    `| load | network | median ms | p90 ms | min–max ms | DOMContentLoaded ms | requests | API calls | KiB transferred |`,
    "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ...rows.map(([kind, net, s]) => `| ${kind} | ${net} | **${f(s.medianMs)}** | ${f(s.p90Ms)} | ${f(s.minMs)}–${f(s.maxMs)} | ${f(s.domContentLoadedMs)} | ${s.requests} | ${s.apiCalls} | ${s.transferKiB.toFixed(1)} |`),
    "",
    `Sign-in page alone (cold, loopback; no API call): median **${f(median(signIn))} ms** to the key field on screen, p90 ${f(percentile([...signIn].sort((a, b) => a - b), 90))} ms.`,
    "",
  ];
  mkdirSync(join(ROOT, "docs/benchmarks"), { recursive: true });
  writeFileSync(join(ROOT, "docs/benchmarks/console.md"), lines.join("\n"));
  mkdirSync(join(ROOT, "bench/results"), { recursive: true });
  writeFileSync(join(ROOT, "bench/results/console.json"), JSON.stringify({ runs: RUNS, requests: REQUESTS, machine: machineDescription(), load, rows: rows.map(([kind, net, s]) => ({ kind, net, ...s })), signInMs: signIn }, null, 2));
  console.log(lines.join("\n"));
}
