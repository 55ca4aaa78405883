/**
 * `npm run load:probe`: bounded load against a running gateway (or any Worker), to see what a
 * local stack does under concurrency (docs/local-stack-under-load.md). Sends `--total` POSTs of a
 * short chat with unique prompts, `--concurrency` at a time, and prints one JSON line: status
 * histogram, the first lines of 5xx bodies, connection errors (resets, timeouts) with when they
 * happened and whether the socket was reused, and the RSS of the given processes sampled every
 * second. Bounded on purpose: the machine is shared.
 */
import { readFileSync } from "node:fs";
import http from "node:http";
import { parseCli } from "./lib/cli";

const { values } = parseCli({
  name: "npm run load:probe --",
  summary: "Bounded concurrent POSTs against a local gateway; prints statuses, 5xx bodies, connection errors and sampled RSS as JSON (docs/local-stack-under-load.md).",
  options: {
    port: { type: "string", default: "8787", value: "PORT", description: "target port on 127.0.0.1 (8787: wrangler dev's proxy under npm start)" },
    key: { type: "string", default: process.env.GATEWAY_KEY ?? "", value: "KEY", description: "bearer key (env GATEWAY_KEY)" },
    total: { type: "string", default: "3000", value: "N", description: "requests in all" },
    concurrency: { type: "string", default: "150", value: "N", description: "requests in flight at once" },
    path: { type: "string", default: "/v1/chat/completions", description: "request path" },
    pids: { type: "string", default: "", value: "PID,...", description: "processes whose VmRSS is sampled each second (e.g. the workerd processes)" },
    "new-connections": { type: "boolean", description: "a new connection per request instead of keep-alive" },
    "timeout-ms": { type: "string", default: "60000", value: "MS", description: "per-request timeout" },
  },
});

interface Failure {
  atMs: number;
  reused: boolean;
  code: string;
}

const total = Number(values.total);
const concurrency = Number(values.concurrency);
const agent = new http.Agent({ keepAlive: !values["new-connections"], maxSockets: concurrency });
const pids = values.pids.split(",").filter(Boolean);

function rssMb(pid: string): number {
  try {
    return Math.round(Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? -1024) / 1024);
  } catch {
    return -1;
  }
}

const statuses = new Map<string, number>();
const errorBodies = new Map<string, number>();
const failures: Failure[] = [];
const samples: number[][] = [];
const bump = (m: Map<string, number>, k: string): void => void m.set(k, (m.get(k) ?? 0) + 1);
const t0 = Date.now();

function one(n: number): Promise<void> {
  const body = JSON.stringify({ model: "auto", messages: [{ role: "user", content: `Question ${n}: explain item ${n} briefly (${t0})` }] });
  return new Promise((done) => {
    const req = http.request(
      { host: "127.0.0.1", port: Number(values.port), method: "POST", path: values.path, agent, headers: { authorization: `Bearer ${values.key}`, "content-type": "application/json", "content-length": Buffer.byteLength(body) } },
      (res) => {
        let text = "";
        res.on("data", (d: Buffer) => (text += d.toString()));
        res.on("end", () => {
          bump(statuses, String(res.statusCode));
          if ((res.statusCode ?? 0) >= 500) bump(errorBodies, text.slice(0, 80));
          done();
        });
      },
    );
    req.on("error", (e: NodeJS.ErrnoException) => {
      failures.push({ atMs: Date.now() - t0, reused: req.reusedSocket, code: e.code ?? e.message });
      bump(statuses, e.code ?? "error");
      done();
    });
    req.setTimeout(Number(values["timeout-ms"]), () => req.destroy(Object.assign(new Error("timeout"), { code: "TIMEOUT" })));
    req.end(body);
  });
}

samples.push(pids.map(rssMb));
const timer = setInterval(() => samples.push(pids.map(rssMb)), 1000);
let next = 0;
await Promise.all(Array.from({ length: concurrency }, async () => {
  while (next < total) await one(next++);
}));
clearInterval(timer);
samples.push(pids.map(rssMb));
agent.destroy();
console.log(JSON.stringify({
  seconds: (Date.now() - t0) / 1000,
  statuses: Object.fromEntries(statuses),
  errorBodies: Object.fromEntries(errorBodies),
  failures: failures.slice(0, 40),
  rssMbFirstLast: [samples[0] ?? [], samples.at(-1) ?? []],
  rssMbMax: pids.map((_, j) => Math.max(...samples.map((s) => s[j] ?? -1))),
}));
