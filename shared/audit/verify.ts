/**
 * Walks the audit chain in seq order and reports every break. Pure (`ChainVerifier`) so the
 * same logic runs in the admin endpoint (D1 binding), in scripts/audit-verify.ts and, from the
 * current anchor on, before the anchor is moved (anchor.ts).
 *
 * Links are keyed (HMAC, chain-key.ts) where the verifier has the key. An unkeyed but otherwise
 * valid SHA-256 link is accepted only for rows from before keying began: before the first keyed
 * row, and below AUDIT_CHAIN_KEYED_FROM when that is pinned. After that it is `unkeyed_row`:
 * a row a database writer forged, since whoever writes through the Worker holds the key.
 */
import { z } from "zod";
import { chainKeyFor, type ChainKey } from "./chain-key";
import { GENESIS_HASH, rowHash, type AuditHead, type AuditRow } from "./hash-chain";
import { parseAuditRow } from "./parse-row";

export const AuditAnchorSchema = z.object({ seq: z.number().int().nonnegative(), hash: z.string(), anchoredAt: z.number() });
export type AuditAnchor = z.infer<typeof AuditAnchorSchema>;

export type ProblemKind = "hash_mismatch" | "prev_hash_mismatch" | "seq_gap" | "anchor_missing_row" | "anchor_mismatch" | "malformed_row" | "unkeyed_row";
export interface Problem {
  /** null only for a malformed row whose seq is not an integer. */
  seq: number | null;
  kind: ProblemKind;
  /** malformed_row: which field is wrong, and the row as stored (long strings cut). */
  reason?: string;
  row?: Record<string, unknown>;
}

export interface VerifyReport {
  ok: boolean;
  rows: number;
  head: { seq: number; hash: string };
  anchor: { seq: number; matched: boolean } | null;
  /** Whether links were checked with AUDIT_CHAIN_KEY; the first keyed row; the pinned seq. */
  chainKey: { configured: boolean; firstKeyedSeq: number | null; keyedFrom: number | null };
  problems: Problem[];
}

/** Where a walk resumes: after this (already verified, e.g. anchored) row. */
export interface ChainStart {
  seq: number;
  hash: string;
  keyed: boolean;
}

const MAX_PROBLEMS = 50;

export class ChainVerifier {
  private expectedSeq: number;
  private prevHash: string;
  private firstKeyed: number | null;
  private count = 0;
  private broken = false;
  private good: AuditHead | null;
  private readonly seen = new Map<number, string>();
  private readonly problems: Problem[] = [];

  constructor(
    private readonly anchor: AuditAnchor | null = null,
    private readonly key: ChainKey | null = null,
    start?: ChainStart,
  ) {
    this.expectedSeq = start ? start.seq + 1 : 1;
    this.prevHash = start ? start.hash : GENESIS_HASH;
    this.firstKeyed = start?.keyed ? start.seq : null;
    this.good = start ? { seq: start.seq, hash: start.hash } : null;
  }

  /** The last row of the unbroken prefix walked so far: as far as an anchor may move. */
  get verifiedHead(): AuditHead | null {
    return this.good;
  }

  async push(raw: unknown): Promise<void> {
    this.count++;
    const parsed = parseAuditRow(raw);
    if (!parsed.ok) {
      this.problem({ seq: parsed.seq, kind: "malformed_row", reason: parsed.reason, row: parsed.view });
      // Carry on from what the row claims, so one bad row is reported once, not as a cascade.
      if (parsed.seq !== null) this.expectedSeq = parsed.seq + 1;
      if (parsed.hash !== null) this.prevHash = parsed.hash;
      return;
    }
    const row = parsed.row;
    if (row.seq !== this.expectedSeq) this.report(row.seq, "seq_gap");
    if (row.prev_hash !== this.prevHash) this.report(row.seq, "prev_hash_mismatch");
    await this.checkLink(row);
    if (this.anchor && row.seq === this.anchor.seq) this.seen.set(row.seq, row.hash);
    this.expectedSeq = row.seq + 1;
    this.prevHash = row.hash;
    if (!this.broken) this.good = { seq: row.seq, hash: row.hash };
  }

  private async checkLink(row: AuditRow): Promise<void> {
    const { hash, ...rest } = row;
    if (this.key && (await rowHash(rest, this.key)) === hash) {
      this.firstKeyed ??= row.seq;
      return;
    }
    if ((await rowHash(rest)) !== hash) return this.report(row.seq, "hash_mismatch");
    const pin = this.key?.keyedFrom ?? null;
    if (this.key && (this.firstKeyed !== null || (pin !== null && row.seq >= pin))) this.report(row.seq, "unkeyed_row");
  }

  finish(): VerifyReport {
    let anchor: VerifyReport["anchor"] = null;
    if (this.anchor && this.anchor.seq > 0) {
      const hash = this.seen.get(this.anchor.seq);
      const matched = hash === this.anchor.hash;
      if (hash === undefined) this.report(this.anchor.seq, "anchor_missing_row");
      else if (!matched) this.report(this.anchor.seq, "anchor_mismatch");
      anchor = { seq: this.anchor.seq, matched };
    }
    return {
      ok: !this.broken,
      rows: this.count,
      head: { seq: this.expectedSeq - 1, hash: this.prevHash },
      anchor,
      chainKey: { configured: this.key !== null, firstKeyedSeq: this.firstKeyed, keyedFrom: this.key?.keyedFrom ?? null },
      problems: this.problems,
    };
  }

  private report(seq: number, kind: ProblemKind): void {
    this.problem({ seq, kind });
  }

  private problem(p: Problem): void {
    this.broken = true;
    if (this.problems.length < MAX_PROBLEMS) this.problems.push(p);
  }
}

export async function verifyAuditRows(rows: readonly unknown[], anchor: AuditAnchor | null, key: ChainKey | null = null): Promise<VerifyReport> {
  const v = new ChainVerifier(anchor, key);
  for (const r of rows) await v.push(r);
  return v.finish();
}

const PAGE = 500;
const COLUMNS = "seq, created_at, tenant_id, actor, action, target, detail, prev_hash, hash";

/** Feeds the rows after `afterSeq` to `v` in pages of PAGE rows (D1 responses are size-limited). */
async function walk(db: D1Database, v: ChainVerifier, afterSeq: number): Promise<void> {
  let after = afterSeq;
  for (;;) {
    const { results } = await db.prepare(`SELECT ${COLUMNS} FROM audit_log WHERE seq > ? ORDER BY seq LIMIT ?`).bind(after, PAGE).all();
    for (const r of results) await v.push(r);
    // seq is the INTEGER PRIMARY KEY (rowid), the one column SQLite keeps an integer.
    const last = Number((results.at(-1) as { seq?: unknown } | undefined)?.seq);
    if (results.length < PAGE || !Number.isSafeInteger(last)) break;
    after = last;
  }
}

/** The whole chain, checked with the key registered for `db` (if any) and against the anchor. */
export async function verifyAuditChain(db: D1Database, anchor: AuditAnchor | null): Promise<VerifyReport> {
  const v = new ChainVerifier(anchor, chainKeyFor(db));
  // Below any seq, so tampered rows with seq <= 0 are still read and reported.
  await walk(db, v, Number.MIN_SAFE_INTEGER);
  return v.finish();
}

/**
 * Verifies the rows after the anchor (the anchored row must still be there, unchanged) and
 * returns the head of the unbroken prefix: the furthest the anchor may move, or null.
 */
export async function verifyFromAnchor(db: D1Database, anchor: AuditAnchor | null): Promise<{ head: AuditHead | null; problems: Problem[] }> {
  const key = chainKeyFor(db);
  let start: ChainStart | undefined;
  if (anchor && anchor.seq > 0) {
    const stored = parseAuditRow(await db.prepare(`SELECT ${COLUMNS} FROM audit_log WHERE seq = ?`).bind(anchor.seq).first());
    if (!stored.ok || stored.row.hash !== anchor.hash) return { head: null, problems: [{ seq: anchor.seq, kind: stored.ok ? "anchor_mismatch" : "anchor_missing_row" }] };
    const { hash, ...rest } = stored.row;
    start = { seq: anchor.seq, hash, keyed: key !== null && (await rowHash(rest, key)) === hash };
  }
  const v = new ChainVerifier(null, key, start);
  await walk(db, v, start ? start.seq : Number.MIN_SAFE_INTEGER);
  return { head: v.verifiedHead, problems: v.finish().problems };
}
