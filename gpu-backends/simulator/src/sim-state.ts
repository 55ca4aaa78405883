/** Everything a running simulator holds in memory: per-model runtime, replay index, request log. */
import { z } from "zod";
import type { FaultConfig, ModelConfig, SimulatorConfig } from "./config";
import { FaultConfigSchema } from "./config";
import { FifoSemaphore } from "./fifo-semaphore";
import { ModelMetrics } from "./metrics";
import type { ReplayEntry } from "./replay";
import { ReplayIndex } from "./replay";
import { RequestLog } from "./request-log";

export interface ModelRuntime {
  id: string;
  config: ModelConfig;
  slots: FifoSemaphore;
  metrics: ModelMetrics;
  /** Mutable copy of `config.faults`: changed by POST /_sim/faults and by `failNext` counting down. */
  faults: FaultConfig;
}

export interface SimState {
  models: Map<string, ModelRuntime>;
  replay: ReplayIndex;
  log: RequestLog;
  createdAt: number;
}

export function createState(config: SimulatorConfig, replay: readonly ReplayEntry[]): SimState {
  const models = new Map<string, ModelRuntime>();
  for (const m of config.models) {
    models.set(m.id, { id: m.id, config: m, slots: new FifoSemaphore(m.maxConcurrency), metrics: new ModelMetrics(), faults: { ...m.faults } });
  }
  return { models, replay: new ReplayIndex(replay), log: new RequestLog(config.requestLogSize), createdAt: Math.floor(Date.now() / 1000) };
}

/** Body of POST /_sim/faults: a partial fault config merged into the model's; `reset` restores the file's. */
export const FaultPatchSchema = FaultConfigSchema.partial()
  .extend({ model: z.string().min(1), reset: z.boolean().optional() })
  .strict();
export type FaultPatch = z.infer<typeof FaultPatchSchema>;

export function applyFaultPatch(state: SimState, patch: FaultPatch): FaultConfig | undefined {
  const runtime = state.models.get(patch.model);
  if (!runtime) return undefined;
  const { model: _model, reset, ...fields } = patch;
  const base = reset ? { ...runtime.config.faults } : runtime.faults;
  const defined = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
  runtime.faults = { ...base, ...defined };
  return runtime.faults;
}

export function resetState(state: SimState): void {
  for (const m of state.models.values()) m.faults = { ...m.config.faults };
  state.log.clear();
}
