/**
 * What bench:faults reads besides the clients' view: the simulator's count of complete answers
 * (vLLM's request_success_total), the circuit breakers' transitions (their Durable Objects), and
 * the evaluator's ledger rows for a scenario's tenant.
 */
import type { RunningSimulator } from "../../gpu-backends/simulator/src/server";
import type { Transition } from "../../workers/gateway/src/router/attempts/circuit-breaker-state";
import type { Stack } from "../../test/harness/stack";
import type { Faults } from "./scenarios";

export const MODELS = ["small-sim", "frontier-sim"] as const;

export async function setFaults(sim: RunningSimulator, faults: Faults): Promise<void> {
  for (const [model, patch] of Object.entries(faults)) {
    const res = await fetch(`${sim.url}/_sim/faults`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ model, ...patch }) });
    if (!res.ok) throw new Error(`POST /_sim/faults ${model}: ${res.status} ${await res.text()}`);
  }
}

export async function resetFaults(sim: RunningSimulator): Promise<void> {
  await setFaults(sim, Object.fromEntries(MODELS.map((m) => [m, { reset: true }])));
}

/** Complete answers the simulator has sent, all models (a cut or hung request is not one). */
export function completeAnswers(sim: RunningSimulator): number {
  let n = 0;
  for (const m of sim.state.models.values()) for (const count of m.metrics.success.values()) n += count;
  return n;
}

/**
 * Of those, continuations (`continue_final_message` requests, `sim:continuations_total`): the
 * gateway resuming a cut stream. A resumed stream is one complete answer upstream as well: its
 * cut calls never completed, and only the continuation that finished it did.
 */
export function continuationsAnswered(sim: RunningSimulator): number {
  let n = 0;
  for (const m of sim.state.models.values()) n += m.metrics.continuations;
  return n;
}

export interface ModelTransition extends Transition {
  model: string;
}

export async function transitionsSince(stack: Stack, since: number): Promise<ModelTransition[]> {
  const ns = await stack.mf.getDurableObjectNamespace("CIRCUIT_BREAKER", "llm-gateway");
  const out: ModelTransition[] = [];
  for (const model of MODELS) {
    const stub = ns.get(ns.idFromName(model)) as unknown as { transitions(): Promise<Transition[]> } & Partial<Disposable>;
    const list = (await stub.transitions()) as Transition[] & Partial<Disposable>;
    for (const t of list) if (t.at >= since) out.push({ model, ...t });
    // Miniflare's proxies are RPC stubs: released now rather than whenever they are collected.
    list[Symbol.dispose]?.();
    stub[Symbol.dispose]?.();
  }
  return out.sort((a, b) => a.at - b.at);
}

export interface LedgerCheck {
  rows: number;
  /** Client request ids with no ledger row, and rows no client request id names. */
  missing: number;
  extra: number;
  byStatus: Record<string, number>;
  /** Rows billed as a complete answer (status 200). */
  billedComplete: number;
  costUsd: number;
}

interface LedgerRow {
  request_id: string;
  status: number;
  error_code: string | null;
  cost_usd: number;
}

/** Waits (bounded) for the evaluator to book the scenario's requests, then compares. */
export async function checkLedger(stack: Stack, tenantId: string, requestIds: readonly string[], expected: number, timeoutMs = 60_000): Promise<LedgerCheck> {
  const end = Date.now() + timeoutMs;
  let rows: LedgerRow[];
  for (;;) {
    const res = await stack.db.prepare("SELECT request_id, status, error_code, cost_usd FROM usage_ledger WHERE tenant_id = ?1 AND kind = 'request'").bind(tenantId).all<LedgerRow>();
    rows = res.results;
    if (rows.length >= expected || Date.now() > end) break;
    await new Promise((r) => setTimeout(r, 1_000));
  }
  const ids = new Set(rows.map((r) => r.request_id));
  const sent = new Set(requestIds);
  const byStatus: Record<string, number> = {};
  for (const r of rows) {
    const label = r.error_code ? `${r.status} ${r.error_code}` : String(r.status);
    byStatus[label] = (byStatus[label] ?? 0) + 1;
  }
  return {
    rows: rows.length,
    missing: requestIds.filter((id) => !ids.has(id)).length,
    extra: rows.filter((r) => !sent.has(r.request_id)).length,
    byStatus,
    billedComplete: rows.filter((r) => r.status === 200).length,
    costUsd: rows.reduce((s, r) => s + r.cost_usd, 0),
  };
}
