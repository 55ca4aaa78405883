/**
 * Persists a panel result: the evaluation row and one ledger row (kind 'judge') per judge,
 * carrying the parent's tenant, key and feature so judging cost lands on whoever caused it.
 * Same idempotency as the request ledger (ON CONFLICT DO NOTHING + nonce-gated rollup).
 */
import { costUsd } from "../../../../shared/pricing";
import type { UsageEvent } from "../../../../shared/schemas/usage-event";
import type { LedgerRow } from "../ledger/ledger-row";
import { ledgerStatements } from "../ledger/ledger-statements";
import type { PriceBook } from "../pricing/price-book";
import type { JudgeOutcome, PanelResult } from "./panel";

/** What billing needs from one judge's calls (panel rubrics or a cache audit). */
export type BilledJudge = Pick<JudgeOutcome, "name" | "model" | "usage" | "error"> & { scores: object };

/** `purpose` names the row (`<parent>#judge:<name>`, `<parent>#cache-audit:<name>`), so the two never collide. */
export function judgeLedgerRow(event: UsageEvent, judge: BilledJudge, book: PriceBook, now: number, purpose = "judge"): LedgerRow {
  const pricing = book.priceAt(event.tenantId, judge.model, now);
  return {
    requestId: `${event.requestId}#${purpose}:${judge.name}`,
    tenantId: event.tenantId,
    kind: "judge",
    parentRequestId: event.requestId,
    keyId: event.keyId,
    feature: event.feature ?? "",
    endUser: event.endUser,
    requestedModel: judge.model,
    model: judge.model,
    tier: "judge",
    upstream: judge.name,
    status: judge.error && Object.keys(judge.scores).length === 0 ? 502 : 200,
    errorCode: judge.error ? "judge_error" : null,
    cacheStatus: "off",
    usage: judge.usage,
    costUsd: pricing ? costUsd(judge.usage, pricing) : 0,
    priceSource: pricing ? "table" : "event",
    counterfactualCostUsd: null,
    costAvoidedUsd: 0,
    latencyMs: 0,
    ttftMs: null,
    routeComplexity: null,
    routeIntent: null,
    receivedAt: now,
    completedAt: now,
  };
}

const INSERT_EVALUATION = `INSERT INTO evaluations (request_id, tenant_id, feature, model, tier, status, score_mean, disagreement,
  checks_json, judges_json, judge_cost_usd, panel_version, completed_at, evaluated_at)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14) ON CONFLICT (request_id) DO NOTHING`;

export function evaluationStatements(
  db: D1Database,
  event: UsageEvent,
  panel: PanelResult,
  book: PriceBook,
  version: string,
  nonce: string,
  now: number,
): D1PreparedStatement[] {
  const rows = panel.judges.map((j) => judgeLedgerRow(event, j, book, now));
  const judgeCost = rows.reduce((s, r) => s + r.costUsd, 0);
  const judges = panel.judges.map((j) => ({ name: j.name, model: j.model, version: j.version, weight: j.weight, scores: j.scores, error: j.error }));
  const evaluation = db
    .prepare(INSERT_EVALUATION)
    .bind(
      event.requestId, event.tenantId, event.feature ?? "", event.model ?? "", event.tier ?? "", "ok", panel.scoreMean,
      panel.disagreement ? 1 : 0, JSON.stringify({ ...panel.checks, rubricMeans: panel.rubricMeans }), JSON.stringify(judges),
      judgeCost, version, event.completedAt, now,
    );
  return [evaluation, ...rows.flatMap((r) => ledgerStatements(db, r, nonce, now))];
}

/** Judges stayed unreachable for the whole retry budget: record the gap and let the message go. */
export function evaluationErrorStatement(db: D1Database, event: UsageEvent, reason: string, version: string, now: number): D1PreparedStatement {
  return db
    .prepare(INSERT_EVALUATION)
    .bind(
      event.requestId, event.tenantId, event.feature ?? "", event.model ?? "", event.tier ?? "", "error", null, 0,
      JSON.stringify({ error: reason.slice(0, 500) }), "[]", 0, version, event.completedAt, now,
    );
}

export async function isEvaluated(db: D1Database, tenantId: string, requestId: string): Promise<boolean> {
  const row = await db.prepare("SELECT 1 AS x FROM evaluations WHERE tenant_id = ?1 AND request_id = ?2").bind(tenantId, requestId).first();
  return row !== null;
}
