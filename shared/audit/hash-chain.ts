/**
 * Tamper-evident audit log: each row stores `prev_hash` and
 * `hash = HMAC-SHA256(AUDIT_CHAIN_KEY, canonical JSON of {seq, created_at, tenant_id, actor, action, target, detail, prev_hash})`
 * (plain SHA-256 where no key is configured, and for rows written before one was; chain-key.ts).
 * `seq` is dense from 1, so editing a row breaks its hash, deleting one leaves a gap, inserting
 * or reordering breaks the next row's `prev_hash`. Deleting the newest rows is caught by the
 * anchor (head seq + hash copied to KV outside D1, see anchor.ts).
 */
import { z } from "zod";
import { sha256Hex } from "../crypto/sha256";
import { canonicalJson, type Json } from "../canonical-json";
import { chainKeyFor, hmacHex, type ChainKey } from "./chain-key";

export const GENESIS_HASH = "0".repeat(64);

export const AuditEventSchema = z.object({
  action: z.string().regex(/^[a-z][a-z0-9_.]{0,63}$/),
  /** Key id (never key material) or "system". */
  actor: z.string().max(128).nullable().default(null),
  target: z.string().max(256).nullable().default(null),
  detail: z.record(z.string(), z.json()).default({}),
});
export type AuditEvent = z.input<typeof AuditEventSchema>;

export const AuditRowSchema = z.object({
  seq: z.number().int(),
  created_at: z.number().int(),
  tenant_id: z.string().nullable(),
  actor: z.string().nullable(),
  action: z.string(),
  target: z.string().nullable(),
  detail: z.string(),
  prev_hash: z.string(),
  hash: z.string(),
});
export type AuditRow = z.infer<typeof AuditRowSchema>;

/** The row's link: keyed (HMAC) when `key` is given, else the legacy unkeyed SHA-256. */
export function rowHash(row: Omit<AuditRow, "hash">, key: ChainKey | null = null): Promise<string> {
  const fields: Json = {
    seq: row.seq,
    created_at: row.created_at,
    tenant_id: row.tenant_id,
    actor: row.actor,
    action: row.action,
    target: row.target,
    detail: row.detail,
    prev_hash: row.prev_hash,
  };
  const text = canonicalJson(fields);
  return key ? hmacHex(key, text) : sha256Hex(text);
}

export interface AuditHead {
  seq: number;
  hash: string;
}

export async function readAuditHead(db: D1Database): Promise<AuditHead> {
  const row = await db.prepare("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1").first<AuditHead>();
  return row ?? { seq: 0, hash: GENESIS_HASH };
}

export interface PreparedAudit {
  stmt: D1PreparedStatement;
  row: AuditRow;
}

/** Builds the next row on top of the current head; the insert fails if another writer won seq. */
export async function prepareAudit(db: D1Database, tenantId: string | null, event: AuditEvent, now: number): Promise<PreparedAudit> {
  const e = AuditEventSchema.parse(event);
  const head = await readAuditHead(db);
  const base = {
    seq: head.seq + 1,
    created_at: Math.trunc(now),
    tenant_id: tenantId,
    actor: e.actor,
    action: e.action,
    target: e.target,
    detail: canonicalJson(e.detail as Json),
    prev_hash: head.hash,
  };
  const row: AuditRow = { ...base, hash: await rowHash(base, chainKeyFor(db)) };
  const stmt = db
    .prepare(
      "INSERT INTO audit_log (seq, created_at, tenant_id, actor, action, target, detail, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(row.seq, row.created_at, row.tenant_id, row.actor, row.action, row.target, row.detail, row.prev_hash, row.hash);
  return { stmt, row };
}

// Concurrent appenders race for head+1; the PRIMARY KEY on seq lets exactly one win per round
// and the others retry on the new head after a jittered pause. (No in-isolate mutex: a promise
// chain shared across requests would resolve one request's work from another's I/O context,
// which workerd warns about and can hang.) Audit writes are rare (admin actions, bursts).
const MAX_ATTEMPTS = 16;

export function isSeqConflict(err: unknown): boolean {
  const msg = err instanceof Error ? `${err.message} ${String(err.cause ?? "")}` : String(err);
  return /UNIQUE constraint failed: audit_log\.seq|PRIMARY KEY.*audit_log/i.test(msg);
}

const jitter = (attempt: number) => new Promise((r) => setTimeout(r, Math.random() * 10 * attempt));

/**
 * Runs `statements` and the audit row in one D1 batch (one transaction): the change and its
 * audit record commit together or not at all. Retries only when a concurrent writer took seq.
 */
export async function batchWithAudit(
  db: D1Database,
  statements: D1PreparedStatement[],
  tenantId: string | null,
  event: AuditEvent,
  now: number,
): Promise<AuditRow> {
  for (let attempt = 1; ; attempt++) {
    const audit = await prepareAudit(db, tenantId, event, now);
    try {
      await db.batch([...statements, audit.stmt]);
      return audit.row;
    } catch (err) {
      if (!isSeqConflict(err) || attempt >= MAX_ATTEMPTS) throw err;
      await jitter(attempt);
    }
  }
}

/** Appends one audit row (admin actions, auth-failure bursts, budget and guardrail blocks). */
export function appendAudit(db: D1Database, tenantId: string | null, event: AuditEvent, now = Date.now()): Promise<AuditRow> {
  return batchWithAudit(db, [], tenantId, event, now);
}
