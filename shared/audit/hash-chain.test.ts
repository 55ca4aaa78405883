import { describe, expect, it } from "vitest";
import { createTestDb } from "../../workers/gateway/src/auth/testing/sqlite-d1";
import { MemoryKV } from "../../workers/gateway/src/auth/testing/test-app";
import { anchorAuditHead, readAnchor } from "./anchor";
import { appendAudit, rowHash, type AuditRow } from "./hash-chain";
import { verifyAuditChain } from "./verify";

async function chainOf(n: number) {
  const { db, raw } = createTestDb();
  for (let i = 1; i <= n; i++) await appendAudit(db, i % 2 ? "ten_a" : null, { action: "test.event", actor: `key_${i}`, detail: { i } }, 1_000 * i);
  // An attacker with write access to the database drops the append-only triggers first.
  const untrigger = () => raw.sqlite.exec("DROP TRIGGER IF EXISTS audit_log_no_update; DROP TRIGGER IF EXISTS audit_log_no_delete;");
  return { db, raw, untrigger };
}

const kinds = (r: { problems: { kind: string }[] }) => new Set(r.problems.map((p) => p.kind));

describe("audit hash chain", () => {
  it("links each row to the previous hash and verifies clean", async () => {
    const { db } = await chainOf(5);
    const report = await verifyAuditChain(db, null);
    expect(report).toMatchObject({ ok: true, rows: 5, problems: [] });
    expect(report.head.seq).toBe(5);
  });

  it("refuses UPDATE and DELETE at the database (append-only triggers)", async () => {
    const { raw } = await chainOf(2);
    expect(() => raw.sqlite.exec("UPDATE audit_log SET action = 'x' WHERE seq = 1")).toThrow(/append-only/);
    expect(() => raw.sqlite.exec("DELETE FROM audit_log WHERE seq = 1")).toThrow(/append-only/);
  });

  it("detects an edited row", async () => {
    const { db, raw, untrigger } = await chainOf(5);
    untrigger();
    raw.sqlite.exec(`UPDATE audit_log SET detail = '{"i":99}' WHERE seq = 3`);
    const r = await verifyAuditChain(db, null);
    expect(r.ok).toBe(false);
    expect(r.problems).toContainEqual({ seq: 3, kind: "hash_mismatch" });
  });

  it("detects an edited row whose own hash was recomputed (next row's prev_hash breaks)", async () => {
    const { db, raw, untrigger } = await chainOf(5);
    untrigger();
    const row = (await db.prepare("SELECT * FROM audit_log WHERE seq = 2").first()) as AuditRow;
    const forged = { ...row, action: "test.forged" };
    const { hash: _h, ...rest } = forged;
    raw.sqlite.prepare("UPDATE audit_log SET action = ?, hash = ? WHERE seq = 2").run("test.forged", await rowHash(rest));
    const r = await verifyAuditChain(db, null);
    expect(r.problems).toContainEqual({ seq: 3, kind: "prev_hash_mismatch" });
  });

  it("detects a deleted row", async () => {
    const { db, raw, untrigger } = await chainOf(5);
    untrigger();
    raw.sqlite.exec("DELETE FROM audit_log WHERE seq = 3");
    const r = await verifyAuditChain(db, null);
    expect(kinds(r)).toEqual(new Set(["seq_gap", "prev_hash_mismatch"]));
  });

  it("detects an inserted row (later rows renumbered to make room)", async () => {
    const { db, raw, untrigger } = await chainOf(5);
    untrigger();
    raw.sqlite.exec("UPDATE audit_log SET seq = seq + 100 WHERE seq >= 3; UPDATE audit_log SET seq = seq - 99 WHERE seq >= 100;");
    const prev = (await db.prepare("SELECT hash FROM audit_log WHERE seq = 2").first<string>("hash"))!;
    const base = { seq: 3, created_at: 2500, tenant_id: null, actor: "evil", action: "test.inserted", target: null, detail: "{}", prev_hash: prev };
    raw.sqlite.prepare("INSERT INTO audit_log VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)").run(3, 2500, null, "evil", "test.inserted", null, "{}", prev, await rowHash(base));
    const r = await verifyAuditChain(db, null);
    expect(r.ok).toBe(false);
    expect(r.problems).toContainEqual({ seq: 4, kind: "prev_hash_mismatch" });
    expect(r.problems).toContainEqual({ seq: 4, kind: "hash_mismatch" });
  });

  it("detects reordered rows", async () => {
    const { db, raw, untrigger } = await chainOf(5);
    untrigger();
    raw.sqlite.exec("UPDATE audit_log SET seq = 100 WHERE seq = 2; UPDATE audit_log SET seq = 2 WHERE seq = 4; UPDATE audit_log SET seq = 4 WHERE seq = 100;");
    const r = await verifyAuditChain(db, null);
    expect(r.ok).toBe(false);
    expect(kinds(r).has("hash_mismatch")).toBe(true);
  });

  it("detects truncation of the newest rows and a rebuilt chain through the KV anchor", async () => {
    const { db, raw, untrigger } = await chainOf(5);
    const kv = new MemoryKV() as unknown as KVNamespace;
    await anchorAuditHead(db, kv, 9_999);
    expect(await readAnchor(kv)).toMatchObject({ seq: 5 });
    untrigger();
    raw.sqlite.exec("DELETE FROM audit_log WHERE seq >= 4");
    const truncated = await verifyAuditChain(db, await readAnchor(kv));
    expect(truncated.problems).toContainEqual({ seq: 5, kind: "anchor_missing_row" });
    // Rebuild a fully consistent fake chain: only the anchor can tell.
    raw.sqlite.exec("DELETE FROM audit_log");
    for (let i = 1; i <= 5; i++) await appendAudit(db, null, { action: "test.fake" }, i);
    const rebuilt = await verifyAuditChain(db, await readAnchor(kv));
    expect(rebuilt.problems).toEqual([{ seq: 5, kind: "anchor_mismatch" }]);
  });

  it("only moves the anchor forward", async () => {
    const { db } = await chainOf(3);
    const kv = new MemoryKV() as unknown as KVNamespace;
    await kv.put("audit:anchor", JSON.stringify({ seq: 10, hash: "x", anchoredAt: 1 }));
    expect(await anchorAuditHead(db, kv)).toMatchObject({ seq: 10 });
  });

  it("serializes concurrent appends into one dense chain", async () => {
    const { db } = await chainOf(0);
    await Promise.all(Array.from({ length: 12 }, (_, i) => appendAudit(db, null, { action: "test.concurrent", detail: { i } })));
    const r = await verifyAuditChain(db, null);
    expect(r).toMatchObject({ ok: true, rows: 12 });
  });
});
