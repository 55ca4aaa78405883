/**
 * The closed loop, end to end and local (issue 14 item 3): traffic through the gateway ->
 * usage queue -> evaluator (tiered judges on the simulator, content sealed with the shared
 * keyring) -> GET /admin/v1/datasets/retraining -> `router:train --feedback` (the real script,
 * on the repo's own routing fixtures) -> the trained version as a shadow candidate -> the same
 * version in canary -> the evaluator's rollout cron -> a verdict in GET /v1/router/rollout.
 * A candidate router is the shipped model with other settings (docs/router.md): the trained
 * ONNX itself ships by a deploy, so here it names the candidate and proves the export trains.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RouterTrainingExampleSchema } from "../../shared/schemas/router-training-example";
import { ROOT } from "../harness/build-workers";
import { bearer, seedKey } from "../harness/seed";
import { startStack, type Stack } from "../harness/stack";

const run = promisify(execFile);
let stack: Stack;
let service: string;
let admin: string;
let tenantId: string;
const dir = mkdtempSync(join(tmpdir(), "closed-loop-"));

// Questions of our own, easy and hard, so the router sends some to each tier.
const PROMPTS = [
  "What is the capital of Portugal?",
  "Give me a synonym for happy.",
  "How many days are in a leap year?",
  "Translate 'good morning' into Spanish.",
  "Prove that the square root of 2 is irrational, then generalise the argument to every prime and discuss where it fails for 4.",
  "Design a lock-free queue for multiple producers and consumers, explain the memory ordering each operation needs, and analyse ABA risks.",
  "Name three primary colours.",
  "Derive the closed form of the sum of the first n cubes and prove it by induction, then bound the error of approximating it by an integral.",
];

beforeAll(async () => {
  // The judge budget has its own tests; here every answer is judged so the loop has data.
  // A 300 ms settings cache instead of production's 5 s: the rollout change below is waited out in 0.5 s.
  stack = await startStack({ evaluator: true, vars: { SETTINGS_TTL_MS: "300" }, evaluatorVars: { JUDGE_POLICY: '{"maxShareOfInference":null,"escalation":{"auditRate":0}}' } });
  ({ key: service, tenantId } = await seedKey(stack, { name: "loop" }));
  ({ key: admin } = await seedKey(stack, { role: "admin", tenantId, scopes: ["content:read"] }));
});
afterAll(async () => stack?.close());

async function waitFor<T>(what: string, fn: () => Promise<T | null>, timeoutMs = 60_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== null) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

const chat = (content: string) =>
  stack.fetch("/v1/chat/completions", { method: "POST", headers: bearer(service, { "cache-control": "no-cache, no-store", "x-feature": "loop" }), body: JSON.stringify({ model: "auto", messages: [{ role: "user", content }] }) });

async function traffic(round: number): Promise<string[]> {
  const ids: string[] = [];
  for (const p of PROMPTS) {
    const res = await chat(`${p} (round ${round})`);
    expect(res.status).toBe(200);
    await res.text();
    ids.push(res.headers.get("x-request-id") as string);
  }
  return ids;
}

const count = async (sql: string, ...args: unknown[]) => (await stack.db.prepare(sql).bind(...args).first<{ n: number }>())?.n ?? 0;

async function train(feedback: string): Promise<{ code: number; stderr: string }> {
  const args = ["--import", "tsx", "scripts/router/train.ts", "--feedback", feedback, "--out", dir, "--epochs", "1", "--hidden", "8", "--routing-dir", "scripts/router/outcomes/fixtures"];
  try {
    await run(process.execPath, args, { cwd: ROOT, timeout: 300_000 });
    return { code: 0, stderr: "" };
  } catch (err) {
    const e = err as { code?: number; stderr?: string };
    return { code: e.code ?? 1, stderr: e.stderr ?? "" };
  }
}

async function putRollout(rollout: Record<string, unknown>): Promise<void> {
  const res = await stack.fetch(`/admin/v1/tenants/${tenantId}/settings`, { method: "PUT", headers: bearer(admin), body: JSON.stringify({ router: { rollout } }) });
  expect(res.status).toBe(200);
}

describe("the closed loop, locally", () => {
  it("traffic -> judging -> retraining export -> router:train --feedback -> shadow candidate -> rollout verdict", { timeout: 600_000 }, async () => {
    const t0 = Date.now();
    const first = await traffic(1);
    await waitFor("every answer judged", async () => ((await count("SELECT COUNT(*) AS n FROM evaluations WHERE tenant_id = ?1 AND status = 'ok'", tenantId)) >= first.length ? true : null));

    const exported = await stack.fetch(`/admin/v1/datasets/retraining?since=${t0}`, { headers: bearer(admin) });
    expect(exported.status).toBe(200);
    const text = await exported.text();
    const lines = text.trim().split("\n").filter(Boolean).map((l) => RouterTrainingExampleSchema.parse(JSON.parse(l)));
    expect(lines.length).toBeGreaterThan(0);
    for (const l of lines) {
      expect(l.source).toBe("feedback");
      expect(first).toContain(l.request_id);
    }
    const feedback = join(dir, "feedback.jsonl");
    writeFileSync(feedback, text);

    // An export with nothing in it must not "train" silently.
    const empty = join(dir, "empty.jsonl");
    writeFileSync(empty, await (await stack.fetch(`/admin/v1/datasets/retraining?since=${Date.now() + 86_400_000}`, { headers: bearer(admin) })).text());
    const refused = await train(empty);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/no feedback rows/);

    expect((await train(feedback)).code).toBe(0);
    const manifest = JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8")) as { version: string; training: { feedbackRows: number } };
    expect(manifest.training.feedbackRows).toBe(lines.length);
    const candidate = { bands: [{ below: 0.99, tier: "small" }], confidenceThreshold: 0 };

    await putRollout({ mode: "shadow", candidateVersion: manifest.version, candidate });
    // Settings are cached per isolate for a few seconds: wait until a request shows the shadow.
    const shadowed = await waitFor("the shadow candidate in a trace", async () => {
      const res = await chat("What is the capital of Portugal? (shadow)");
      await res.text();
      const id = res.headers.get("x-request-id") as string;
      const trace = await waitFor("a trace", async () => {
        const r = await stack.fetch(`/v1/requests/${id}`, { headers: bearer(admin) });
        return r.status === 200 ? ((await r.json()) as { decisions: { route: { shadow?: { version?: string } } }; content?: { available?: boolean; response?: string } }) : null;
      });
      return trace.decisions.route.shadow?.version === manifest.version ? trace : null;
    });
    expect(shadowed.decisions.route.shadow?.version).toBe(manifest.version);
    // Both Workers share the content keyring: the evaluator sealed the exchange, the gateway opens it for content:read.
    expect(shadowed.content?.available).toBe(true);
    expect(shadowed.content?.response?.length).toBeGreaterThan(0);

    await putRollout({ mode: "canary", percent: 50, candidateVersion: manifest.version, candidate, bounds: { minSamples: 2, maxQualityDrop: 0.5, maxCostIncrease: 100 } });
    await new Promise((r) => setTimeout(r, 500)); // the settings cache of the gateway's isolate (300 ms here)
    const second = [...(await traffic(2)), ...(await traffic(3))];
    await waitFor("the canary traffic judged", async () => ((await count("SELECT COUNT(*) AS n FROM evaluations WHERE tenant_id = ?1 AND request_id IN (SELECT request_id FROM usage_ledger WHERE tenant_id = ?1 AND completed_at >= ?2)", tenantId, t0)) >= first.length + second.length ? true : null));

    const evaluator = await stack.mf.getWorker(""); // the evaluator: named by its config, "" in the stack
    await evaluator.scheduled({ cron: "*/5 * * * *", scheduledTime: new Date() });
    const status = (await (await stack.fetch("/v1/router/rollout", { headers: bearer(admin) })).json()) as { verdicts: { candidateVersion: string; status: string; stats?: { control?: { samples: number }; candidate?: { samples: number } } }[] };
    const verdict = status.verdicts.find((v) => v.candidateVersion === manifest.version);
    expect(verdict?.status).toMatch(/^(healthy|rolled_back)$/);
  });
});
