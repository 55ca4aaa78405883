/**
 * The circuit breaker's state machine, pure so it is tested without a runtime. Closed counts
 * consecutive failures; at `failureThreshold` it opens for `openMs`; after that exactly one
 * caller gets a half-open probe, whose outcome closes or re-opens the circuit.
 */
export interface BreakerConfig {
  failureThreshold: number;
  openMs: number;
  /** A probe that never reports back frees the half-open slot after this long. */
  probeTimeoutMs: number;
}

export const DEFAULT_BREAKER: BreakerConfig = { failureThreshold: 5, openMs: 30_000, probeTimeoutMs: 30_000 };

export type BreakerPhase = "closed" | "open" | "half-open";

export interface BreakerState {
  phase: BreakerPhase;
  consecutiveFailures: number;
  openedAt: number | null;
  probeStartedAt: number | null;
}

export const CLOSED: BreakerState = { phase: "closed", consecutiveFailures: 0, openedAt: null, probeStartedAt: null };

/** What callers see: may they call now, and when to ask again. */
export interface BreakerView {
  phase: BreakerPhase;
  /** ms epoch until which the circuit stays open (callers skip the upstream). */
  openUntil: number | null;
}

export function viewOf(state: BreakerState, cfg: BreakerConfig): BreakerView {
  return { phase: state.phase, openUntil: state.openedAt === null ? null : state.openedAt + cfg.openMs };
}

export function recordOutcome(state: BreakerState, ok: boolean, now: number, cfg: BreakerConfig): BreakerState {
  if (ok) return CLOSED;
  if (state.phase === "half-open") return { phase: "open", consecutiveFailures: state.consecutiveFailures + 1, openedAt: now, probeStartedAt: null };
  const failures = state.consecutiveFailures + 1;
  if (state.phase === "closed" && failures >= cfg.failureThreshold) {
    return { phase: "open", consecutiveFailures: failures, openedAt: now, probeStartedAt: null };
  }
  return { ...state, consecutiveFailures: failures };
}

/** Grants the single half-open probe once the open period is over. */
export function acquireProbe(state: BreakerState, now: number, cfg: BreakerConfig): { granted: boolean; state: BreakerState } {
  if (state.phase === "closed") return { granted: true, state };
  if (state.phase === "open") {
    if (state.openedAt !== null && now - state.openedAt >= cfg.openMs) {
      return { granted: true, state: { ...state, phase: "half-open", probeStartedAt: now } };
    }
    return { granted: false, state };
  }
  const stale = state.probeStartedAt !== null && now - state.probeStartedAt >= cfg.probeTimeoutMs;
  return stale ? { granted: true, state: { ...state, probeStartedAt: now } } : { granted: false, state };
}
