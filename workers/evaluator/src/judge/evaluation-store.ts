/**
 * Persists judging outcomes: the evaluation row and one ledger row (kind 'judge') per judge,
 * carrying the parent's tenant, key and feature so judging cost lands on whoever caused it.
 * Same idempotency as the request ledger (ON CONFLICT DO NOTHING + nonce-gated rollup); the
 * evaluation carries the nonce too, so the coverage rollup (coverage-store.ts) counts it once.
 */
import { costUsd } from "../../../../shared/pricing";
import type { UsageEvent } from "../../../../shared/schemas/usage-event";
import type { LedgerRow } from "../ledger/ledger-row";
import { ledgerInsert, ledgerStatements } from "../ledger/ledger-statements";
import type { PriceBook } from "../pricing/price-book";
import type { JudgeOutcome, PanelResult } from "./panel";
import type { EscalationReason } from "./policy";
import { EVALUATION_COLUMNS, type ArchivedEvaluation, type EvaluationRecord, type Placement } from "./evaluation-sampling";

/** The parent request as judge billing needs it (a usage event, or an escalation message's copy). */
export type JudgedRequest = Pick<UsageEvent, "requestId" | "tenantId" | "keyId" | "feature" | "endUser" | "model" | "tier" | "completedAt">;

/** What billing needs from one judge's calls (panel rubrics or a cache audit). */
export type BilledJudge = Pick<JudgeOutcome, "name" | "model" | "usage" | "error"> & { scores: object };

export type EscalationState = "pending" | "done" | "skipped" | "error";

export interface Escalation {
  reasons: EscalationReason[];
  state: EscalationState | null;
}

/** `purpose` names the row (`<parent>#judge:<name>`, `<parent>#cache-audit:<name>`), so the two never collide. */
export function judgeLedgerRow(event: JudgedRequest, judge: BilledJudge, book: PriceBook, now: number, purpose = "judge"): LedgerRow {
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

/** What these judges' calls cost at today's prices (for the budget's settlement). */
export function billedUsd(event: JudgedRequest, judges: readonly BilledJudge[], book: PriceBook, now: number): number {
  return judges.reduce((sum, j) => sum + judgeLedgerRow(event, j, book, now).costUsd, 0);
}

const INSERT_EVALUATION = `INSERT INTO evaluations (request_id, tenant_id, feature, model, tier, status, score_mean, disagreement,
  checks_json, judges_json, judge_cost_usd, panel_version, completed_at, evaluated_at, escalation, escalation_state, ingest_nonce, sampled)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18) ON CONFLICT (request_id) DO NOTHING`;

export const judgesJson = (judges: readonly JudgeOutcome[]): string =>
  JSON.stringify(judges.map((j) => ({ name: j.name, model: j.model, version: j.version, weight: j.weight, tier: j.tier, overall: j.overall, scores: j.scores, confidence: j.confidence, error: j.error })));

export const checksJson = (panel: PanelResult): string => JSON.stringify({ ...panel.checks, rubricMeans: panel.rubricMeans, confidence: panel.confidence });

/**
 * The evaluation row and its judges' ledger rows (without their rollup: the writer adds
 * rollupStatements over `ledgerIds` for its whole chunk). A row placed out of D1
 * (evaluation-sampling.ts; only ever one with a judge call) is returned as `archived` for R2.
 */
export function evaluationStatements(
  db: D1Database,
  event: JudgedRequest,
  panel: PanelResult,
  escalation: Escalation,
  book: PriceBook,
  version: string,
  nonce: string,
  now: number,
  placement: Placement = { inD1: true, sampled: true },
): { statements: D1PreparedStatement[]; ledgerIds: string[]; archived?: ArchivedEvaluation } {
  const rows = panel.judges.map((j) => judgeLedgerRow(event, j, book, now));
  const record: EvaluationRecord = {
    request_id: event.requestId, tenant_id: event.tenantId, feature: event.feature ?? "", model: event.model ?? "", tier: event.tier ?? "", status: "ok",
    score_mean: panel.scoreMean, disagreement: panel.disagreement ? 1 : 0, checks_json: checksJson(panel), judges_json: judgesJson(panel.judges),
    judge_cost_usd: rows.reduce((s, r) => s + r.costUsd, 0), panel_version: version, completed_at: event.completedAt, evaluated_at: now,
    escalation: escalation.reasons.length ? escalation.reasons.join(",") : null, escalation_state: escalation.state, ingest_nonce: nonce, sampled: placement.inD1 && !placement.sampled ? 0 : 1,
  };
  const ledger = { statements: rows.map((r) => ledgerInsert(db, r, nonce, now)), ledgerIds: rows.map((r) => r.requestId) };
  const gate = rows[0]?.requestId;
  if (!placement.inD1 && gate !== undefined) return { ...ledger, archived: { row: record, judgeRowId: gate } };
  const evaluation = db.prepare(INSERT_EVALUATION).bind(...EVALUATION_COLUMNS.map((c) => record[c]));
  return { statements: [evaluation, ...ledger.statements], ledgerIds: ledger.ledgerIds };
}

/** Judges stayed unreachable for the whole retry budget: record the gap and let the message go. */
export function evaluationErrorStatement(db: D1Database, event: JudgedRequest, reason: string, version: string, nonce: string, now: number): D1PreparedStatement {
  return db
    .prepare(INSERT_EVALUATION)
    .bind(
      event.requestId, event.tenantId, event.feature ?? "", event.model ?? "", event.tier ?? "", "error", null, 0,
      JSON.stringify({ error: reason.slice(0, 500) }), "[]", 0, version, event.completedAt, now, null, null, nonce, 1,
    );
}

/**
 * The strong judges' verdict on an escalated answer: the row moves from 'pending' once (the
 * fresh nonce marks this delivery's move for the coverage rollup), the strong calls are billed.
 */
export function escalationStatements(db: D1Database, event: JudgedRequest, merged: PanelResult, strong: readonly JudgeOutcome[], book: PriceBook, state: "done" | "error", nonce: string, now: number): D1PreparedStatement[] {
  const rows = strong.map((j) => judgeLedgerRow(event, j, book, now));
  const cost = rows.reduce((s, r) => s + r.costUsd, 0);
  const update = db
    .prepare(
      `UPDATE evaluations SET score_mean = ?1, disagreement = ?2, checks_json = ?3, judges_json = ?4, judge_cost_usd = judge_cost_usd + ?5,
         escalation_state = ?6, evaluated_at = ?7, ingest_nonce = ?8
       WHERE request_id = ?9 AND tenant_id = ?10 AND escalation_state = 'pending'`,
    )
    .bind(merged.scoreMean, merged.disagreement ? 1 : 0, checksJson(merged), judgesJson(merged.judges), cost, state, now, nonce, event.requestId, event.tenantId);
  return [update, ...rows.flatMap((r) => ledgerStatements(db, r, nonce, now))];
}
