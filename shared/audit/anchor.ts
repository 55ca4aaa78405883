/**
 * Anchors the audit head outside D1 (KV `audit:anchor`), so someone who can rewrite D1 cannot
 * silently drop the newest rows or rebuild the whole chain: the anchored (seq, hash) must still
 * be in the chain. The anchor only moves forward, and only over rows that verify (from the
 * current anchor on); a head behind the anchor, or a broken row, is left for verify to report
 * instead of being papered over. Called after admin writes (ctx.waitUntil) and from
 * any periodic job; rows appended after the last anchor are protected only by the chain itself.
 */
import { AuditAnchorSchema, verifyFromAnchor, type AuditAnchor } from "./verify";

export const ANCHOR_KEY = "audit:anchor";

export async function readAnchor(kv: KVNamespace): Promise<AuditAnchor | null> {
  const raw = await kv.get(ANCHOR_KEY);
  if (raw === null) return null;
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    json = null;
  }
  const parsed = AuditAnchorSchema.safeParse(json);
  if (!parsed.success) console.warn(JSON.stringify({ event: "audit_anchor_unreadable" }));
  return parsed.success ? parsed.data : null;
}

export async function anchorAuditHead(db: D1Database, kv: KVNamespace, now = Date.now()): Promise<AuditAnchor | null> {
  const current = await readAnchor(kv);
  // Verify before anchoring: the anchor never moves past a row that does not verify (a forged
  // tail row would otherwise be pinned as genuine by the next admin write).
  const { head, problems } = await verifyFromAnchor(db, current);
  if (problems.length > 0) {
    const first = problems.slice(0, 5).map((p) => ({ seq: p.seq, kind: p.kind }));
    console.warn(JSON.stringify({ event: "audit_anchor_held", anchoredSeq: current?.seq ?? null, verifiedSeq: head?.seq ?? null, problems: first }));
  }
  if (!head || head.seq === 0 || (current && current.seq >= head.seq)) return current;
  const anchor: AuditAnchor = { seq: head.seq, hash: head.hash, anchoredAt: now };
  await kv.put(ANCHOR_KEY, JSON.stringify(anchor));
  return anchor;
}
