/**
 * Test Worker for deadline-workerd.test.ts: `GET /call?url=&ms=&clock=` fetches `url` under a
 * deadline on a module-level clock (shared by every request of the isolate, as in the gateway)
 * and reports how the call ended; `GET /size?clock=` says how many deadlines are still watched.
 */
import { deadline } from "../deadline";
import { DeadlineClock } from "../deadline-clock";

const clocks: Record<string, DeadlineClock> = {
  // Long-lived: the first request's loop serves every later request's deadline.
  shared: new DeadlineClock({ tickMs: 50, lifetimeMs: 10_000 }),
  // Like shared, for the test that abandons a request mid-call (its watch lingers until due).
  abandon: new DeadlineClock({ tickMs: 50, lifetimeMs: 10_000 }),
  // Stops after 100 ms: pending deadlines go back to their own requests.
  brief: new DeadlineClock({ tickMs: 50, lifetimeMs: 100 }),
};

export default {
  async fetch(req: Request, _env: unknown, ctx: ExecutionContext): Promise<Response> {
    const url = new URL(req.url);
    const clock = clocks[url.searchParams.get("clock") ?? "shared"] as DeadlineClock;
    if (url.pathname === "/size") return Response.json({ size: clock.size });
    const started = Date.now();
    const d = deadline(Number(url.searchParams.get("ms")), () => new Error("deadline passed"), (p) => ctx.waitUntil(p), clock);
    try {
      const res = await fetch(url.searchParams.get("url") ?? "", { signal: d.signal });
      await res.text();
      return Response.json({ outcome: "answered", elapsed: Date.now() - started });
    } catch (err) {
      return Response.json({ outcome: "aborted", reason: err instanceof Error ? err.message : String(err), elapsed: Date.now() - started });
    } finally {
      d.clear();
    }
  },
};
