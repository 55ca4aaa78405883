/**
 * GET /v1/drift's answer (workers/gateway/src/usage/drift-alarms.ts), as the gateway writes it
 * and the web console (console/) reads it: plain types, no runtime, so both builds import them.
 */
export interface DriftSnapshot {
  period: string;
  windowStart: string;
  metric: string;
  psi: number;
  kl: number;
  currentN: number;
  baselineN: number;
  baselineFrom: string;
  baselineTo: string;
  alarm: boolean;
  computedAt: string;
}

export interface DriftReport {
  object: "list";
  tenantId: string;
  from: string;
  to: string;
  /** Windows in the range that raised an alarm (all of them, not only those listed). */
  alarms: number;
  data: DriftSnapshot[];
}
