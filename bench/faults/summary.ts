/** bench:faults' numbers for one scenario, from what the clients, simulator, breakers and ledger saw. */
import { percentile } from "../lib/machine";
import type { Sent } from "./drive";
import type { LedgerCheck, ModelTransition } from "./measure";
import type { Scenario } from "./scenarios";

export interface ScenarioResult {
  scenario: Scenario;
  sent: Sent[];
  /** ms epoch when the scenario's load started. */
  startedAt: number;
  wallMs: number;
  transitions: ModelTransition[];
  /** Complete answers the simulator sent during the scenario. */
  upstreamAnswers: number;
  /** Of those, continuations of cut streams the gateway resumed (measure.ts continuationsAnswered). */
  continuations: number;
  ledger: LedgerCheck;
}

export interface Summary {
  requests: number;
  succeeded: number;
  success: number;
  streamedSuccess: number;
  wholeSuccess: number;
  p50Ms: number;
  p99Ms: number;
  /** Share of answered requests served by each tier. */
  servedBy: Record<string, number>;
  /** Mean 1-based number of the upstream call that answered, over answered requests. */
  meanAnsweringCall: number;
  failures: Record<string, number>;
  /** The share this run had to reach (the target, or for a sampled one 3 standard errors under it). */
  bar: number;
  met: boolean;
  /** Percentage points under the bar (0 when met). */
  missByPoints: number;
  ledgerMatches: boolean;
  /** Complete answers billed (200 rows) equal the simulator's complete answers: nothing billed twice. */
  billedOnce: boolean;
}

const shareOk = (xs: readonly Sent[]) => (xs.length === 0 ? Number.NaN : xs.filter((s) => s.ok).length / xs.length);

export function summarize(r: ScenarioResult): Summary {
  const { sent } = r;
  const succeeded = sent.filter((s) => s.ok).length;
  const success = sent.length ? succeeded / sent.length : Number.NaN;
  const latencies = sent.map((s) => s.latencyMs).sort((a, b) => a - b);
  const answered = sent.filter((s) => s.tier !== null);
  const servedBy: Record<string, number> = {};
  for (const s of answered) servedBy[s.tier as string] = (servedBy[s.tier as string] ?? 0) + 1 / answered.length;
  const failures: Record<string, number> = {};
  for (const s of sent) if (!s.ok) failures[s.failure ?? "unknown"] = (failures[s.failure ?? "unknown"] ?? 0) + 1;
  const withAttempt = answered.filter((s) => s.attempt !== null);
  const { target } = r.scenario;
  const bar = target.sampled ? target.success - 3 * Math.sqrt((target.success * (1 - target.success)) / Math.max(1, sent.length)) : target.success;
  return {
    requests: sent.length,
    succeeded,
    success,
    streamedSuccess: shareOk(sent.filter((s) => s.streamed)),
    wholeSuccess: shareOk(sent.filter((s) => !s.streamed)),
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    servedBy,
    meanAnsweringCall: withAttempt.reduce((t, s) => t + (s.attempt as number), 0) / Math.max(1, withAttempt.length),
    failures,
    bar,
    met: success >= bar,
    missByPoints: Math.max(0, 100 * (bar - success)),
    ledgerMatches: r.ledger.rows === sent.length && r.ledger.missing === 0 && r.ledger.extra === 0,
    billedOnce: r.ledger.billedComplete === r.upstreamAnswers,
  };
}
