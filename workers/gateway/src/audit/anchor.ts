/**
 * Anchors the audit head outside D1 (KV `audit:anchor`), so someone who can rewrite D1 cannot
 * silently drop the newest rows or rebuild the whole chain: the anchored (seq, hash) must still
 * be in the chain. The anchor only moves forward; a head behind the anchor is left for verify
 * to report instead of being papered over. Called after admin writes (ctx.waitUntil) and from
 * any periodic job; rows appended after the last anchor are protected only by the chain itself.
 */
import { readAuditHead } from "./hash-chain";
import { AuditAnchorSchema, type AuditAnchor } from "./verify";

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
  const [head, current] = await Promise.all([readAuditHead(db), readAnchor(kv)]);
  if (head.seq === 0 || (current && current.seq >= head.seq)) return current;
  const anchor: AuditAnchor = { seq: head.seq, hash: head.hash, anchoredAt: now };
  await kv.put(ANCHOR_KEY, JSON.stringify(anchor));
  return anchor;
}
