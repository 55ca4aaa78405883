/**
 * HTTP and SSE plumbing shared by the fetch-based adapters, so each adapter only states its
 * URL, headers and translation. Failures are classified once here (vercel/ai api-call-error):
 *  - the call never got an answer (DNS, reset, refused) -> retryable, no status;
 *  - our signal aborted it (per-attempt timeout / client gone) -> `timeout`;
 *  - non-2xx -> `upstreamErrorFromResponse` (retryable = 408, 409, 429, 5xx);
 *  - a 2xx body that does not match the provider's documented shape -> status 502 (retryable:
 *    the upstream misbehaved, so it counts against its circuit and another attempt may do better).
 * Once a stream is open, every failure is non-retryable because bytes may have reached the
 * client, and carries no status: a status with retryable=false reads as "the upstream rejected
 * the client's request" to the executor (router/attempts/run-attempts.ts finalError).
 */
import type { z } from "zod";
import { readSse, type SseEvent } from "../../../../shared/sse";
import { UpstreamError, upstreamErrorFromResponse, type UpstreamCallContext } from "./upstream";

export interface PostOptions {
  url: string;
  body: unknown;
  headers?: Record<string, string> | undefined;
  /** Provider label used in error messages (never includes credentials). */
  provider: string;
}

/** POSTs JSON and returns the 2xx response, or throws a classified UpstreamError. */
export async function postJson(ctx: Pick<UpstreamCallContext<unknown>, "fetch" | "signal">, opts: PostOptions): Promise<Response> {
  // Detached call: Workers' fetch throws "Illegal invocation" when `this` is not the global.
  const doFetch = ctx.fetch;
  // Serialized before the call's try: a body that cannot be serialized is the request's fault,
  // not a network failure to retry (and count against the upstream's circuit).
  let body: string;
  try {
    body = JSON.stringify(opts.body);
  } catch (err) {
    throw new UpstreamError(`${opts.provider}: the request could not be serialized`, { status: 400, retryable: false, cause: err });
  }
  let res: Response;
  try {
    res = await doFetch(opts.url, {
      method: "POST",
      headers: { "content-type": "application/json", ...opts.headers },
      body,
      signal: ctx.signal,
    });
  } catch (err) {
    throw networkError(err, ctx.signal, opts.provider, true);
  }
  if (!res.ok) throw await upstreamErrorFromResponse(res, opts.provider);
  return res;
}

/** Classifies a thrown fetch/read error; `beforeFirstByte` decides whether a retry is safe. */
export function networkError(err: unknown, signal: AbortSignal, provider: string, beforeFirstByte: boolean): UpstreamError {
  if (err instanceof UpstreamError) return err;
  if (signal.aborted || isAbortError(err)) {
    return new UpstreamError(`${provider} call aborted (timeout or client disconnect)`, {
      timeout: true,
      retryable: beforeFirstByte,
      cause: err,
    });
  }
  const reason = err instanceof Error ? err.message : String(err);
  return new UpstreamError(`${provider} unreachable: ${reason}`, { retryable: beforeFirstByte, cause: err });
}

function isAbortError(err: unknown): boolean {
  return err instanceof Error && (err.name === "AbortError" || err.name === "TimeoutError");
}

/** Reads and validates a JSON body against the provider's documented response shape. */
export async function readJson<S extends z.ZodType>(res: Response, schema: S, provider: string): Promise<z.output<S>> {
  let raw: unknown;
  try {
    raw = await res.json();
  } catch (err) {
    throw new UpstreamError(`${provider} returned a non-JSON body`, { status: 502, cause: err });
  }
  return parseOrThrow(schema, raw, provider, "body");
}

/** Validates a provider value; `where` decides the classification (see the file comment). */
export function parseOrThrow<S extends z.ZodType>(schema: S, raw: unknown, provider: string, where: "body" | "stream"): z.output<S> {
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const detail = issue ? `${issue.path.join(".")}: ${issue.message}` : "invalid";
  const message = `${provider} returned an unexpected ${where === "body" ? "response" : "stream event"} shape (${detail})`;
  throw where === "body" ? new UpstreamError(message, { status: 502, cause: parsed.error }) : streamError(message, parsed.error);
}

/** A failure inside an open stream: never retried, no status (see the file comment). */
export const streamError = (message: string, cause?: unknown): UpstreamError => new UpstreamError(message, { retryable: false, cause });

/** Parses one SSE `data:` payload as JSON; a malformed event fails the (already open) stream. */
export function parseJsonEvent(data: string, provider: string): unknown {
  try {
    return JSON.parse(data);
  } catch (err) {
    throw streamError(`${provider} sent a malformed stream event`, err);
  }
}

/**
 * SSE events of an open stream; read errors (reset, abort) become non-retryable UpstreamErrors
 * because the caller may already have forwarded earlier chunks.
 */
export function sseEvents(res: Response, signal: AbortSignal, provider: string): AsyncGenerator<SseEvent> {
  if (!res.body) throw new UpstreamError(`${provider} returned no stream body`, { status: 502 });
  return sseEventsFromBody(res.body, signal, provider);
}

/** Same over any byte stream (SageMaker payload parts); UpstreamErrors from the source pass through. */
export async function* sseEventsFromBody(body: ReadableStream<Uint8Array>, signal: AbortSignal, provider: string): AsyncGenerator<SseEvent> {
  const events = readSse(body);
  for (;;) {
    let next: IteratorResult<SseEvent>;
    try {
      next = await events.next();
    } catch (err) {
      throw networkError(err, signal, provider, false);
    }
    if (next.done) return;
    yield next.value;
  }
}

/** Message of an error object a provider embeds in a 2xx stream, without trusting its shape. */
export function describeStreamError(value: unknown): string {
  if (typeof value === "string") return value.slice(0, 300);
  if (value && typeof value === "object" && "message" in value && typeof value.message === "string") {
    return value.message.slice(0, 300);
  }
  return "unknown error";
}

/** Settles with `start()` or rejects with the signal's reason, whichever comes first. */
export async function raceAbort<T>(start: () => Promise<T>, signal: AbortSignal): Promise<T> {
  signal.throwIfAborted();
  let onAbort = (): void => {};
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
  });
  try {
    return await Promise.race([start(), aborted]);
  } finally {
    signal.removeEventListener("abort", onAbort);
  }
}

/** `baseUrl` + path without doubling or dropping the slash between them. */
export const joinUrl = (baseUrl: string, path: string): string => `${baseUrl.replace(/\/+$/, "")}/${path.replace(/^\/+/, "")}`;
