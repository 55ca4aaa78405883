/**
 * The shared deadline clock inside workerd, where it matters: a loop running in one request's
 * context may not abort another request's fetch, so each request must abort its own when the
 * clock resolves its watch (deadline-clock.ts). Hanging upstreams on loopback.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bundleAndStart, type BundledWorker } from "../onnx/testing/bundle-worker";

interface Outcome {
  outcome: "answered" | "aborted";
  reason?: string;
  elapsed: number;
}

let worker: BundledWorker;
let server: Server;
let base = "";
let closedByClient = 0;

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === "/fast") return void res.end("ok");
    req.socket.on("close", () => closedByClient++); // /hang: never answers
  });
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  worker = await bundleAndStart(fileURLToPath(new URL("./testing/deadline-worker.ts", import.meta.url)));
});
afterAll(async () => {
  await worker?.dispose();
  server?.closeAllConnections();
  server?.close();
});

const call = async (path: string, ms: number, clock = "shared"): Promise<Outcome> =>
  (await worker.mf.dispatchFetch(`http://t/call?url=${encodeURIComponent(base + path)}&ms=${ms}&clock=${clock}`)).json() as Promise<Outcome>;

describe("deadlines on the shared clock, in workerd", () => {
  it("aborts every concurrent request's own hanging fetch on time, though one request's loop ticks for all", async () => {
    const before = closedByClient;
    const outcomes = await Promise.all([call("/hang", 300), call("/hang", 400), call("/hang", 500)]);
    outcomes.forEach((o, i) => {
      expect(o).toMatchObject({ outcome: "aborted", reason: "deadline passed" });
      expect(o.elapsed).toBeGreaterThanOrEqual(300 + i * 100);
      expect(o.elapsed).toBeLessThan(300 + i * 100 + 1_000);
    });
    await expect.poll(() => closedByClient - before).toBe(3); // the upstream calls were really cancelled
  });

  it("keeps timing others out when the request whose context runs the loop is abandoned by its client", async () => {
    // The loop runs in its starter's waitUntil, which outlives that request's cancellation.
    const url = String(await worker.mf.ready);
    const ac = new AbortController();
    const owner = fetch(`${url}call?url=${encodeURIComponent(`${base}/hang`)}&ms=3000&clock=abandon`, { signal: ac.signal }).catch(() => "abandoned");
    await new Promise((r) => setTimeout(r, 100));
    const other = fetch(`${url}call?url=${encodeURIComponent(`${base}/hang`)}&ms=500&clock=abandon`).then((r) => r.json() as Promise<Outcome>);
    setTimeout(() => ac.abort(), 50);
    const o = await other;
    expect(o).toMatchObject({ outcome: "aborted", reason: "deadline passed" });
    expect(o.elapsed).toBeLessThan(1_500);
    expect(await owner).toBe("abandoned");
  });

  it("leaves a call that answers in time alone, and stops watching it", async () => {
    expect(await call("/fast", 300)).toMatchObject({ outcome: "answered" });
    expect(await (await worker.mf.dispatchFetch("http://t/size?clock=shared")).json()).toEqual({ size: 0 });
  });

  it("still times a request out after the clock's loop has stopped and handed it back", async () => {
    const o = await call("/hang", 600, "brief");
    expect(o).toMatchObject({ outcome: "aborted", reason: "deadline passed" });
    expect(o.elapsed).toBeGreaterThanOrEqual(600);
  });
});
