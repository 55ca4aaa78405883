/**
 * Evaluations as OpenTelemetry `gen_ai.evaluation.result` events (semconv 1.39.0, gen-ai,
 * "Development"), in the trace of the request they judge: the gateway puts its server span's
 * traceparent in the usage event's decisions; after a batch is consumed, the evaluations
 * committed for those events are read back from D1 (only what was really recorded) and sent
 * as one `evaluation` span per request, a child of that server span, with one event for the
 * panel's mean score and one per rubric. A strong-judge re-score (judge/escalation.ts) is sent
 * the same way once the escalation consumer stored it, as an `evaluation escalation` span whose
 * span and events carry `gateway.evaluation.escalated` = true: its panel score is the merged
 * verdict that replaced the first pass. Off when no OTLP endpoint is configured; a failure
 * never affects the batch (it is already acked or retried by then).
 */
import { otelConfig, type OtelVars } from "../../../../shared/otel/config";
import { exporterFor } from "../../../../shared/otel/exporter";
import { SpanKind, type SpanData, type SpanEvent } from "../../../../shared/otel/span";
import { spanDataSource } from "../../../../shared/otel/span-sink";
import { newSpanId, parseTraceparent } from "../../../../shared/otel/trace-context";
import type { EscalationMessage } from "../judge/escalation";
import { parseMessage } from "../process-event";

export const EVALUATOR_SERVICE_NAME = "llm-gateway-evaluator";

interface Traced {
  traceId: string;
  parentSpanId: string;
  model: string | null;
}

interface EvaluationRow {
  request_id: string;
  status: string;
  score_mean: number | null;
  disagreement: number;
  checks_json: string;
  panel_version: string;
  evaluated_at: number;
  escalation: string | null;
  escalation_state: string | null;
}

const OTEL_VARS = ["OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "OTEL_EXPORTER_OTLP_HEADERS", "OTEL_SERVICE_NAME", "OTEL_TRACES_SAMPLER_ARG"] as const;

function otelVars(env: Record<string, unknown>): OtelVars {
  const out: OtelVars = {};
  for (const k of OTEL_VARS) if (typeof env[k] === "string") out[k] = env[k];
  return out;
}

/** The sampled traces of a batch's events, by request id. */
export function tracedEvents(messages: readonly Message<unknown>[]): Map<string, Traced> {
  const out = new Map<string, Traced>();
  for (const msg of messages) {
    const parsed = parseMessage(msg.body);
    if (!parsed.ok) continue;
    for (const e of parsed.events) {
      if (!e.parsed.ok) continue;
      const { event } = e.parsed;
      const tp = event.decisions["traceparent"];
      const ctx = typeof tp === "string" ? parseTraceparent(tp) : null;
      if (ctx?.parentSpanId && (ctx.flags & 1) === 1) out.set(event.requestId, { traceId: ctx.traceId, parentSpanId: ctx.parentSpanId, model: event.model });
    }
  }
  return out;
}

function rubricMeans(checksJson: string): Array<[string, number]> {
  try {
    const checks = JSON.parse(checksJson) as { rubricMeans?: Record<string, unknown> };
    return Object.entries(checks.rubricMeans ?? {}).filter((e): e is [string, number] => typeof e[1] === "number" && Number.isFinite(e[1]));
  } catch {
    return [];
  }
}

/** `escalated`: the strong judges' re-score (evaluated_at is then when it was stored). */
export function evaluationSpan(row: EvaluationRow, t: Traced, escalated = false): SpanData {
  const at = row.evaluated_at;
  const mark = escalated ? { "gateway.evaluation.escalated": true } : {};
  const result = (name: string, score: number | null, extra: Record<string, string | number | boolean | null> = {}): SpanEvent => ({
    name: "gen_ai.evaluation.result",
    timeMs: at,
    attributes: { "gen_ai.evaluation.name": name, "gen_ai.evaluation.score.value": score, ...mark, ...extra },
  });
  const error = row.status !== "ok" ? "judges_unavailable" : escalated && row.escalation_state === "error" ? "strong_judges_unavailable" : null;
  const events =
    row.status === "ok"
      ? [result("panel", row.score_mean, { "gateway.evaluation.disagreement": row.disagreement === 1, ...(error ? { "error.type": error } : {}) }), ...rubricMeans(row.checks_json).map(([name, mean]) => result(name, mean))]
      : [result("panel", null, { "error.type": "judges_unavailable" })];
  const escalation = escalated ? { ...mark, "gateway.evaluation.escalation_reasons": row.escalation } : {};
  return {
    traceId: t.traceId,
    spanId: newSpanId(),
    parentSpanId: t.parentSpanId,
    name: escalated ? "evaluation escalation" : "evaluation",
    kind: SpanKind.INTERNAL,
    startMs: at,
    endMs: at,
    attributes: { "gen_ai.operation.name": "evaluation", "gen_ai.request.model": t.model, "gateway.request.id": row.request_id, "gateway.evaluation.panel_version": row.panel_version, ...escalation, "error.type": error },
    events,
  };
}

async function committedRows(db: D1Database, ids: readonly string[]): Promise<EvaluationRow[]> {
  const rows: EvaluationRow[] = [];
  for (let i = 0; i < ids.length; i += 90) {
    const chunk = ids.slice(i, i + 90);
    const { results } = await db
      .prepare(
        `SELECT request_id, status, score_mean, disagreement, checks_json, panel_version, evaluated_at, escalation, escalation_state FROM evaluations WHERE request_id IN (${chunk.map((_, k) => `?${k + 1}`).join(", ")})`,
      )
      .bind(...chunk)
      .all<EvaluationRow>();
    rows.push(...results);
  }
  return rows;
}

async function send(db: D1Database, env: Record<string, unknown>, traced: Map<string, Traced>, escalated: boolean): Promise<void> {
  const config = otelConfig(otelVars(env), EVALUATOR_SERVICE_NAME);
  if (!config || traced.size === 0) return;
  const rows = await committedRows(db, [...traced.keys()]);
  if (rows.length === 0) return;
  await exporterFor(config).add(spanDataSource(() => rows.flatMap((r) => (traced.has(r.request_id) ? [evaluationSpan(r, traced.get(r.request_id) as Traced, escalated)] : []))));
}

/** Sends the batch's committed evaluations (nothing when tracing is off or none were traced). */
export async function exportEvaluations(db: D1Database, env: Record<string, unknown>, messages: readonly Message<unknown>[]): Promise<void> {
  await send(db, env, tracedEvents(messages), false);
}

/** Sends the re-scores the escalation consumer stored in this delivery (sampled traces only). */
export async function exportRescores(db: D1Database, env: Record<string, unknown>, rescored: readonly EscalationMessage[]): Promise<void> {
  const traced = new Map<string, Traced>();
  for (const m of rescored) {
    const ctx = m.traceparent ? parseTraceparent(m.traceparent) : null;
    if (ctx?.parentSpanId && (ctx.flags & 1) === 1) traced.set(m.request.requestId, { traceId: ctx.traceId, parentSpanId: ctx.parentSpanId, model: m.request.model });
  }
  await send(db, env, traced, true);
}
