/**
 * The chat handler's two touch points with tracing, both no-ops when tracing is off (and
 * `chatTrace` when the request's trace is not sampled):
 * `tracedRun` gives run-attempts the traced fetch (traceparent upstream) and the attempt hook;
 * `chatTrace` holds the request's trace until the usage event is published (a stream's
 * end), puts the traceparent in the event's decisions (the evaluator parents its evaluation
 * events to our server span with it), and contributes the exchange's spans.
 */
import type { Context } from "hono";
import type { AppEnv } from "../../app-env";
import type { ExchangeResult } from "../../chat/build-event";
import type { ChatExchange } from "../../chat/exchange";
import type { RunContext } from "../../router/attempts/run-attempts";
import { settingsFor } from "../../settings/settings-store";
import type { TenantSettings } from "../../settings/tenant-settings";
import { ChatSpans } from "./chat-spans";

export function tracedRun(c: Context<AppEnv>): Pick<RunContext, "fetch" | "onAttempt"> | null {
  const trace = c.get("otel");
  return trace ? { fetch: trace.fetch, onAttempt: trace.onAttempt } : null;
}

export function chatTrace(c: Context<AppEnv>, ex: ChatExchange): ((result: ExchangeResult) => void) | null {
  const trace = c.get("otel");
  // An unsampled trace exports nothing, so there is nothing to hold or contribute.
  if (!trace?.context.sampled) return null;
  trace.hold();
  ex.decisions.traceparent = trace.traceparent;
  const waitUntil = (p: Promise<unknown>) => {
    try {
      c.executionCtx.waitUntil(p);
    } catch {
      // No ExecutionContext (app.request in unit tests): the promise just runs.
    }
  };
  return (result) => {
    const finish = (captureContent: boolean) => {
      trace.contribute(new ChatSpans(ex, result, captureContent));
      trace.release(waitUntil);
    };
    // The request read its settings through the isolate's cache, so this is nearly always the
    // promise it already awaited: finished now, with no promise chain or waitUntil per request.
    const settings = settingsFor(c.env.DB, ex.auth.tenantId, ex.feature);
    const known = settled.get(settings);
    if (known !== undefined) return finish(known);
    waitUntil(
      settings.then(
        (s) => {
          settled.set(settings, s.telemetry.captureContent);
          finish(s.telemetry.captureContent);
        },
        () => finish(false),
      ),
    );
  };
}

/** captureContent of the settings promises seen resolved (the settings cache's, while it keeps them). */
const settled = new WeakMap<Promise<TenantSettings>, boolean>();
