/**
 * W3C Trace Context (https://www.w3.org/TR/trace-context/, level 1): parsing an incoming
 * `traceparent`, minting ids, and formatting the header we send upstream. Ids are lower-case
 * hex, as the spec and OTLP/HTTP JSON both want them.
 */

export interface TraceContext {
  traceId: string;
  /** The caller's span (our server span's parent); null when we start the trace. */
  parentSpanId: string | null;
  sampled: boolean;
  /** Passed through untouched (vendor state), only alongside a valid traceparent. */
  tracestate: string | null;
}

// version 00 exactly; a higher version may carry more fields after the flags (spec §3.2.4).
const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;
const ZERO_TRACE = "0".repeat(32);
const ZERO_SPAN = "0".repeat(16);

/** The caller's context, or null when the header is absent or invalid (then a new trace starts). */
export function parseTraceparent(header: string | null | undefined, tracestate?: string | null): Omit<TraceContext, "sampled"> & { flags: number } | null {
  if (!header) return null;
  const m = TRACEPARENT.exec(header.trim().toLowerCase());
  if (!m) return null;
  const [, version, traceId, spanId, flags, rest] = m as unknown as [string, string, string, string, string, string | undefined];
  if (version === "ff" || (version === "00" && rest !== undefined)) return null;
  if (traceId === ZERO_TRACE || spanId === ZERO_SPAN) return null;
  const state = tracestate && tracestate.length <= 512 ? tracestate : null;
  return { traceId, parentSpanId: spanId, flags: Number.parseInt(flags, 16), tracestate: state };
}

export function formatTraceparent(traceId: string, spanId: string, sampled: boolean): string {
  return `00-${traceId}-${spanId}-${sampled ? "01" : "00"}`;
}

/** Char codes of the lower-case hex digits. */
const DIGITS = Array.from("0123456789abcdef", (d) => d.charCodeAt(0));

// Ids come from a pool of random bytes refilled 4 KB at a time: one getRandomValues call per
// ~500 span ids instead of one each (the per-call cost dominated building a trace's ids).
const POOL = new Uint8Array(4096);
let used = POOL.length;
// An id's char codes, reused: one flat string per id, where appending two digits at a time made
// a string per byte (garbage the isolate's collector then pays for, bench:overhead --observability).
const CODES: Record<8 | 16, number[]> = { 8: new Array<number>(16).fill(0), 16: new Array<number>(32).fill(0) };

function randomHex(bytes: 8 | 16): string {
  if (used + bytes > POOL.length) {
    crypto.getRandomValues(POOL);
    used = 0;
  }
  const codes = CODES[bytes];
  for (let i = 0; i < bytes; i++) {
    const b = POOL[used + i] as number;
    codes[2 * i] = DIGITS[b >> 4] as number;
    codes[2 * i + 1] = DIGITS[b & 15] as number;
  }
  used += bytes;
  return String.fromCharCode.apply(null, codes);
}

/** 16 random bytes; all-zero is invalid, so it is drawn again (vanishingly rare). */
export function newTraceId(): string {
  const id = randomHex(16);
  return id === ZERO_TRACE ? newTraceId() : id;
}

export function newSpanId(): string {
  const id = randomHex(8);
  return id === ZERO_SPAN ? newSpanId() : id;
}

/**
 * The trace a request joins: the caller's (parent-based sampling: its sampled flag decides)
 * or a new one, sampled with probability `ratio` decided from the trace id (so every service
 * sampling by trace-id ratio agrees).
 */
export function startContext(traceparent: string | null | undefined, tracestate: string | null | undefined, ratio: number): TraceContext {
  const parent = parseTraceparent(traceparent, tracestate);
  if (parent) return { traceId: parent.traceId, parentSpanId: parent.parentSpanId, sampled: (parent.flags & 1) === 1, tracestate: parent.tracestate };
  const traceId = newTraceId();
  return { traceId, parentSpanId: null, sampled: ratio >= 1 || sampledByRatio(traceId, ratio), tracestate: null };
}

/** The OTel TraceIdRatioBased rule: the trace id's lower 56 bits against ratio × 2^56. */
export function sampledByRatio(traceId: string, ratio: number): boolean {
  if (ratio <= 0) return false;
  const low = Number.parseInt(traceId.slice(18), 16);
  return low < ratio * 2 ** 56;
}
