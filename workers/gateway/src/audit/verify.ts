/**
 * Walks the audit chain in seq order and reports every break. Pure (`ChainVerifier`) so the
 * same logic runs in the admin endpoint (D1 binding) and in scripts/audit-verify.ts (rows
 * fetched through wrangler).
 */
import { z } from "zod";
import { GENESIS_HASH, rowHash } from "./hash-chain";
import { parseAuditRow } from "./parse-row";

export const AuditAnchorSchema = z.object({ seq: z.number().int().nonnegative(), hash: z.string(), anchoredAt: z.number() });
export type AuditAnchor = z.infer<typeof AuditAnchorSchema>;

export type ProblemKind = "hash_mismatch" | "prev_hash_mismatch" | "seq_gap" | "anchor_missing_row" | "anchor_mismatch" | "malformed_row";
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
  problems: Problem[];
}

const MAX_PROBLEMS = 50;

export class ChainVerifier {
  private expectedSeq = 1;
  private prevHash = GENESIS_HASH;
  private count = 0;
  private readonly seen = new Map<number, string>();
  private readonly problems: Problem[] = [];

  constructor(private readonly anchor: AuditAnchor | null = null) {}

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
    const { hash, ...rest } = row;
    if ((await rowHash(rest)) !== hash) this.report(row.seq, "hash_mismatch");
    if (this.anchor && row.seq === this.anchor.seq) this.seen.set(row.seq, hash);
    this.expectedSeq = row.seq + 1;
    this.prevHash = hash;
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
      ok: this.problems.length === 0,
      rows: this.count,
      head: { seq: this.expectedSeq - 1, hash: this.prevHash },
      anchor,
      problems: this.problems,
    };
  }

  private report(seq: number, kind: ProblemKind): void {
    this.problem({ seq, kind });
  }

  private problem(p: Problem): void {
    if (this.problems.length < MAX_PROBLEMS) this.problems.push(p);
  }
}

export async function verifyAuditRows(rows: readonly unknown[], anchor: AuditAnchor | null): Promise<VerifyReport> {
  const v = new ChainVerifier(anchor);
  for (const r of rows) await v.push(r);
  return v.finish();
}

const PAGE = 500;

/** Reads the chain in pages of PAGE rows (D1 responses are size-limited) and verifies it. */
export async function verifyAuditChain(db: D1Database, anchor: AuditAnchor | null): Promise<VerifyReport> {
  const v = new ChainVerifier(anchor);
  // Below any seq, so tampered rows with seq <= 0 are still read and reported.
  let after = Number.MIN_SAFE_INTEGER;
  for (;;) {
    const { results } = await db
      .prepare("SELECT seq, created_at, tenant_id, actor, action, target, detail, prev_hash, hash FROM audit_log WHERE seq > ? ORDER BY seq LIMIT ?")
      .bind(after, PAGE)
      .all();
    for (const r of results) await v.push(r);
    // seq is the INTEGER PRIMARY KEY (rowid), the one column SQLite keeps an integer.
    const last = Number((results.at(-1) as { seq?: unknown } | undefined)?.seq);
    if (results.length < PAGE || !Number.isSafeInteger(last)) break;
    after = last;
  }
  return v.finish();
}
