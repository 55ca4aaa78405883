/**
 * Programmatic entry: start a simulator on loopback for tests and benches.
 *   const sim = await startSimulator({ port: 0 });
 *   new OpenAI({ baseURL: sim.baseUrl, apiKey: "x" });
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { dirname, resolve } from "node:path";
import type { FaultConfig, SimulatorConfig, SimulatorConfigInput } from "./config";
import { loadConfigFile, parseConfig } from "./config";
import type { LoggedRequest } from "./request-log";
import type { ReplayEntry } from "./replay";
import { loadReplayFile } from "./replay";
import { makeHandler } from "./routes";
import type { FaultPatch, SimState } from "./sim-state";
import { applyFaultPatch, createState, resetState } from "./sim-state";

export interface SimulatorOptions {
  /** 0 (default) picks an ephemeral port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Inline config; wins over `configPath`. Neither: `small-sim` + `frontier-sim` at zero latency. */
  config?: SimulatorConfigInput;
  configPath?: string;
  /** JSONL replay file; wins over the config's `replayFile`. */
  replayFile?: string;
  /** Replay entries given in memory (added after the file's). */
  replay?: ReplayEntry[];
}

export interface RunningSimulator {
  /** http://host:port (no /v1). */
  url: string;
  /** `${url}/v1`: what OpenAI clients take as base URL. */
  baseUrl: string;
  port: number;
  close(): Promise<void>;
  /** Same as POST /_sim/faults. */
  setFaults(patch: FaultPatch): FaultConfig;
  /** Same as GET /_sim/requests. */
  requests(): LoggedRequest[];
  /** Restores config faults and clears the request log. */
  reset(): void;
  readonly state: SimState;
}

export const DEFAULT_CONFIG: SimulatorConfigInput = {
  models: [{ id: "small-sim" }, { id: "frontier-sim", defaultOutputTokens: 96 }],
};

function resolveConfig(options: SimulatorOptions): { config: SimulatorConfig; replay: ReplayEntry[] } {
  let config: SimulatorConfig;
  let replayPath = options.replayFile;
  if (options.config) config = parseConfig(options.config);
  else if (options.configPath) {
    config = loadConfigFile(options.configPath);
    if (!replayPath && config.replayFile) replayPath = resolve(dirname(options.configPath), config.replayFile);
  } else config = parseConfig(DEFAULT_CONFIG);
  replayPath ??= config.replayFile;
  const replay = [...(replayPath ? loadReplayFile(replayPath) : []), ...(options.replay ?? [])];
  return { config, replay };
}

export async function startSimulator(options: SimulatorOptions = {}): Promise<RunningSimulator> {
  const { config, replay } = resolveConfig(options);
  const state = createState(config, replay);
  const server = createServer({ keepAliveTimeout: 30_000 }, makeHandler(state));
  const host = options.host ?? "127.0.0.1";
  await new Promise<void>((ok, fail) => {
    server.once("error", fail);
    server.listen(options.port ?? 0, host, () => ok());
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
  return {
    url,
    baseUrl: `${url}/v1`,
    port,
    state,
    close: () =>
      new Promise<void>((ok) => {
        server.close(() => ok());
        // Hung and streaming requests would otherwise keep close() waiting forever.
        server.closeAllConnections();
      }),
    setFaults: (patch) => {
      const faults = applyFaultPatch(state, patch);
      if (!faults) throw new Error(`unknown model ${patch.model}`);
      return faults;
    },
    requests: () => state.log.list(),
    reset: () => resetState(state),
  };
}
