/**
 * Executes an attempt list: per-attempt timeout, retries with backoff on retryable failures
 * (honouring Retry-After), the circuit breaker, then fallback to the next model. A stream
 * counts as committed once its first chunk has arrived: until then a failure falls through
 * to the next attempt; after it, errors belong to the stream (never a silent fallback; the
 * stream may be resumed on the same model, chat/resume/).
 */
import type { ChatCompletionChunk, ChatCompletionRequest } from "../../../../../shared/schemas/openai-chat";
import type { AttemptRecord } from "../../../../../shared/schemas/usage-event";
import { GatewayError } from "../../../../../shared/errors";
import type { ModelEntry } from "../../config/model-registry";
import { upstreamFor } from "../../upstreams/registry";
import { UpstreamError, type ChatResult, type UpstreamBindings } from "../../upstreams/upstream";
import type { Attempt } from "./build-attempts";
import { backoffDelay, sleep, type BackoffOptions, DEFAULT_BACKOFF } from "./backoff";
import type { BreakerClient, CallOutcome } from "./circuit-breaker";
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
  /** Tracing: called as each upstream call starts; the returned function receives its record (telemetry/otel). */
  onAttempt?: (attempt: Attempt) => (record: AttemptRecord) => void;
  /**
   * The caller gave up (a client that left a resumed stream): the call in flight is aborted, its
   * outcome is "released" (not the upstream's failure) and no further call is made. Only needed
   * where the calls outlive the handler: workerd already cancels a handler's own subrequests.
   */
  cancel?: AbortSignal;
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

type Call<T> = (attempt: Attempt, signal: AbortSignal, abort: () => void, settle: (outcome: CallOutcome) => void) => Promise<T>;

/**
 * A whole answer. Its attempts run under `firstByteMs` (a non-streamed answer's first byte comes
 * when it is complete), or under `totalMs` when `limit` is "total": a client that asked for a
 * stream but is answered whole (output policy, cascade) expects a streamed answer's time.
 */
export function runChat(request: ChatCompletionRequest, attempts: Attempt[], ctx: RunContext, limit: "firstByte" | "total" = "firstByte"): Promise<Answered<ChatResult>> {
  const budgetMs = (m: ModelEntry) => (limit === "total" ? m.timeouts.totalMs : m.timeouts.firstByteMs);
  return runAttempts(attempts, ctx, { budgetMs, leaseMs: budgetMs, outcomeLater: false }, (a, signal) =>
    upstreamFor(a.model.upstream).chat(withModel(request, a.model), callContext(a.model, signal, ctx)),
  );
}

/**
 * A stream's outcome for the circuit breaker is known only when it ends: a stream the upstream
 * cuts is a failed request, one the client leaves has no verdict (it must not count against
 * the upstream, nor hold a half-open probe slot). `continueFinalMessage`: the request ends with
 * a partial assistant answer to continue (a stream resume, chat/resume/).
 */
export function runChatStream(request: ChatCompletionRequest, attempts: Attempt[], ctx: RunContext, continueFinalMessage = false): Promise<Answered<OpenStream>> {
  const options = { budgetMs: (m: ModelEntry) => m.timeouts.firstByteMs, leaseMs: (m: ModelEntry) => m.timeouts.totalMs, outcomeLater: true };
  return runAttempts(attempts, ctx, options, async (a, signal, abort, settle) => {
    const call = { ...callContext(a.model, signal, ctx), ...(continueFinalMessage ? { continueFinalMessage } : {}) };
    const { chunks } = await upstreamFor(a.model.upstream).chatStream(withModel(request, a.model), call);
    const iterator = chunks[Symbol.asyncIterator]();
    const first = await iterator.next();
    if (first.done) throw new UpstreamError("upstream closed the stream before the first chunk", { retryable: true });
    // Committed: from here the attempt's cap is its total time, not time-to-first-byte.
    const cap = setTimeout(abort, a.model.timeouts.totalMs);
    let clientLeft = false;
    const ended = (outcome: CallOutcome) => {
      clearTimeout(cap);
      settle(clientLeft ? "released" : outcome);
    };
    // The client may leave between reads (no next() pending to notice): aborting clears the cap.
    const close = () => {
      clientLeft = true;
      ended("released");
      abort();
    };
    return { first: first.value, rest: watchEnd(iterator, ended), abort: close };
  });
}

interface RunOptions {
  /** Time limit of one call. */
  budgetMs: (m: ModelEntry) => number;
  /** How long a half-open probe on this model may take before the breaker frees its slot. */
  leaseMs: (m: ModelEntry) => number;
  /** The call reports its own outcome through `settle` (streams); otherwise success is reported here. */
  outcomeLater: boolean;
}

interface RunState {
  calls: number;
  lastError: unknown;
  records: AttemptRecord[];
}

/** "closed": retries allowed; "probe" and "last-resort": exactly one call. */
type Mode = "closed" | "probe" | "last-resort";

async function runAttempts<T>(attempts: Attempt[], ctx: RunContext, options: RunOptions, call: Call<T>): Promise<Answered<T>> {
  const run: RunState = { calls: 0, lastError: undefined, records: ctx.records ?? [] };
  const skipped: Attempt[] = [];
  for (const attempt of attempts) {
    if (ctx.cancel?.aborted) break;
    const admission = await ctx.breaker.admit(attempt.model.id, options.leaseMs(attempt.model) + PROBE_LEASE_SLACK_MS);
    if (admission === "denied") {
      run.records.push(record(attempt, run.calls + 1, "circuit_open", 0));
      skipped.push(attempt);
      continue;
    }
    const answered = await tryModel(attempt, admission === "probe" ? "probe" : "closed", ctx, options, call, run);
    if (answered) return answered;
  }
  // The breaker sheds load from a failing model towards the others; it must not by itself fail
  // a request that has nowhere else to go (Envoy's panic threshold, LiteLLM's single-deployment
  // rule). When every model it let through failed, or it let none through, the first model it
  // skipped gets one call, without retries.
  const lastResort = skipped[0];
  if (lastResort && !ctx.cancel?.aborted) {
    const answered = await tryModel(lastResort, "last-resort", ctx, options, call, run);
    if (answered) return answered;
  }
  throw finalError(run.lastError, run.records);
}

/** Calls one model, with retries when its circuit is closed; reports the request's outcome there once. */
async function tryModel<T>(attempt: Attempt, mode: Mode, ctx: RunContext, options: RunOptions, call: Call<T>, run: RunState): Promise<Answered<T> | null> {
  const key = attempt.model.id;
  const probe = mode === "probe";
  const retries = mode === "closed" ? attempt.model.maxRetries : 0;
  let outcome: CallOutcome = "failed";
  for (let retry = 0; retry <= retries; retry++) {
    if (ctx.cancel?.aborted) {
      // Cancelled before this call: the calls before it, if any, were the upstream's failures.
      await ctx.breaker.report(key, retry === 0 ? "released" : outcome, probe);
      return null;
    }
    run.calls++;
    const started = Date.now();
    const traced = ctx.onAttempt?.(attempt);
    // No client-disconnect signal is needed: when a client goes away workerd cancels the
    // handler and its subrequests, and a committed stream's cancel() aborts its attempt
    // (chat/stream-response.ts).
    const guard = deadline(options.budgetMs(attempt.model), () => new UpstreamError("attempt timed out", { timeout: true }), ctx.background);
    let settled = false;
    const settle = (o: CallOutcome) => {
      if (settled) return;
      settled = true;
      const reporting = ctx.breaker.report(key, o, probe);
      ctx.background?.(reporting);
    };
    // Left in place once the call answers: a later cancel then aborts the committed stream too.
    const cancelled = () => guard.abort(new UpstreamError("the caller cancelled the call"));
    ctx.cancel?.addEventListener("abort", cancelled, { once: true });
    try {
      const value = await call(attempt, guard.signal, () => guard.abort(), settle);
      guard.clear();
      run.records.push(record(attempt, run.calls, "ok", Date.now() - started));
      traced?.(run.records[run.records.length - 1] as AttemptRecord);
      if (!options.outcomeLater) await ctx.breaker.report(key, "ok", probe);
      return { value, attempt, attemptNumber: run.calls, records: run.records };
    } catch (err) {
      ctx.cancel?.removeEventListener("abort", cancelled);
      const failure = classify(err, guard.signal);
      guard.clear();
      // Nothing more will be read from this attempt (e.g. a stream that ended before its first
      // chunk): release its connection now rather than leave the body open.
      guard.abort(failure);
      run.lastError = failure;
      run.records.push(record(attempt, run.calls, failure.timeout ? "timeout" : "error", Date.now() - started, failure));
      traced?.(run.records[run.records.length - 1] as AttemptRecord);
      // A call the caller cancelled has no verdict on the upstream (and holds no probe slot).
      if (ctx.cancel?.aborted) {
        await ctx.breaker.report(key, "released", probe);
        return null;
      }
      // An upstream that answered "bad request" is up: that is not a failure of the upstream.
      outcome = failure.status !== undefined && !failure.retryable ? "ok" : "failed";
      if (!failure.retryable || retry === retries) break;
      const delay = backoffDelay(retry, failure.retryAfterMs, ctx.backoff ?? DEFAULT_BACKOFF);
      if (delay === null) break;
      await sleep(delay, ctx.cancel);
    }
  }
  await ctx.breaker.report(key, outcome, probe);
  return null;
}

/** Extra lease over a call's own time limit, for the report's round trip. */
const PROBE_LEASE_SLACK_MS = 1_000;

function watchEnd<T>(it: AsyncIterator<T>, onEnd: (outcome: CallOutcome) => void): AsyncIterator<T> {
  return {
    async next() {
      try {
        const r = await it.next();
        if (r.done) onEnd("ok");
        return r;
      } catch (err) {
        onEnd("failed");
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
