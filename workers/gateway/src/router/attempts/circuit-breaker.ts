/**
 * Circuit breaker per upstream model, shared across isolates through a Durable Object (one
 * instance per model id), with an isolate-local view so the healthy path costs no round trip:
 * the view is refreshed in the background at most every `REFRESH_MS`; successes are counted
 * locally and sent in the background at most every `FLUSH_MS` (or with the next failure, so the
 * window never sees this isolate's failures without its successes); failures and probe results
 * are sent at once and the new state read back. While open, the local view denies without a
 * round trip until the open period is over; then only the DO hands out the one probe.
 */
import { DurableObject } from "cloudflare:workers";
import {
  acquireProbe,
  BreakerStateSchema,
  DEFAULT_BREAKER,
  initialState,
  recordOutcomes,
  viewOf,
  type Admission,
  type BreakerState,
  type BreakerView,
  type Outcomes,
  type Transition,
} from "./circuit-breaker-state";

const STATE_KEY = "state";

export class CircuitBreaker extends DurableObject {
  private async load(): Promise<BreakerState> {
    // A state stored by an older version of this class reads as closed rather than failing calls.
    const parsed = BreakerStateSchema.safeParse(await this.ctx.storage.get(STATE_KEY));
    return parsed.success ? parsed.data : initialState();
  }

  private async save(model: string, prev: BreakerState, next: BreakerState): Promise<void> {
    await this.ctx.storage.put(STATE_KEY, next);
    // One structured log line per transition: what an operator greps for in Workers Logs.
    for (const t of next.transitions.filter((t) => !prev.transitions.includes(t))) {
      console.log(JSON.stringify({ msg: "circuit breaker", model, from: t.from, to: t.to, reason: t.reason }));
    }
  }

  async view(): Promise<BreakerView> {
    return viewOf(await this.load());
  }

  async record(model: string, outcomes: Outcomes): Promise<BreakerView> {
    const prev = await this.load();
    const next = recordOutcomes(prev, outcomes, Date.now(), DEFAULT_BREAKER);
    await this.save(model, prev, next);
    return viewOf(next);
  }

  async admit(model: string, leaseMs: number): Promise<{ admission: Admission; view: BreakerView }> {
    const prev = await this.load();
    const { admission, state } = acquireProbe(prev, Date.now(), leaseMs, DEFAULT_BREAKER);
    if (state !== prev) await this.save(model, prev, state);
    return { admission, view: viewOf(state) };
  }

  /** The last transitions, oldest first (for operators and bench:faults). */
  async transitions(): Promise<Transition[]> {
    return (await this.load()).transitions;
  }
}

export type CallOutcome = "ok" | "failed" | "released";

export interface BreakerClient {
  /** May this request call the model now: freely (closed), as the one probe, or not at all. */
  admit(model: string, leaseMs: number): Promise<Admission>;
  /** One finished client request on this model ("released": it ended without a verdict, e.g. the client left). */
  report(model: string, outcome: CallOutcome, probe: boolean): Promise<void>;
}

const REFRESH_MS = 1_000;
const FLUSH_MS = 1_000;
const localViews = new Map<string, { view: BreakerView; fetchedAt: number }>();
const pendingOk = new Map<string, { count: number; flushedAt: number }>();

export function createBreakerClient(namespace: DurableObjectNamespace<CircuitBreaker>, waitUntil: (p: Promise<unknown>) => void): BreakerClient {
  const stub = (model: string) => namespace.get(namespace.idFromName(model));
  const remember = (model: string, view: BreakerView) => localViews.set(model, { view, fetchedAt: Date.now() });
  const send = async (model: string, outcomes: Outcomes) => {
    try {
      remember(model, await stub(model).record(model, outcomes));
    } catch {
      // The breaker is advisory: losing one report must never fail a request.
    }
  };
  const takePending = (model: string, now: number): number => {
    const p = pendingOk.get(model);
    pendingOk.set(model, { count: 0, flushedAt: now });
    return p?.count ?? 0;
  };

  return {
    async admit(model, leaseMs) {
      const local = localViews.get(model);
      const now = Date.now();
      if (!local || now - local.fetchedAt > REFRESH_MS) {
        // Refresh off the hot path; an unknown upstream is presumed healthy. The stale view is
        // re-stamped first so that concurrent requests do not each start a refresh.
        localViews.set(model, { view: local?.view ?? viewOf(initialState()), fetchedAt: now });
        waitUntil(stub(model).view().then((v) => remember(model, v), () => undefined));
      }
      if (!local || local.view.phase === "closed") return "closed";
      if (local.view.openUntil !== null && now < local.view.openUntil) return "denied";
      try {
        const { admission, view } = await stub(model).admit(model, leaseMs);
        remember(model, view);
        return admission;
      } catch {
        return "closed";
      }
    },
    async report(model, outcome, probe) {
      const now = Date.now();
      if (!probe && outcome === "released") return;
      if (!probe && outcome === "ok") {
        const p = pendingOk.get(model) ?? { count: 0, flushedAt: 0 };
        pendingOk.set(model, { ...p, count: p.count + 1 });
        if (now - p.flushedAt >= FLUSH_MS) waitUntil(send(model, { ok: takePending(model, now), failed: 0 }));
        return;
      }
      const ok = takePending(model, now) + (outcome === "ok" ? 1 : 0);
      await send(model, { ok, failed: outcome === "failed" ? 1 : 0, ...(probe ? { probe: outcome } : {}) });
    },
  };
}

/** A breaker that never opens, for contexts without the binding (unit tests, benches). */
export const NO_BREAKER: BreakerClient = { admit: async () => "closed", report: async () => undefined };
