/**
 * The keyed chain (issue 19 item 9): links are HMACs under AUDIT_CHAIN_KEY, which the database
 * does not hold, so a database writer cannot append a row that verifies; and the anchor moves
 * only over rows that verify.
 */
import { describe, expect, it } from "vitest";
import { createTestDb } from "../../workers/gateway/src/auth/testing/sqlite-d1";
import { MemoryKV } from "../../workers/gateway/src/auth/testing/test-app";
import { anchorAuditHead, readAnchor } from "./anchor";
import { useAuditChainKey } from "./chain-key";
import { appendAudit, readAuditHead, rowHash } from "./hash-chain";
import { verifyAuditChain, verifyAuditRows } from "./verify";

const SECRET = "test-audit-chain-key-0123456789abcdef";

async function chain(n: number, env: Record<string, unknown> = { AUDIT_CHAIN_KEY: SECRET }, legacy = 0) {
  const { db, raw } = createTestDb();
  for (let i = 1; i <= legacy; i++) await appendAudit(db, "ten_a", { action: "test.legacy", detail: { i } }, 1_000 * i);
  useAuditChainKey(db, env);
  for (let i = 1; i <= n; i++) await appendAudit(db, "ten_a", { action: "test.event", detail: { i } }, 10_000 + i);
  const kv = new MemoryKV() as unknown as KVNamespace;
  return { db, raw, kv };
}

/** What a database writer without the secret can do: append a row with a valid SHA-256 link. */
async function forgeTail(db: D1Database, raw: ReturnType<typeof createTestDb>["raw"]): Promise<number> {
  const head = await readAuditHead(db);
  const base = { seq: head.seq + 1, created_at: 99_999, tenant_id: "ten_a", actor: "key_forged", action: "key.revoked", target: "key_x", detail: "{}", prev_hash: head.hash };
  raw.sqlite.prepare("INSERT INTO audit_log VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)").run(base.seq, base.created_at, base.tenant_id, base.actor, base.action, base.target, base.detail, base.prev_hash, await rowHash(base));
  return base.seq;
}

describe("keyed audit chain", () => {
  it("links rows with the key and verifies them", async () => {
    const { db } = await chain(4);
    const report = await verifyAuditChain(db, null);
    expect(report).toMatchObject({ ok: true, rows: 4, chainKey: { configured: true, firstKeyedSeq: 1 } });
    const row = (await db.prepare("SELECT * FROM audit_log WHERE seq = 2").first()) as Record<string, unknown> & { hash: string };
    const { hash, ...rest } = row;
    expect(await rowHash(rest as never)).not.toBe(hash); // not a plain SHA-256 link
  });

  it("a forged tail row with a valid unkeyed SHA-256 link fails verification and the anchor does not move past it", async () => {
    const { db, raw, kv } = await chain(3);
    await anchorAuditHead(db, kv, 1);
    expect(await readAnchor(kv)).toMatchObject({ seq: 3 });
    const forged = await forgeTail(db, raw);
    const report = await verifyAuditChain(db, await readAnchor(kv));
    expect(report.ok).toBe(false);
    expect(report.problems).toEqual([{ seq: forged, kind: "unkeyed_row" }]);
    // The next genuine write links onto the forged row; anchoring still stops before it.
    await appendAudit(db, "ten_a", { action: "test.after" }, 20_000);
    expect(await anchorAuditHead(db, kv, 2)).toMatchObject({ seq: 3 });
    expect(await readAnchor(kv)).toMatchObject({ seq: 3 });
  });

  it("verifies before anchoring even without a key: a tampered tail row is never anchored", async () => {
    const { db, raw, kv } = await chain(3, {});
    await anchorAuditHead(db, kv, 1);
    raw.sqlite.exec("DROP TRIGGER audit_log_no_update");
    await appendAudit(db, "ten_a", { action: "test.event" }, 30_000);
    await appendAudit(db, "ten_a", { action: "test.event" }, 30_001);
    raw.sqlite.exec("UPDATE audit_log SET actor = 'someone' WHERE seq = 5");
    expect(await anchorAuditHead(db, kv, 2)).toMatchObject({ seq: 4 }); // up to the last good row
  });

  it("accepts a deployment's unkeyed rows from before the key, then requires keys", async () => {
    const { db, raw, kv } = await chain(2, { AUDIT_CHAIN_KEY: SECRET }, 3);
    expect(await verifyAuditChain(db, null)).toMatchObject({ ok: true, rows: 5, chainKey: { firstKeyedSeq: 4 } });
    expect((await anchorAuditHead(db, kv, 1))?.seq).toBe(5);
    const forged = await forgeTail(db, raw);
    expect((await verifyAuditChain(db, null)).problems).toEqual([{ seq: forged, kind: "unkeyed_row" }]);
  });

  it("AUDIT_CHAIN_KEYED_FROM closes the window before the first keyed row", async () => {
    // Three legacy rows, the key just deployed, nothing keyed yet: only the pin tells a forged row.
    const open = await chain(0, { AUDIT_CHAIN_KEY: SECRET }, 3);
    await forgeTail(open.db, open.raw);
    expect((await verifyAuditChain(open.db, null)).ok).toBe(true);
    const pinned = await chain(0, { AUDIT_CHAIN_KEY: SECRET, AUDIT_CHAIN_KEYED_FROM: "4" }, 3);
    const forged = await forgeTail(pinned.db, pinned.raw);
    expect((await verifyAuditChain(pinned.db, null)).problems).toEqual([{ seq: forged, kind: "unkeyed_row" }]);
  });

  it("a keyed chain cannot be verified without the key (every keyed link reads as a mismatch)", async () => {
    const keyed = await chain(2);
    const rows = (await keyed.db.prepare("SELECT * FROM audit_log ORDER BY seq").all()).results;
    const report = await verifyAuditRows(rows, null, null);
    expect(report).toMatchObject({ ok: false, chainKey: { configured: false } });
    expect(report.problems.map((p) => p.kind)).toEqual(["hash_mismatch", "hash_mismatch"]);
  });
});
