/** Polls `fn` until it returns non-null (queue consumers and background work land later). */
export async function waitFor<T>(fn: () => Promise<T | null>, timeoutMs = 20_000, what = "a condition"): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== null) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
