/**
 * The chat handler's one observability hook: when the exchange's usage event is published
 * (a stream's last byte), its trace is finished (otel/chat-trace.ts) and its live metrics
 * recorded (metrics/live.ts). Each part costs nothing when switched off.
 */
import type { Context } from "hono";
import type { AppEnv } from "../app-env";
import type { ExchangeResult } from "../chat/build-event";
import type { ChatExchange } from "../chat/exchange";
import { liveEnabled, recordChat, type MetricsBindings } from "./metrics/live";
import { chatTrace } from "./otel/chat-trace";

const str = (v: unknown): string | null => (typeof v === "string" ? v : null);

/** `decisions.streamResumes` (chat/resume/) as the metric's labels; decisions are untyped. */
function resumesOf(v: unknown): Array<{ model: string; outcome: string }> {
  if (!Array.isArray(v)) return [];
  return v.flatMap((r: unknown) => {
    const x = (typeof r === "object" && r !== null ? r : {}) as Record<string, unknown>;
    const model = str(x.model);
    const outcome = str(x.outcome);
    return model && outcome ? [{ model, outcome }] : [];
  });
}

export function observeChat(c: Context<AppEnv>, ex: ChatExchange): ((result: ExchangeResult) => void) | null {
  const traced = chatTrace(c, ex);
  const metrics = liveEnabled(c.env as unknown as MetricsBindings);
  if (!traced && !metrics) return null;
  return (result) => {
    traced?.(result);
    if (!metrics) return;
    const route = (typeof ex.decisions.route === "object" && ex.decisions.route !== null ? ex.decisions.route : {}) as Record<string, unknown>;
    recordChat({
      tenant: ex.auth.tenantId,
      model: ex.answeredBy?.id ?? "",
      tier: ex.answeredBy?.tier ?? "",
      status: result.status,
      cache: ex.cache,
      routeTier: str(route.tier),
      routeReason: str(route.reason),
      durationSeconds: Math.max(0, result.completedAt - ex.receivedAt) / 1000,
      ttftSeconds: result.ttftMs === null ? null : result.ttftMs / 1000,
      attempts: ex.attempts,
      resumes: resumesOf(ex.decisions.streamResumes),
    });
  };
}
