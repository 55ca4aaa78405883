/** The crons anchor the gateway's audit-log head in KV (workerd, real KEYS_KV and D1). */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ANCHOR_KEY } from "../../../shared/audit/anchor";
import { useAuditChainKey } from "../../../shared/audit/chain-key";
import { appendAudit } from "../../../shared/audit/hash-chain";
import { startEvaluator, type EvaluatorHarness } from "./testing/harness";
import { ALERTS_CRON, DRIFT_CRON, runAnchor } from "./scheduled";

let h: EvaluatorHarness;
beforeAll(async () => {
  h = await startEvaluator();
});
afterAll(() => h?.dispose());

async function anchor(): Promise<unknown> {
  const kv = await h.mf.getKVNamespace("KEYS_KV");
  const raw = await kv.get(ANCHOR_KEY);
  return raw === null ? null : JSON.parse(raw);
}

describe("audit anchor cron", () => {
  it("anchors nothing while the audit log is empty", async () => {
    await h.scheduled(ALERTS_CRON, new Date("2026-11-27T03:00:00Z"));
    expect(await anchor()).toBeNull();
  });

  it("anchors the head on every cron and moves the anchor forward with the log", async () => {
    const r1 = await appendAudit(h.db, "t1", { action: "cache.purged", actor: "k1", target: "*" }, 1_000);
    await appendAudit(h.db, "t1", { action: "key.created", actor: "k1", target: "k2" }, 2_000);
    await h.scheduled(ALERTS_CRON, new Date("2026-11-27T03:05:00Z"));
    const first = await anchor();
    expect(first).toMatchObject({ seq: 2, anchoredAt: Date.parse("2026-11-27T03:05:00Z") });
    expect(r1.seq).toBe(1);

    const r3 = await appendAudit(h.db, null, { action: "guardrail.blocked", actor: "system" }, 3_000);
    await h.scheduled(DRIFT_CRON, new Date("2026-11-27T03:07:00Z"));
    expect(await anchor()).toEqual({ seq: 3, hash: r3.hash, anchoredAt: Date.parse("2026-11-27T03:07:00Z") });
  });

  it("reports a missing KEYS_KV binding instead of failing the cron", async () => {
    expect(await runAnchor({ DB: h.db }, 0)).toEqual({ anchoredSeq: null, error: "no KEYS_KV binding" });
  });
});

describe("audit anchor cron with a keyed chain", () => {
  const AUDIT_CHAIN_KEY = "evaluator-test-chain-key-1a2b3c4d";
  // Started in a hook (hookTimeout), not the test body: a second workerd can take longer than a test's 30 s on a loaded machine.
  let keyed: EvaluatorHarness;
  beforeAll(async () => {
    keyed = await startEvaluator({ AUDIT_CHAIN_KEY });
  });
  afterAll(() => keyed?.dispose());

  it("checks keyed links with the Worker's AUDIT_CHAIN_KEY and anchors them", async () => {
    useAuditChainKey(keyed.db, { AUDIT_CHAIN_KEY });
    await appendAudit(keyed.db, "t1", { action: "key.created", actor: "k1", target: "k2" }, 1_000);
    const head = await appendAudit(keyed.db, "t1", { action: "key.revoked", actor: "k1", target: "k2" }, 2_000);
    await keyed.scheduled(ALERTS_CRON, new Date("2026-11-27T03:05:00Z"));
    const raw = await (await keyed.mf.getKVNamespace("KEYS_KV")).get(ANCHOR_KEY);
    expect(raw === null ? null : JSON.parse(raw)).toMatchObject({ seq: 2, hash: head.hash });
  });
});

describe("consumed packs cron", () => {
  it("forgets the packs consumed before the redelivery horizon (ARCHIVE_HORIZON_HOURS, 96 by default) and keeps the rest", async () => {
    const at = Date.parse("2026-11-27T03:10:00Z");
    const hour = 3_600_000;
    await h.db.batch(
      [97, 95].map((ago) =>
        h.db.prepare("INSERT INTO consumed_messages (pack_key, message_id, nonce, events, consumed_at) VALUES (?1, ?2, 'n', 1, ?3)").bind(`cron-${ago}`, `m-${ago}`, at - ago * hour),
      ),
    );
    await h.scheduled(ALERTS_CRON, new Date(at));
    const left = await h.db.prepare("SELECT pack_key FROM consumed_messages WHERE pack_key LIKE 'cron-%'").all();
    expect(left.results).toEqual([{ pack_key: "cron-95" }]);
  });
});
