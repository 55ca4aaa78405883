/**
 * The circuit breaker's state machine, pure so it is tested without a runtime.
 *
 * Closed, it keeps a sliding window of client-request outcomes on one model (one request counts
 * once, however many retries it made there) and opens when, over at least `minRequests`
 * requests in the window, the share that failed reaches `failureRatio` (as Envoy's outlier
 * detection "failure percentage" and LiteLLM's cooldowns do). A flaky upstream that retries
 * still rescue therefore never opens it; an upstream that fails requests outright does.
 * Open, it waits `openMs` (doubled by each failed probe, up to `maxOpenMs`, reset on close),
 * then hands exactly one caller a half-open probe, a single upstream call: its success closes
 * the circuit with an empty window, its failure re-opens it, and a probe whose caller went away
 * (or never reports back within its lease) frees the slot for the next caller at once.
 */
import { z } from "zod";

export interface BreakerConfig {
  windowMs: number;
  bucketMs: number;
  minRequests: number;
  failureRatio: number;
  openMs: number;
  maxOpenMs: number;
  /** Lease of a probe whose caller did not say how long its call may take. */
  defaultProbeLeaseMs: number;
  /** Transitions kept for operators and benches. */
  historySize: number;
}

export const DEFAULT_BREAKER: BreakerConfig = {
  windowMs: 10_000,
  bucketMs: 1_000,
  // Envoy's default request volume is 50 per interval; 20 keeps a small window from opening on
  // noise (at a true 20% request failure rate, P(>= 10 of 20 fail) is 0.3%; of 10, 3%).
  minRequests: 20,
  failureRatio: 0.5,
  openMs: 5_000,
  maxOpenMs: 60_000,
  defaultProbeLeaseMs: 15_000,
  historySize: 50,
};

export type BreakerPhase = "closed" | "open" | "half-open";

const BucketSchema = z.object({ at: z.number(), ok: z.number().int().nonnegative(), failed: z.number().int().nonnegative() });
const TransitionSchema = z.object({ at: z.number(), from: z.enum(["closed", "open", "half-open"]), to: z.enum(["closed", "open", "half-open"]), reason: z.string() });
export type Transition = z.infer<typeof TransitionSchema>;

/** Stored in the Durable Object; anything else found there (an older shape) reads as closed. */
export const BreakerStateSchema = z.object({
  phase: z.enum(["closed", "open", "half-open"]),
  buckets: z.array(BucketSchema),
  openedAt: z.number().nullable(),
  openMs: z.number(),
  /** When the outstanding probe's lease ends; null = no probe out. */
  probeExpiresAt: z.number().nullable(),
  transitions: z.array(TransitionSchema),
});
export type BreakerState = z.infer<typeof BreakerStateSchema>;

export const initialState = (cfg: BreakerConfig = DEFAULT_BREAKER): BreakerState => ({
  phase: "closed",
  buckets: [],
  openedAt: null,
  openMs: cfg.openMs,
  probeExpiresAt: null,
  transitions: [],
});

/** What callers cache: the phase, and until when an open circuit certainly stays open. */
export interface BreakerView {
  phase: BreakerPhase;
  openUntil: number | null;
}

export function viewOf(state: BreakerState): BreakerView {
  return { phase: state.phase, openUntil: state.phase === "open" && state.openedAt !== null ? state.openedAt + state.openMs : null };
}

/** What one report carries: counts of finished client requests, and the probe's result if it is one. */
export interface Outcomes {
  ok: number;
  failed: number;
  probe?: "ok" | "failed" | "released";
}

export function recordOutcomes(state: BreakerState, outcomes: Outcomes, now: number, cfg: BreakerConfig = DEFAULT_BREAKER): BreakerState {
  const buckets = addToWindow(state.buckets, outcomes, now, cfg);
  const next = { ...state, buckets };
  if (state.phase === "half-open" && outcomes.probe) return settleProbe(next, outcomes.probe, now, cfg);
  if (state.phase !== "closed") return next;
  const { ok, failed } = totals(buckets);
  if (ok + failed >= cfg.minRequests && failed / (ok + failed) >= cfg.failureRatio) {
    return transition({ ...next, openedAt: now, openMs: cfg.openMs, probeExpiresAt: null }, "open", now, `${failed} of ${ok + failed} requests failed in ${cfg.windowMs / 1000} s`, cfg);
  }
  return next;
}

function settleProbe(state: BreakerState, probe: NonNullable<Outcomes["probe"]>, now: number, cfg: BreakerConfig): BreakerState {
  if (probe === "released") return { ...state, probeExpiresAt: null };
  if (probe === "ok") return transition({ ...state, buckets: [], openedAt: null, openMs: cfg.openMs, probeExpiresAt: null }, "closed", now, "probe succeeded", cfg);
  const openMs = Math.min(cfg.maxOpenMs, state.openMs * 2);
  return transition({ ...state, openedAt: now, openMs, probeExpiresAt: null }, "open", now, "probe failed", cfg);
}

export type Admission = "closed" | "probe" | "denied";

/** Closed: everyone may call. Open past its time, or half-open with a free slot: one probe. */
export function acquireProbe(state: BreakerState, now: number, leaseMs: number, cfg: BreakerConfig = DEFAULT_BREAKER): { admission: Admission; state: BreakerState } {
  if (state.phase === "closed") return { admission: "closed", state };
  if (state.phase === "open") {
    if (state.openedAt !== null && now < state.openedAt + state.openMs) return { admission: "denied", state };
    return { admission: "probe", state: transition({ ...state, probeExpiresAt: now + leaseMs }, "half-open", now, "open period over", cfg) };
  }
  if (state.probeExpiresAt !== null && now < state.probeExpiresAt) return { admission: "denied", state };
  return { admission: "probe", state: { ...state, probeExpiresAt: now + leaseMs } };
}

export function totals(buckets: readonly { ok: number; failed: number }[]): { ok: number; failed: number } {
  return buckets.reduce((t, b) => ({ ok: t.ok + b.ok, failed: t.failed + b.failed }), { ok: 0, failed: 0 });
}

function addToWindow(buckets: BreakerState["buckets"], o: Outcomes, now: number, cfg: BreakerConfig): BreakerState["buckets"] {
  const at = now - (now % cfg.bucketMs);
  const kept = buckets.filter((b) => b.at > now - cfg.windowMs);
  if (o.ok === 0 && o.failed === 0) return kept;
  const last = kept.at(-1);
  if (last && last.at === at) return [...kept.slice(0, -1), { at, ok: last.ok + o.ok, failed: last.failed + o.failed }];
  return [...kept, { at, ok: o.ok, failed: o.failed }];
}

function transition(state: BreakerState, to: BreakerPhase, now: number, reason: string, cfg: BreakerConfig): BreakerState {
  const transitions = [...state.transitions, { at: now, from: state.phase, to, reason }].slice(-cfg.historySize);
  return { ...state, phase: to, transitions };
}
