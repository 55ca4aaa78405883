/**
 * Executes an attempt list: per-attempt timeout, retries with backoff on retryable failures
 * (honouring Retry-After), the circuit breaker, then fallback to the next model. A stream
 * counts as committed once its first chunk has arrived: until then a failure falls through
 * to the next attempt; after it, errors belong to the stream (never a silent fallback).
 */
import type { ChatCompletionChunk, ChatCompletionRequest } from "../../../../../shared/schemas/openai-chat";
import type { AttemptRecord } from "../../../../../shared/schemas/usage-event";
import { GatewayError } from "../../../../../shared/errors";
import type { ModelEntry } from "../../config/model-registry";
import { upstreamFor } from "../../upstreams/registry";
import { UpstreamError, type ChatResult, type UpstreamBindings } from "../../upstreams/upstream";
import type { Attempt } from "./build-attempts";
import { backoffDelay, sleep, type BackoffOptions, DEFAULT_BACKOFF } from "./backoff";
import type { BreakerClient } from "./circuit-breaker";
import { deadline } from "../../upstreams/deadline";

export interface RunContext {
  bindings: UpstreamBindings & Record<string, unknown>;
  breaker: BreakerClient;
  fetch: typeof fetch;
  backoff?: BackoffOptions;
  /** Receives every attempt's record as it happens (kept even when all attempts fail). */
  records?: AttemptRecord[];
  /** The request's waitUntil: attempt deadlines then ride the isolate's shared clock (upstreams/deadline.ts). */
  background?: (work: Promise<unknown>) => void;
}

export interface Answered<T> {
  value: T;
  attempt: Attempt;
  /** 1-based count of calls made, all models included. */
  attemptNumber: number;
  records: AttemptRecord[];
}

export interface OpenStream {
  first: ChatCompletionChunk;
  rest: AsyncIterator<ChatCompletionChunk>;
  /** Aborts the committed attempt (client went away). */
  abort: () => void;
}

type Call<T> = (attempt: Attempt, signal: AbortSignal, abort: () => void) => Promise<T>;

/**
 * A whole answer. Its attempts run under `firstByteMs` (a non-streamed answer's first byte comes
 * when it is complete), or under `totalMs` when `limit` is "total": a client that asked for a
 * stream but is answered whole (output policy, cascade) expects a streamed answer's time.
 */
export function runChat(request: ChatCompletionRequest, attempts: Attempt[], ctx: RunContext, limit: "firstByte" | "total" = "firstByte"): Promise<Answered<ChatResult>> {
  const budget = limit === "total" ? (m: ModelEntry) => m.timeouts.totalMs : undefined;
  return runAttempts(attempts, ctx, (a, signal) => upstreamFor(a.model.upstream).chat(withModel(request, a.model), callContext(a.model, signal, ctx)), budget);
}

export function runChatStream(request: ChatCompletionRequest, attempts: Attempt[], ctx: RunContext): Promise<Answered<OpenStream>> {
  return runAttempts(attempts, ctx, async (a, signal, abort) => {
    const { chunks } = await upstreamFor(a.model.upstream).chatStream(withModel(request, a.model), callContext(a.model, signal, ctx));
    const iterator = chunks[Symbol.asyncIterator]();
    const first = await iterator.next();
    if (first.done) throw new UpstreamError("upstream closed the stream before the first chunk", { retryable: true });
    // Committed: from here the attempt's cap is its total time, not time-to-first-byte.
    const cap = setTimeout(abort, a.model.timeouts.totalMs);
    // The client may leave between reads (no next() pending to notice): aborting clears the cap.
    const close = () => {
      clearTimeout(cap);
      abort();
    };
    return { first: first.value, rest: clearOnEnd(iterator, () => clearTimeout(cap)), abort: close };
  });
}

async function runAttempts<T>(attempts: Attempt[], ctx: RunContext, call: Call<T>, budgetMs: (m: ModelEntry) => number = (m) => m.timeouts.firstByteMs): Promise<Answered<T>> {
  const records: AttemptRecord[] = ctx.records ?? [];
  let lastError: unknown;
  let calls = 0;
  for (const attempt of attempts) {
    const key = attempt.model.id;
    if (!(await ctx.breaker.allow(key))) {
      records.push(record(attempt, calls + 1, "circuit_open", 0));
      continue;
    }
    for (let retry = 0; retry <= attempt.model.maxRetries; retry++) {
      calls++;
      const started = Date.now();
      // No client-disconnect signal is needed: when a client goes away workerd cancels the
      // handler and its subrequests, and a committed stream's cancel() aborts its attempt
      // (chat/stream-response.ts).
      const guard = deadline(budgetMs(attempt.model), () => new UpstreamError("attempt timed out", { timeout: true }), ctx.background);
      try {
        const value = await call(attempt, guard.signal, () => guard.abort());
        guard.clear();
        records.push(record(attempt, calls, "ok", Date.now() - started));
        await ctx.breaker.report(key, true);
        return { value, attempt, attemptNumber: calls, records };
      } catch (err) {
        const failure = classify(err, guard.signal);
        guard.clear();
        // Nothing more will be read from this attempt (e.g. a stream that ended before its first
        // chunk): release its connection now rather than leave the body open.
        guard.abort(failure);
        lastError = failure;
        records.push(record(attempt, calls, failure.timeout ? "timeout" : "error", Date.now() - started, failure));
        await ctx.breaker.report(key, !failure.retryable);
        if (!failure.retryable || retry === attempt.model.maxRetries) break;
        const delay = backoffDelay(retry, failure.retryAfterMs, ctx.backoff ?? DEFAULT_BACKOFF);
        if (delay === null) break;
        await sleep(delay);
      }
    }
  }
  throw finalError(lastError, records);
}

function clearOnEnd<T>(it: AsyncIterator<T>, onEnd: () => void): AsyncIterator<T> {
  return {
    async next() {
      try {
        const r = await it.next();
        if (r.done) onEnd();
        return r;
      } catch (err) {
        onEnd();
        throw err;
      }
    },
  };
}

function classify(err: unknown, timeoutSignal: AbortSignal): UpstreamError {
  if (err instanceof UpstreamError) return err;
  if (timeoutSignal.aborted) return new UpstreamError("attempt timed out", { timeout: true, cause: err });
  return new UpstreamError(err instanceof Error ? err.message : "upstream call failed", { cause: err });
}

function finalError(lastError: unknown, records: AttemptRecord[]): GatewayError {
  const headers = { "x-upstream-attempts": String(records.length) };
  if (!(lastError instanceof UpstreamError)) {
    return new GatewayError("unavailable", "No upstream is available for this request right now (circuits open or no eligible model).", { headers });
  }
  if (lastError.timeout) return new GatewayError("upstream_timeout", "The upstream model did not answer in time.", { headers, cause: lastError });
  if (lastError.status !== undefined && !lastError.retryable) {
    return new GatewayError("invalid_request", `The upstream model rejected the request (HTTP ${lastError.status}).`, { headers, cause: lastError, code: "upstream_rejected" });
  }
  return new GatewayError("upstream_error", "The upstream model failed after retries and fallbacks.", { headers, cause: lastError });
}

function record(a: Attempt, n: number, outcome: AttemptRecord["outcome"], durationMs: number, err?: UpstreamError): AttemptRecord {
  return {
    model: a.model.id,
    tier: a.tier,
    upstream: a.model.upstream.kind,
    attempt: n,
    outcome,
    ...(err?.status !== undefined ? { status: err.status } : {}),
    ...(err ? { reason: err.message.slice(0, 200) } : {}),
    durationMs,
  };
}

function withModel(request: ChatCompletionRequest, model: ModelEntry): ChatCompletionRequest {
  return { ...request, model: model.upstreamModel };
}

function callContext(model: ModelEntry, signal: AbortSignal, ctx: RunContext) {
  const credential = model.credential ? ctx.bindings[model.credential] : undefined;
  return {
    config: model.upstream,
    upstreamModel: model.upstreamModel,
    credential: typeof credential === "string" ? credential : undefined,
    signal,
    bindings: ctx.bindings,
    fetch: ctx.fetch,
  };
}
