/**
 * Signed webhooks, Stripe-style: `x-gateway-signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of
 * "<t>.<body>">`. The timestamp inside the MAC lets receivers reject replays older than a few
 * minutes. WebCrypto only, so the same code runs in workerd and Node.
 */
export const SIGNATURE_HEADER = "x-gateway-signature";

const hex = (buf: ArrayBuffer): string => [...new Uint8Array(buf)].map((b) => b.toString(16).padStart(2, "0")).join("");

export async function hmacHex(secret: string, message: string): Promise<string> {
  const enc = new TextEncoder();
  const key = await crypto.subtle.importKey("raw", enc.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  return hex(await crypto.subtle.sign("HMAC", key, enc.encode(message)));
}

export async function signatureHeader(secret: string, body: string, unixSeconds: number): Promise<string> {
  return `t=${unixSeconds},v1=${await hmacHex(secret, `${unixSeconds}.${body}`)}`;
}

/** For receivers (and tests): constant-time compare, with a tolerance on the timestamp. */
export async function verifySignature(secret: string, body: string, header: string, nowSeconds: number, toleranceSeconds = 300): Promise<boolean> {
  const parts = Object.fromEntries(header.split(",").map((p) => p.split("=", 2) as [string, string]));
  const t = Number(parts["t"]);
  const v1 = parts["v1"] ?? "";
  if (!Number.isFinite(t) || Math.abs(nowSeconds - t) > toleranceSeconds) return false;
  const expected = await hmacHex(secret, `${t}.${body}`);
  if (expected.length !== v1.length) return false;
  let diff = 0;
  for (let i = 0; i < expected.length; i++) diff |= expected.charCodeAt(i) ^ v1.charCodeAt(i);
  return diff === 0;
}

export interface DeliveryResult {
  ok: boolean;
  tries: number;
  error: string | null;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** POSTs with up to `tries` attempts and exponential backoff; 4xx other than 408/429 is final. */
export async function deliverWebhook(url: string, body: string, secret: string, opts: { tries?: number; baseDelayMs?: number; fetch?: typeof fetch } = {}): Promise<DeliveryResult> {
  const tries = opts.tries ?? 3;
  const doFetch = opts.fetch ?? fetch;
  let error: string | null = null;
  for (let i = 1; i <= tries; i++) {
    try {
      const signature = await signatureHeader(secret, body, Math.floor(Date.now() / 1000));
      const res = await doFetch(url, { method: "POST", headers: { "content-type": "application/json", [SIGNATURE_HEADER]: signature }, body, signal: AbortSignal.timeout(10_000) });
      await res.body?.cancel();
      if (res.ok) return { ok: true, tries: i, error: null };
      error = `HTTP ${res.status}`;
      if (res.status < 500 && res.status !== 408 && res.status !== 429) return { ok: false, tries: i, error };
    } catch (err) {
      error = String(err).slice(0, 200);
    }
    if (i < tries) await sleep((opts.baseDelayMs ?? 500) * 2 ** (i - 1));
  }
  return { ok: false, tries, error };
}
