/**
 * The GPU simulator in its own process, as `npm start` runs it: the judges' simulated decode
 * time then does not compete for the bench's event loop (which drives the Worker harness).
 */
import { spawn } from "node:child_process";
import { resolve } from "node:path";

export interface SimulatorProcess {
  /** http://127.0.0.1:PORT (no /v1), as SIMULATOR_URL takes it. */
  url: string;
  close: () => Promise<void>;
}

export function startSimulatorProcess(config: string): Promise<SimulatorProcess> {
  const root = resolve(import.meta.dirname, "../..");
  const child = spawn(process.execPath, ["--import", "tsx", "gpu-backends/simulator/src/main.ts", "--config", config, "--port", "0"], { cwd: root, stdio: ["ignore", "pipe", "inherit"] });
  const close = () =>
    new Promise<void>((ok) => {
      if (child.exitCode !== null) return ok();
      child.once("exit", () => ok());
      child.kill("SIGTERM");
    });
  return new Promise((ok, fail) => {
    let out = "";
    child.stdout?.on("data", (buf: Buffer) => {
      out += buf.toString();
      const m = /listening on (http:\/\/[^\s/]+)/.exec(out);
      if (m?.[1]) ok({ url: m[1], close });
    });
    child.once("exit", (code) => fail(new Error(`simulator exited (${code}) before listening: ${out}`)));
  });
}
