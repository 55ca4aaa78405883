/** GET /v1/drift over a real D1 (migrations applied): tenant scope, range, alarms, bad input. */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startD1 } from "../../../evaluator/src/testing/harness";
import type { AuthContext, Bindings } from "../app-env";
import { appAs, viewer } from "./test-app";
import { driftRoutes } from "./drift";

let d1: Awaited<ReturnType<typeof startD1>>;
const HOUR = 3_600_000;
const NOW = Math.floor(Date.now() / HOUR) * HOUR;

const caller = viewer;
const app = (auth: AuthContext) => appAs(auth, driftRoutes);

const get = (auth: AuthContext, query = "") => app(auth).request(`http://gw/v1/drift${query}`, {}, { DB: d1.db } as unknown as Bindings);

async function snapshot(tenant: string, windowStart: number, metric: string, psi: number, alert: boolean): Promise<void> {
  await d1.db
    .prepare(`INSERT INTO drift_snapshots (tenant_id, period, window_start, metric, psi, kl, current_n, baseline_n, baseline_from, baseline_to, alert, computed_at)
      VALUES (?1, 'hour', ?2, ?3, ?4, ?5, 120, 900, ?6, ?7, ?8, ?9)`)
    .bind(tenant, windowStart, metric, psi, psi / 2, windowStart - 7 * 24 * HOUR, windowStart, alert ? 1 : 0, windowStart + HOUR)
    .run();
}

beforeAll(async () => {
  d1 = await startD1();
  await snapshot("acme", NOW - 2 * HOUR, "complexity", 0.31, true);
  await snapshot("acme", NOW - 2 * HOUR, "judge_score", 0.02, false);
  await snapshot("acme", NOW - 30 * 24 * HOUR, "complexity", 0.4, true);
  await snapshot("globex", NOW - HOUR, "complexity", 0.9, true);
});
afterAll(async () => d1?.dispose());

describe("GET /v1/drift", () => {
  it("lists the caller's tenant's snapshots in the range, newest first, and counts its alarms", async () => {
    const res = await get(caller("acme"));
    expect(res.status).toBe(200);
    const body = (await res.json()) as { alarms: number; data: { metric: string; psi: number; alarm: boolean; windowStart: string }[] };
    expect(body.alarms).toBe(1);
    expect(body.data.map((d) => [d.metric, d.psi, d.alarm])).toEqual([["complexity", 0.31, true], ["judge_score", 0.02, false]]);
    expect(body.data[0]?.windowStart).toBe(new Date(NOW - 2 * HOUR).toISOString());
  });

  it("reaches back as far as asked (90 days at most) and filters to alarms", async () => {
    const from = new Date(NOW - 40 * 24 * HOUR).toISOString();
    const body = (await (await get(caller("acme"), `?from=${from}&alarms=true`)).json()) as { alarms: number; data: { psi: number }[] };
    expect(body.alarms).toBe(2);
    expect(body.data.map((d) => d.psi)).toEqual([0.31, 0.4]);
    expect((await get(caller("acme"), `?from=${new Date(NOW - 100 * 24 * HOUR).toISOString()}`)).status).toBe(400);
  });

  it("never shows another tenant's drift, and refuses a key limited to some features", async () => {
    const body = (await (await get(caller("initech"))).json()) as { alarms: number; data: unknown[] };
    expect([body.alarms, body.data]).toEqual([0, []]);
    expect((await get(caller("acme", ["support"]))).status).toBe(403);
  });

  it("answers any query string with 200 or a 400, never a 5xx", async () => {
    const value = fc.oneof(fc.string({ maxLength: 30 }), fc.integer().map(String), fc.date({ noInvalidDate: true }).map((d) => d.toISOString()));
    const key = fc.constantFrom("from", "to", "period", "alarms", "limit", "tenant");
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(key, value), { maxLength: 4 }), async (pairs) => {
        const res = await get(caller("acme"), `?${new URLSearchParams(pairs).toString()}`);
        expect([200, 400]).toContain(res.status);
      }),
      { numRuns: 60 },
    );
  });
});
