/**
 * bench:soak's driver: open-loop at a steady rate (a request starts every 1/rate seconds whether
 * or not earlier ones finished, as real clients do), each response read to its end. A request
 * that would exceed `maxInFlight` is not sent and is counted: the client side stays bounded and
 * an overloaded gateway shows up as skips, not as a client that quietly slowed down.
 */
import { readSse } from "../../shared/sse";
import type { Planned } from "./mix";
import type { Outcome } from "./summary";

export type Keys = Record<Planned["key"], string>;

const CLIENT_TIMEOUT_MS = 60_000;

async function failureOf(res: Response, stream: boolean): Promise<string | null> {
  if (res.status !== 200 || !stream) {
    const body = (await res.json().catch(() => null)) as { error?: { code?: string } } | null;
    return res.status === 200 ? (body === null ? "invalid_json" : null) : (body?.error?.code ?? `http_${res.status}`);
  }
  let done = false;
  for await (const ev of readSse(res.body as ReadableStream<Uint8Array>)) {
    if (ev.data === "[DONE]") done = true;
    else if (ev.data.includes('"error"')) return "stream_error";
  }
  return done ? null : "stream_ended_without_done";
}

async function send(base: string, keys: Keys, p: Planned, runStart: number): Promise<Outcome> {
  const started = performance.now();
  try {
    const res = await fetch(`${base}${p.path}`, {
      method: p.method,
      signal: AbortSignal.timeout(CLIENT_TIMEOUT_MS),
      headers: { authorization: `Bearer ${keys[p.key]}`, "content-type": "application/json", ...(p.headers ?? {}) },
      ...(p.body !== undefined ? { body: JSON.stringify(p.body) } : {}),
    });
    const failure = await failureOf(res, p.stream === true);
    return { kind: p.kind, status: res.status, failure, latencyMs: performance.now() - started, requestId: res.headers.get("x-request-id"), doneAtMs: Date.now() - runStart };
  } catch (err) {
    return { kind: p.kind, status: 0, failure: `fetch: ${err instanceof Error ? err.name : "error"}`, latencyMs: performance.now() - started, requestId: null, doneAtMs: Date.now() - runStart };
  }
}

export interface DriveResult {
  outcomes: Outcome[];
  /** Requests not sent because `maxInFlight` were still open. */
  skipped: number;
}

export async function driveSteady(
  base: string,
  keys: Keys,
  plan: readonly Planned[],
  rate: number,
  maxInFlight: number,
  runStart: number,
  onDone: (o: Outcome) => void = () => undefined,
): Promise<DriveResult> {
  const outcomes: Outcome[] = [];
  const open = new Set<Promise<void>>();
  let skipped = 0;
  for (let i = 0; i < plan.length; i++) {
    const due = runStart + (i * 1000) / rate;
    const wait = due - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    if (open.size >= maxInFlight) {
      skipped++;
      continue;
    }
    const job: Promise<void> = send(base, keys, plan[i] as Planned, runStart).then((o) => {
      outcomes.push(o);
      onDone(o);
      open.delete(job);
    });
    open.add(job);
  }
  await Promise.all(open);
  return { outcomes, skipped };
}
