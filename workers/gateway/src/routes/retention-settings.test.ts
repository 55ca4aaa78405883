/**
 * Per-tenant retention through the admin settings API, read back as the evaluator's archive
 * reads it: the two sides share shared/schemas/retention.ts and the tenant_settings row.
 */
import { describe, expect, it } from "vitest";
import { DEFAULT_RETENTION } from "../../../../shared/schemas/retention";
import { loadTenantRetention } from "../../../evaluator/src/archive/retention-config";
import { adminFixture } from "./admin/testing";

describe("PUT /admin/v1/tenants/{id}/settings with retention", () => {
  it("stores a tenant-wide retention the archive then applies over the defaults", async () => {
    const f = await adminFixture();
    const res = await f.call("PUT", "/admin/v1/tenants/ten_ops/settings", f.op.key, { retention: { tracesDays: 3 } });
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    const got = await f.call("GET", "/admin/v1/tenants/ten_ops/settings", f.op.key);
    expect((got.json as { effective: { retention: unknown } }).effective.retention).toEqual({ tracesDays: 3 });
    const loaded = await loadTenantRetention(f.db, DEFAULT_RETENTION);
    expect(loaded.get("ten_ops")).toEqual({ ...DEFAULT_RETENTION, tracesDays: 3 });
  });

  it("refuses a retention on a feature layer, or out of range, naming it and storing nothing", async () => {
    const f = await adminFixture();
    const feature = await f.call("PUT", "/admin/v1/tenants/ten_ops/settings?feature=search", f.op.key, { retention: { ledgerDays: 3 } });
    expect([feature.status, feature.json.error?.param]).toEqual([400, "retention"]);
    const zero = await f.call("PUT", "/admin/v1/tenants/ten_ops/settings", f.op.key, { retention: { ledgerDays: 0 } });
    expect([zero.status, zero.json.error?.param]).toEqual([400, "retention.ledgerDays"]);
    const unknown = await f.call("PUT", "/admin/v1/tenants/ten_ops/settings", f.op.key, { retention: { rollupDays: 3 } });
    expect(unknown.status).toBe(400);
    expect(await f.db.prepare("SELECT COUNT(*) AS n FROM tenant_settings").first<number>("n")).toBe(0);
  });
});
