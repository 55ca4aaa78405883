/**
 * The web console in a real browser (headless Chromium) against the whole stack in workerd:
 * requests sent here show up in the overview and the trace explorer, a prompt label is rolled
 * back from its page, a viewer key sees the trace without content, an admin key creates a key
 * shown once and rotates one with a grace period, edits budgets and rate limits (a viewer finds
 * nothing to edit), the router rollout page shows a rollback verdict; every page is checked by axe-core and must raise no CSP violation.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { bearer, seedKey } from "../harness/seed";
import { waitFor } from "../harness/wait-for";
import { startStack, type Stack } from "../harness/stack";
import { axeViolations, chromiumPath, launch, screenshot } from "./chromium";

// In CI (.ci/run installs chromium) a missing browser fails the run; elsewhere it skips.
const runnable = chromiumPath() !== undefined || process.env.CI === "true";

let stack: Stack;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const keys = { developer: "", viewer: "", admin: "", service: "" };
/** A key the admin rotates from the keys page (its old value must keep working during the grace). */
const toRotate = { id: "", key: "", tenantId: "" };
const CANDIDATE = "console-cand-1";
const sent: { id: string; feature: string; status: number }[] = [];
const cspErrors: string[] = [];
const PROMPT = "console-greeting";
const SECRET_TEXT = "Please summarise the quarterly lighthouse inspection";
/** Markup in data the console shows must stay text (templates are authored by any developer key). */
const MARKUP = `<img src="x" onerror="globalThis.__injected = 1">`;

async function chat(feature: string, model: string, content: string): Promise<void> {
  const res = await stack.fetch("/v1/chat/completions", { method: "POST", headers: bearer(keys.developer, { "x-feature": feature, "cache-control": "no-cache, no-store" }), body: JSON.stringify({ model, messages: [{ role: "user", content }] }) });
  await res.text();
  sent.push({ id: res.headers.get("x-request-id") as string, feature, status: res.status });
}

const api = async (method: string, path: string, body?: unknown) =>
  stack.fetch(path, { method, headers: bearer(keys.developer), ...(body === undefined ? {} : { body: JSON.stringify(body) }) });

async function signIn(key: string): Promise<void> {
  await page.goto(`${stack.url}/console/#/sign-in`);
  await page.getByLabel("API key").fill(key);
  await page.getByRole("button", { name: "Sign in" }).click();
}

async function expectAccessible(name: string): Promise<void> {
  const violations = await axeViolations(page);
  expect(violations, `${name}: ${JSON.stringify(violations, null, 1)}`).toEqual([]);
}

beforeAll(async () => {
  if (!runnable) return;
  stack = await startStack({ evaluator: true });
  const dev = await seedKey(stack, { role: "developer", name: "console" });
  keys.developer = dev.key;
  keys.viewer = (await seedKey(stack, { role: "viewer", tenantId: dev.tenantId })).key;
  keys.admin = (await seedKey(stack, { role: "admin", tenantId: dev.tenantId })).key;
  keys.service = (await seedKey(stack, { role: "service", tenantId: dev.tenantId })).key;
  await chat("support", "small-sim", `${SECRET_TEXT} for the harbour.`);
  await chat("support", "frontier-sim", "Explain the difference between a lighthouse and a lightship.");
  await chat("search", "auto", "List three facts about tides.");
  await chat("search", "no-such-model", "This one fails.");
  const version = (content: string) => ({ messages: [{ role: "system", content }, { role: "user", content: "{{question}}" }], variables: [{ name: "question" }] });
  expect((await api("POST", "/v1/prompts", { id: PROMPT, ...version("You are terse."), labels: ["production"] })).status).toBe(201);
  expect((await api("POST", `/v1/prompts/${PROMPT}/versions`, version(`You are friendly and terse. ${MARKUP}`))).status).toBe(201);
  expect((await api("POST", `/v1/prompts/${PROMPT}/labels/production`, { version: 2 })).status).toBe(200);
  // A drift alarm as the evaluator's drift job records one (its own tests cover computing it).
  const hour = Math.floor(Date.now() / 3_600_000) * 3_600_000 - 3_600_000;
  await stack.db
    .prepare("INSERT INTO drift_snapshots (tenant_id, period, window_start, metric, psi, kl, current_n, baseline_n, baseline_from, baseline_to, alert, computed_at) VALUES (?1, 'hour', ?2, 'complexity', 0.42, 0.2, 50, 400, ?3, ?2, 1, ?2)")
    .bind(dev.tenantId, hour, hour - 7 * 86_400_000)
    .run();
  // A canary the evaluator's rollout cron rolled back (its own tests cover deciding that).
  const rollout = { mode: "canary", percent: 0, candidateVersion: CANDIDATE, candidate: { confidenceThreshold: 0.9 } };
  expect((await stack.fetch(`/admin/v1/tenants/${dev.tenantId}/settings`, { method: "PUT", headers: bearer(keys.admin), body: JSON.stringify({ router: { rollout } }) })).status).toBe(200);
  await stack.db
    .prepare("INSERT INTO router_rollouts (tenant_id, candidate_version, status, reasons_json, stats_json, decided_at) VALUES (?1, ?2, 'rolled_back', ?3, ?4, ?5)")
    .bind(dev.tenantId, CANDIDATE, JSON.stringify(["candidate judge score 0.61 is 0.12 below control 0.73"]), JSON.stringify({ control: { samples: 240 }, candidate: { samples: 236 } }), Date.now())
    .run();
  const rotated = await seedKey(stack, { role: "viewer", name: "ci-rotated", tenantId: dev.tenantId });
  Object.assign(toRotate, { id: rotated.keyId, key: rotated.key, tenantId: dev.tenantId });
  // The overview reads the evaluator's rollups and traces: wait until all four are in.
  await waitFor(async () => {
    const usage = (await (await api("GET", "/v1/usage?group_by=")).json()) as { rows: { requests: number }[] };
    return usage.rows[0]?.requests === sent.length ? true : null;
  }, 30_000, "the usage rollups");
  await waitFor(async () => ((await api("GET", `/v1/requests/${sent[0]?.id}`)).status === 200 ? true : null), 30_000, "the trace");
  browser = await launch();
  context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  page = await context.newPage();
  page.on("console", (m) => {
    if (m.type() === "error" && /Content Security Policy|Refused to/i.test(m.text())) cspErrors.push(m.text());
  });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

describe.skipIf(!runnable)("web console", () => {
  it("serves the page with a strict CSP and refuses a service key at sign-in", async () => {
    const res = await stack.fetch("/console/");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-security-policy")).toMatch(/script-src 'self';.*frame-ancestors 'none'/);
    await res.text();
    await signIn(keys.service);
    await expect.poll(() => page.getByRole("alert").textContent()).toMatch(/developer, viewer or admin key/);
    await signIn("gw_not_a_key");
    await expect.poll(() => page.getByRole("alert").textContent()).toBeTruthy();
    await expectAccessible("sign-in");
  });

  it("signs in and shows the overview with the numbers of the requests sent", async () => {
    await signIn(keys.developer);
    await page.getByRole("heading", { name: "Overview" }).waitFor();
    await page.locator('[data-kpi="Requests"]').waitFor();
    expect(await page.locator('[data-kpi="Requests"]').textContent()).toBe(String(sent.length));
    expect(await page.locator('[data-kpi="Error rate"]').textContent()).toBe(`${((1 / sent.length) * 100).toFixed(1)}%`);
    const usage = (await (await api("GET", "/v1/usage?group_by=")).json()) as { rows: { costUsd: number }[] };
    expect(usage.rows[0]?.costUsd).toBeGreaterThan(0);
    expect(await page.locator('[data-kpi="Cost"]').textContent()).toBe(`$${(usage.rows[0]?.costUsd ?? 0) < 0.01 ? (usage.rows[0]?.costUsd ?? 0).toFixed(6) : (usage.rows[0]?.costUsd ?? 0).toFixed(4)}`);
    expect(await page.locator('[data-kpi="Drift alarms"]').textContent()).toBe("1");
    // Cost avoided, its two parts as GET /v1/usage splits it, and the shadow calls netted from it.
    const split = (await (await api("GET", "/v1/usage?group_by=")).json()) as { rows: { costAvoidedUsd: number; costAvoidedCacheUsd: number; costAvoidedRoutingUsd: number; shadowCostUsd: number }[] };
    const dollars = (n: number) => `$${n < 0.01 && n > 0 ? n.toFixed(6) : n.toFixed(4)}`;
    expect(await page.locator('[data-kpi="Avoided by cache"]').textContent()).toBe(dollars(split.rows[0]?.costAvoidedCacheUsd ?? NaN));
    expect(await page.locator('[data-kpi="Avoided by routing"]').textContent()).toBe(dollars(split.rows[0]?.costAvoidedRoutingUsd ?? NaN));
    expect(await page.locator('[data-kpi="Shadow calls"]').textContent()).toBe(dollars(split.rows[0]?.shadowCostUsd ?? NaN));
    // The per-feature table splits it the same way, feature by feature.
    const byFeature = (await (await api("GET", "/v1/usage?group_by=feature")).json()) as { rows: { feature: string; costAvoidedCacheUsd: number; costAvoidedRoutingUsd: number }[] };
    const perFeature = page.locator('table:has(caption:text-is("Per feature"))');
    const headers = await perFeature.locator("th").allTextContents();
    for (const want of byFeature.rows) {
      const cells = await perFeature.locator("tbody tr", { hasText: want.feature }).first().locator("td").allTextContents();
      expect(cells[headers.indexOf("Avoided by cache")]).toBe(dollars(want.costAvoidedCacheUsd));
      expect(cells[headers.indexOf("Avoided by routing")]).toBe(dollars(want.costAvoidedRoutingUsd));
    }
    expect(byFeature.rows.map((r) => r.feature).sort()).toEqual(["search", "support"]);
    // Percentiles over the whole range, from the evaluator's hourly histograms (every request sent).
    const latency = (await (await api("GET", "/v1/usage/latency")).json()) as { latencyMs: { count: number; p50: number; p95: number; p99: number } };
    expect(latency.latencyMs.count).toBe(sent.length);
    const { p50, p95, p99 } = latency.latencyMs;
    expect(await page.locator('[data-kpi="Latency p50 / p95 / p99"]').textContent()).toBe([p50, p95, p99].map((v) => `${Math.round(v)} ms`).join(" / "));
    expect(await page.locator(".kpi").filter({ hasText: "Latency p50" }).locator(".note").textContent()).toContain(`${sent.length} requests, whole range`);
    const support = page.getByRole("row").filter({ has: page.getByRole("link", { name: "support" }) });
    await expect.poll(() => support.getByRole("cell").nth(1).textContent()).toBe("2");
    await page.locator("canvas").first().waitFor();
    await screenshot(page, "overview");
    await expectAccessible("overview");
  });

  it("finds a request in the trace explorer and shows its trace: stages, route decision, cost, redacted content", async () => {
    const target = sent[0]!;
    await page.goto(`${stack.url}/console/#/requests?feature=support`);
    await page.getByRole("link", { name: target.id }).click();
    await page.getByRole("heading", { name: "Stages" }).waitFor();
    expect(await page.locator(".request-id").textContent()).toBe(target.id);
    expect(await page.locator(".timeline li").count()).toBeGreaterThan(2);
    await page.getByRole("heading", { name: "route" }).waitFor();
    expect(await page.getByText("Price source").count()).toBe(1);
    // A developer key reads the content's shape, not its text (that needs content:read).
    await page.getByText("Shape only").waitFor();
    expect(await page.content()).not.toContain(SECRET_TEXT);
    await screenshot(page, "request");
    await expectAccessible("request");
  });

  it("rolls a prompt label back with one click", async () => {
    await page.goto(`${stack.url}/console/#/prompts/${PROMPT}`);
    await page.getByRole("button", { name: "Roll back to v1" }).click();
    await waitFor(async () => {
      const prompt = (await (await api("GET", `/v1/prompts/${PROMPT}`)).json()) as { labels: { label: string; version: number }[] };
      return prompt.labels.find((l) => l.label === "production")?.version === 1 ? true : null;
    }, 10_000, "the label move");
    await page.getByRole("button", { name: "Roll back to v2" }).waitFor();
    await page.getByText(MARKUP).first().waitFor();
    expect(await page.evaluate(() => (globalThis as unknown as { __injected?: number }).__injected)).toBeUndefined();
    await screenshot(page, "prompt");
    await expectAccessible("prompt");
  });

  it("shows a viewer the trace without content and no admin pages", async () => {
    await page.getByRole("button", { name: "Sign out" }).click();
    await signIn(keys.viewer);
    await page.getByRole("heading", { name: "Overview" }).waitFor();
    expect(await page.getByRole("link", { name: "Keys" }).count()).toBe(0);
    await page.goto(`${stack.url}/console/#/requests/${sent[0]!.id}`);
    await page.getByText("Content is not shown to this key's role").waitFor();
    expect(await page.content()).not.toContain(SECRET_TEXT);
    await screenshot(page, "request-viewer");
    // Budgets are an admin page: typed in by hand, it shows the API's refusal and nothing to edit.
    await page.goto(`${stack.url}/console/#/admin/budgets`);
    await page.getByRole("alert").waitFor();
    expect(await page.getByRole("button", { name: "Save budgets" }).count()).toBe(0);
    expect(await page.locator("main input").count()).toBe(0);
  });

  it("lets an admin create a key that is shown once, then revoke it", async () => {
    await page.getByRole("button", { name: "Sign out" }).click();
    await signIn(keys.admin);
    await page.getByRole("link", { name: "Keys" }).click();
    await page.getByLabel("Name").fill("ci-created");
    await page.getByLabel("Role").selectOption("viewer");
    await page.getByRole("button", { name: "Create key" }).click();
    const shown = await page.locator("#new-key").inputValue();
    expect((await stack.fetch("/v1/usage", { headers: bearer(shown) })).status).toBe(200);
    const row = page.getByRole("row").filter({ hasText: "ci-created" });
    await row.waitFor();
    await screenshot(page, "keys");
    page.once("dialog", (d) => void d.accept());
    await row.getByRole("button", { name: "Revoke" }).click();
    await row.getByText(/^revoked /).waitFor();
    await waitFor(async () => ((await stack.fetch("/v1/usage", { headers: bearer(shown) })).status === 401 ? true : null), 10_000, "the revoked key to fail");
    await expectAccessible("keys");
  });

  it("rotates a key with a grace period: the new key is shown once, the old one works until the grace ends", async () => {
    await page.getByLabel("When rotating, the old key keeps working for").selectOption({ label: "5 minutes" });
    await page.getByRole("row").filter({ hasText: toRotate.id }).getByRole("button", { name: "Rotate" }).click();
    await page.getByText(/The old key keeps working until/).waitFor();
    const fresh = await page.locator("#new-key").inputValue();
    expect(fresh).not.toBe(toRotate.key);
    expect((await stack.fetch("/v1/usage", { headers: bearer(fresh) })).status).toBe(200);
    expect((await stack.fetch("/v1/usage", { headers: bearer(toRotate.key) })).status).toBe(200);
    const keysApi = await stack.fetch(`/admin/v1/tenants/${toRotate.tenantId}/keys`, { headers: bearer(keys.admin) });
    const old = ((await keysApi.json()) as { data: { id: string; expires_at: string | number | null }[] }).data.find((k) => k.id === toRotate.id);
    const expires = new Date(old?.expires_at ?? 0).getTime();
    expect(expires - Date.now()).toBeGreaterThan(240_000);
    expect(expires - Date.now()).toBeLessThanOrEqual(300_000);
    // Shown once: after the list is drawn again, the key's value is nowhere in the page.
    await page.getByRole("link", { name: "Overview" }).click();
    await page.getByRole("link", { name: "Keys" }).click();
    await page.getByRole("row").filter({ hasText: toRotate.id }).waitFor();
    expect(await page.locator("#new-key").count()).toBe(0);
    expect(await page.content()).not.toContain(fresh);
  });

  it("lets an admin edit budgets and rate limits through the admin API, with the API's refusals shown", async () => {
    const tenant = toRotate.tenantId;
    const read = async (what: "budget" | "limits") => (await stack.fetch(`/admin/v1/tenants/${tenant}/${what}`, { headers: bearer(keys.admin) })).json() as Promise<Record<string, unknown>>;
    await page.getByRole("link", { name: "Budgets & limits" }).click();
    await page.getByRole("button", { name: "Save budgets" }).waitFor();
    await page.getByLabel("Scope").selectOption("feature");
    await page.getByLabel("Of", { exact: true }).fill("support");
    await page.getByLabel("Monthly USD", { exact: true }).fill("5");
    await page.getByLabel("Policy", { exact: true }).selectOption("downgrade");
    await page.getByRole("button", { name: "Add budget" }).click();
    await page.getByLabel("Ceiling USD for feature support").fill("6");
    await page.getByRole("button", { name: "Save budgets" }).click();
    await page.getByText("Budgets saved (audited).").waitFor();
    expect((await read("budget"))["budgets"]).toEqual([{ scope: "feature", scope_id: "support", monthly_usd: 5, policy: "downgrade", ceiling_usd: 6, updated_at: expect.anything() }]);

    // A ceiling under the monthly budget: the API's 400 is shown and nothing changes.
    await page.getByLabel("Ceiling USD for feature support").fill("1");
    await page.getByRole("button", { name: "Save budgets" }).click();
    await expect.poll(() => page.getByRole("alert").textContent()).toMatch(/ceiling_usd/);
    expect(((await read("budget"))["budgets"] as { ceiling_usd: number }[])[0]?.ceiling_usd).toBe(6);

    await page.getByLabel("Tenant requests per minute").fill("600");
    await page.getByLabel("When the limiter is unreachable").selectOption("open");
    await page.getByRole("button", { name: "Save limits" }).click();
    await page.getByText("Limits saved (audited).").waitFor();
    expect(await read("limits")).toMatchObject({ tenant_requests_per_minute: 600, tenant_tokens_per_minute: null, limiter_fail_mode: "open" });
    await screenshot(page, "budgets");
    await expectAccessible("budgets");

    // Put things back for the tests after this one: no budget, no limit.
    await page.getByRole("button", { name: "Remove the feature support budget" }).click();
    await page.getByRole("button", { name: "Save budgets" }).click();
    await page.getByText("No budgets: spend is unlimited.").waitFor();
    await page.getByText("Budgets saved (audited).").waitFor();
    expect((await read("budget"))["budgets"]).toEqual([]);
    await page.getByLabel("Tenant requests per minute").fill("");
    await page.getByLabel("When the limiter is unreachable").selectOption("closed");
    await page.getByRole("button", { name: "Save limits" }).click();
    await page.getByText("Limits saved (audited).").waitFor();
    expect(await read("limits")).toMatchObject({ tenant_requests_per_minute: null, limiter_fail_mode: "closed" });
  });

  it("shows the router rollout: control vs candidate, and a verdict that rolled the candidate back", async () => {
    await page.getByRole("link", { name: "Router rollout" }).click();
    await page.getByRole("heading", { name: "Verdicts" }).waitFor();
    await page.getByText("shadow (the candidate was rolled back)").waitFor();
    expect(await page.locator("main").textContent()).toContain("confidenceThreshold");
    const verdict = page.getByRole("row").filter({ hasText: CANDIDATE });
    expect(await verdict.locator(".verdict").textContent()).toBe("rolled_back");
    expect(await verdict.textContent()).toContain("0.12 below control");
    await screenshot(page, "rollout");
    await expectAccessible("rollout");
    expect(cspErrors).toEqual([]);
  });
});
