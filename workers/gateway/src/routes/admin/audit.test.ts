import { describe, expect, it } from "vitest";
import { adminFixture } from "./testing";

describe("GET /admin/v1/audit/verify", () => {
  it("answers 200 with ok:false and the offending row for a malformed row (not a bare 500)", async () => {
    const f = await adminFixture();
    await f.call("POST", "/admin/v1/tenants", f.op.key, { name: "Acme", id: "ten_acme" });
    f.raw.sqlite.exec("DROP TRIGGER audit_log_no_update; UPDATE audit_log SET created_at = 'yesterday' WHERE seq = 1");
    const res = await f.call("GET", "/admin/v1/audit/verify", f.op.key);
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ ok: false, problems: [{ seq: 1, kind: "malformed_row", row: { seq: 1, created_at: "yesterday" } }] });
  });

  it("treats an unreadable KV anchor as no anchor instead of failing", async () => {
    const f = await adminFixture();
    await f.kv.put("audit:anchor", "{not json");
    const res = await f.call("GET", "/admin/v1/audit/verify", f.op.key);
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ ok: true, anchor: null });
  });
});
