/**
 * Circuit breaker per upstream model, shared across isolates through a Durable Object (one
 * instance per model id), with an isolate-local view so the healthy path costs no round trip:
 * the view is refreshed in the background at most every `refreshMs`, failures are reported
 * (and the new state read back) synchronously, and while open only the DO hands out the one
 * half-open probe.
 */
import { DurableObject } from "cloudflare:workers";
import {
  acquireProbe,
  CLOSED,
  DEFAULT_BREAKER,
  recordOutcome,
  viewOf,
  type BreakerState,
  type BreakerView,
} from "./circuit-breaker-state";

const STATE_KEY = "state";

export class CircuitBreaker extends DurableObject {
  private async load(): Promise<BreakerState> {
    return (await this.ctx.storage.get<BreakerState>(STATE_KEY)) ?? CLOSED;
  }

  async view(): Promise<BreakerView> {
    return viewOf(await this.load(), DEFAULT_BREAKER);
  }

  async report(ok: boolean): Promise<BreakerView> {
    const prev = await this.load();
    if (ok && prev.phase === "closed" && prev.consecutiveFailures === 0) return viewOf(prev, DEFAULT_BREAKER);
    const next = recordOutcome(prev, ok, Date.now(), DEFAULT_BREAKER);
    await this.ctx.storage.put(STATE_KEY, next);
    return viewOf(next, DEFAULT_BREAKER);
  }

  async probe(): Promise<boolean> {
    const { granted, state } = acquireProbe(await this.load(), Date.now(), DEFAULT_BREAKER);
    await this.ctx.storage.put(STATE_KEY, state);
    return granted;
  }
}

interface LocalView {
  view: BreakerView;
  fetchedAt: number;
}

const REFRESH_MS = 1_000;
const localViews = new Map<string, LocalView>();

export interface BreakerClient {
  /** May we call this upstream now? Closed: yes at no cost; open: only with the probe. */
  allow(upstreamKey: string): Promise<boolean>;
  report(upstreamKey: string, ok: boolean): Promise<void>;
}

export function createBreakerClient(
  namespace: DurableObjectNamespace<CircuitBreaker>,
  waitUntil: (p: Promise<unknown>) => void,
): BreakerClient {
  const stub = (key: string) => namespace.get(namespace.idFromName(key));
  const remember = (key: string, view: BreakerView) => localViews.set(key, { view, fetchedAt: Date.now() });

  return {
    async allow(key) {
      const local = localViews.get(key);
      const now = Date.now();
      if (!local || now - local.fetchedAt > REFRESH_MS) {
        // Refresh off the hot path; an unknown upstream is presumed healthy. The stale view is
        // re-stamped first so that concurrent requests do not each start a refresh.
        localViews.set(key, { view: local?.view ?? viewOf(CLOSED, DEFAULT_BREAKER), fetchedAt: now });
        waitUntil(stub(key).view().then((v) => remember(key, v), () => undefined));
      }
      if (!local || local.view.phase === "closed") return true;
      return stub(key).probe();
    },
    async report(key, ok) {
      const local = localViews.get(key);
      if (ok && (!local || local.view.phase === "closed")) return;
      try {
        remember(key, await stub(key).report(ok));
      } catch {
        // The breaker is advisory: losing one report must never fail a request.
      }
    },
  };
}

/** A breaker that never opens, for contexts without the binding (unit tests, benches). */
export const NO_BREAKER: BreakerClient = { allow: async () => true, report: async () => undefined };
