/**
 * bench:faults' load: a fixed number of chat requests (or a fixed time) through the gateway at a
 * fixed concurrency, half of them streamed, each read to its end. A request succeeds when the
 * client got a whole answer: a 200 JSON body with a choice, or a stream that reached `[DONE]`
 * without an error event (a stream cut after its first byte is a failure the client saw).
 */
import { readSse } from "../../shared/sse";

export interface Load {
  model: string;
  requests: number;
  concurrency: number;
  /** Every `streamEvery`-th request is streamed (2 = half). */
  streamEvery: number;
  /** Stop sending new requests after this long (the bench stays bounded). */
  maxMs: number;
}

export interface Sent {
  ok: boolean;
  status: number;
  streamed: boolean;
  latencyMs: number;
  requestId: string | null;
  /** The tier that answered (x-tier), when one did. */
  tier: string | null;
  /** 1-based number of the upstream call that answered (x-upstream-attempt). */
  attempt: number | null;
  /** Why it failed, for the report: an error code, or "fetch: ...". */
  failure: string | null;
}

/** Prompts a router sends to the small tier: short, plain requests. */
const prompt = (i: number) => `Reply with a short greeting for visitor number ${i}.`;
const CLIENT_TIMEOUT_MS = 90_000;

async function readAnswer(res: Response, streamed: boolean): Promise<string | null> {
  if (!streamed) {
    const json = (await res.json().catch(() => null)) as { choices?: unknown[]; error?: { code?: string } } | null;
    if (res.status !== 200) return json?.error?.code ?? `http_${res.status}`;
    return json?.choices?.length ? null : "no_choice";
  }
  if (res.status !== 200) {
    const json = (await res.json().catch(() => null)) as { error?: { code?: string } } | null;
    return json?.error?.code ?? `http_${res.status}`;
  }
  let done = false;
  for await (const ev of readSse(res.body as ReadableStream<Uint8Array>)) {
    if (ev.data === "[DONE]") done = true;
    else if (ev.data.includes('"error"')) return (JSON.parse(ev.data) as { error?: { code?: string } }).error?.code ?? "stream_error";
  }
  return done ? null : "stream_ended_without_done";
}

async function sendOne(gatewayUrl: string, key: string, load: Load, i: number): Promise<Sent> {
  const streamed = i % load.streamEvery === load.streamEvery - 1;
  const started = performance.now();
  try {
    const res = await fetch(`${gatewayUrl}/v1/chat/completions`, {
      method: "POST",
      signal: AbortSignal.timeout(CLIENT_TIMEOUT_MS),
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json", "cache-control": "no-cache, no-store" },
      body: JSON.stringify({ model: load.model, max_tokens: 24, stream: streamed, messages: [{ role: "user", content: prompt(i) }] }),
    });
    const failure = await readAnswer(res, streamed);
    const attempt = res.headers.get("x-upstream-attempt");
    return { ok: failure === null, status: res.status, streamed, latencyMs: performance.now() - started, requestId: res.headers.get("x-request-id"), tier: res.headers.get("x-tier"), attempt: attempt ? Number(attempt) : null, failure };
  } catch (err) {
    return { ok: false, status: 0, streamed, latencyMs: performance.now() - started, requestId: null, tier: null, attempt: null, failure: `fetch: ${err instanceof Error ? err.name : "error"}` };
  }
}

/** Runs the load; `onTick` is called before each request with the ms elapsed (timed fault changes). */
export async function drive(gatewayUrl: string, key: string, load: Load, onTick: (elapsedMs: number) => void = () => undefined): Promise<Sent[]> {
  const out: Sent[] = [];
  const started = Date.now();
  let next = 0;
  const worker = async () => {
    for (;;) {
      const elapsed = Date.now() - started;
      if (next >= load.requests || elapsed >= load.maxMs) return;
      onTick(elapsed);
      out.push(await sendOne(gatewayUrl, key, load, next++));
    }
  };
  await Promise.all(Array.from({ length: load.concurrency }, worker));
  return out;
}
