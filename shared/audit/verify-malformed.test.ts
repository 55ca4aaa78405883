/**
 * The verifier survives what it checks (issue 19 item 8): a row edited by hand into a shape the
 * code never writes is reported as `malformed_row` with the row, never thrown.
 */
import { describe, expect, it } from "vitest";
import { createTestDb } from "../../workers/gateway/src/auth/testing/sqlite-d1";
import { appendAudit } from "./hash-chain";
import { verifyAuditChain, verifyAuditRows } from "./verify";

async function chainOf(n: number) {
  const { db, raw } = createTestDb();
  for (let i = 1; i <= n; i++) await appendAudit(db, "ten_a", { action: "test.event", actor: `key_${i}`, detail: { i } }, 1_000 * i);
  raw.sqlite.exec("DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;");
  return { db, raw };
}

describe("audit verifier on malformed rows", () => {
  it("reports created_at='yesterday' as a malformed row instead of throwing", async () => {
    const { db, raw } = await chainOf(4);
    raw.sqlite.exec("UPDATE audit_log SET created_at = 'yesterday' WHERE seq = 2");
    const r = await verifyAuditChain(db, null);
    expect(r.ok).toBe(false);
    expect(r.rows).toBe(4);
    expect(r.problems).toEqual([{ seq: 2, kind: "malformed_row", reason: expect.stringContaining("created_at"), row: expect.objectContaining({ seq: 2, created_at: "yesterday" }) }]);
  });

  it("reports a detail that is not a JSON object, even with a hash recomputed over it", async () => {
    const { db, raw } = await chainOf(3);
    raw.sqlite.exec("UPDATE audit_log SET detail = 'not json {' WHERE seq = 3");
    const r = await verifyAuditChain(db, null);
    expect(r.problems).toContainEqual(expect.objectContaining({ seq: 3, kind: "malformed_row", reason: "detail: not a JSON object" }));
  });

  it("reports NULLs in columns the chain needs (a table rebuilt without its constraints)", async () => {
    const { db, raw } = await chainOf(5);
    raw.sqlite.exec(`
      CREATE TABLE loose AS SELECT * FROM audit_log; DROP TABLE audit_log;
      CREATE TABLE audit_log (seq INTEGER PRIMARY KEY, created_at, tenant_id, actor, action, target, detail, prev_hash, hash);
      INSERT INTO audit_log SELECT * FROM loose;
      UPDATE audit_log SET action = NULL WHERE seq = 2; UPDATE audit_log SET hash = NULL WHERE seq = 4;`);
    const r = await verifyAuditChain(db, null);
    expect(r.ok).toBe(false);
    const kinds = r.problems.map((p) => [p.seq, p.kind]);
    expect(kinds).toContainEqual([2, "malformed_row"]);
    expect(kinds).toContainEqual([4, "malformed_row"]);
    // Row 3 is intact and still checked; row 5's link to the NULL hash is the only other break.
    expect(kinds).not.toContainEqual([3, "hash_mismatch"]);
    expect(kinds).toContainEqual([5, "prev_hash_mismatch"]);
  });

  it("accepts any values through the pure entry point (rows fetched elsewhere)", async () => {
    const r = await verifyAuditRows([null, 42, { seq: "x" }, { seq: 4, hash: "h".repeat(500) }], null);
    expect(r.ok).toBe(false);
    expect(r.problems.map((p) => p.kind)).toEqual(["malformed_row", "malformed_row", "malformed_row", "malformed_row"]);
    expect(String(r.problems[3]?.row?.hash).length).toBeLessThanOrEqual(201);
  });
});
