/**
 * Ports for `npm start`, checked before anything starts: a gateway or simulator port in use
 * (another copy of the stack, say) is a clear message naming its variable; the V8 inspector,
 * which nothing outside a debugger needs, moves to a free port instead (wrangler would
 * otherwise fail on 9229 when a second copy runs).
 */
import { createServer } from "node:net";

export type PortCheck = { ok: true; gateway: number; simulator: number; inspector: number } | { ok: false; message: string };

/** Listens on host:port once: the port it got (0 asks the OS for a free one), or null if taken. */
export function tryListen(port: number, host = "127.0.0.1"): Promise<number | null> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(null));
    server.listen(port, host, () => {
      const address = server.address();
      const got = typeof address === "object" && address ? address.port : null;
      server.close(() => resolve(got));
    });
  });
}

function parsePort(value: string): number | null {
  const n = Number(value);
  return Number.isInteger(n) && n >= 1 && n <= 65_535 ? n : null;
}

export async function checkPorts(wanted: { gateway: string; simulator: string; inspector: string }): Promise<PortCheck> {
  const names = { gateway: "GATEWAY_PORT", simulator: "SIMULATOR_PORT", inspector: "INSPECTOR_PORT" } as const;
  const ports: Record<keyof typeof names, number> = { gateway: 0, simulator: 0, inspector: 0 };
  for (const key of Object.keys(names) as Array<keyof typeof names>) {
    const port = parsePort(wanted[key]);
    if (port === null) return { ok: false, message: `${names[key]} must be a port number from 1 to 65535, not '${wanted[key]}'.` };
    ports[key] = port;
  }
  if (new Set(Object.values(ports)).size < 3) return { ok: false, message: `the gateway, simulator and inspector ports must differ (${ports.gateway}, ${ports.simulator}, ${ports.inspector}).` };
  for (const key of ["gateway", "simulator"] as const) {
    if ((await tryListen(ports[key])) === null) {
      return { ok: false, message: `port ${ports[key]} (${names[key]}) is in use, by another npm start perhaps: stop it, or run with ${names[key]}=<free port>.` };
    }
  }
  if ((await tryListen(ports.inspector)) === null) {
    const free = await tryListen(0);
    if (free === null) return { ok: false, message: "no free port for the V8 inspector." };
    ports.inspector = free;
  }
  return { ok: true, ...ports };
}
