/**
 * A stored audit row as the verifier sees it: a well-formed row, or why it is not. Rows are
 * only ever written by prepareAudit, so a malformed one (created_at 'yesterday', a detail that
 * is not a JSON object, NULL where the chain needs a value) was written by hand: it is reported
 * with a bounded view of the row, never thrown (the verifier must survive what it is checking).
 */
import { AuditRowSchema, type AuditRow } from "./hash-chain";

export type ParsedRow =
  | { ok: true; row: AuditRow }
  | { ok: false; seq: number | null; hash: string | null; reason: string; view: Record<string, unknown> };

const MAX_VIEW_CHARS = 200;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

function viewOf(raw: Record<string, unknown>): Record<string, unknown> {
  const cell = (v: unknown): unknown => {
    if (typeof v === "string") return v.length > MAX_VIEW_CHARS ? `${v.slice(0, MAX_VIEW_CHARS)}…` : v;
    if (v === null || typeof v === "number" || typeof v === "boolean") return v;
    return `[${typeof v}]`;
  };
  return Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, cell(v)]));
}

function detailIsJsonObject(detail: string): boolean {
  try {
    return isRecord(JSON.parse(detail));
  } catch {
    return false;
  }
}

export function parseAuditRow(raw: unknown): ParsedRow {
  const obj = isRecord(raw) ? raw : {};
  const bad = (reason: string): ParsedRow => ({
    ok: false,
    seq: typeof obj.seq === "number" && Number.isSafeInteger(obj.seq) ? obj.seq : null,
    hash: typeof obj.hash === "string" ? obj.hash : null,
    reason,
    view: viewOf(obj),
  });
  const parsed = AuditRowSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return bad(issue ? `${issue.path.join(".") || "row"}: ${issue.message}` : "not an audit row");
  }
  if (!detailIsJsonObject(parsed.data.detail)) return bad("detail: not a JSON object");
  return { ok: true, row: parsed.data };
}
