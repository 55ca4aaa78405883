import { describe, expect, it, vi } from "vitest";
import { readAnchor } from "../../../../../shared/audit/anchor";
import { readAuditHead, rowHash } from "../../../../../shared/audit/hash-chain";
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

  it("with AUDIT_CHAIN_KEY, a row a database writer appends fails verification and the next admin write does not anchor it", async () => {
    const f = await adminFixture({ AUDIT_CHAIN_KEY: "local-test-chain-key-9f8e7d6c5b4a" });
    await f.call("POST", "/admin/v1/tenants", f.op.key, { name: "Acme", id: "ten_acme" });
    const kv = f.kv as unknown as KVNamespace;
    const anchored = await vi.waitFor(async () => {
      const a = await readAnchor(kv);
      expect(a?.seq).toBe((await readAuditHead(f.db)).seq);
      return a!;
    });
    // The adversarial run's forgery: a tail row with a valid (unkeyed) SHA-256 link.
    const head = await readAuditHead(f.db);
    const forged = { seq: head.seq + 1, created_at: Date.now(), tenant_id: "ten_acme", actor: f.op.keyId, action: "key.created", target: "key_x", detail: "{}", prev_hash: head.hash };
    f.raw.sqlite.prepare("INSERT INTO audit_log VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)").run(...Object.values(forged), await rowHash(forged));
    expect((await f.call("GET", "/admin/v1/audit/verify", f.op.key)).json).toMatchObject({ ok: false, problems: [{ seq: forged.seq, kind: "unkeyed_row" }] });
    const warn = vi.spyOn(console, "warn");
    expect((await f.call("PUT", "/admin/v1/tenants/ten_acme/limits", f.op.key, {})).status).toBe(200);
    // The write's background anchoring ran, refused to pass the forged row, and said so.
    await vi.waitFor(() => expect(warn).toHaveBeenCalledWith(expect.stringContaining('"audit_anchor_held"')));
    warn.mockRestore();
    expect(await readAnchor(kv)).toEqual(anchored);
  });
});
