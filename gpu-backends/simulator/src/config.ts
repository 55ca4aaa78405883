/**
 * Simulator configuration: one JSON file validated here, so a typo fails at start-up instead
 * of silently serving defaults. Every latency may be 0 (benchmarks measure the gateway, not us).
 */
import { readFileSync } from "node:fs";
import { z } from "zod";

export const FaultConfigSchema = z
  .object({
    /** Probability (0..1) a request fails with `errorStatus` before any work. */
    errorRate: z.number().min(0).max(1).default(0),
    errorStatus: z.number().int().min(400).max(599).default(500),
    /** Probability the server accepts the request and never answers. */
    hangRate: z.number().min(0).max(1).default(0),
    /** Probability a stream (or body) is cut after about half of its content. */
    disconnectMidStreamRate: z.number().min(0).max(1).default(0),
    /** Probability the first token comes `latency.slowFirstTokenMs` late (as `x-sim-fault: slow-first-token`). */
    slowFirstTokenRate: z.number().min(0).max(1).default(0),
    /** The next K requests fail with `failStatus` (then the counter runs out): deterministic outages. */
    failNext: z.number().int().min(0).default(0),
    failStatus: z.number().int().min(400).max(599).default(503),
    /** The next K streams (or bodies) are cut after about half of their content: deterministic cuts, continuations included. */
    disconnectNext: z.number().int().min(0).default(0),
    /** Seconds sent as `Retry-After` on injected errors; omitted when unset. */
    retryAfterSeconds: z.number().int().min(0).optional(),
  })
  .strict();
export type FaultConfig = z.infer<typeof FaultConfigSchema>;
export type FaultConfigInput = z.input<typeof FaultConfigSchema>;

export const LatencySchema = z
  .object({
    /** Time to first token (prefill + queueing inside the engine). */
    ttftMs: z.number().min(0).default(0),
    /** Time per output token (decode step). */
    tpotMs: z.number().min(0).default(0),
    /** Relative jitter: each delay is multiplied by a uniform factor in [1-j, 1+j]. */
    jitter: z.number().min(0).max(1).default(0),
    /** Extra delay before the first token for `x-sim-fault: slow-first-token`. */
    slowFirstTokenMs: z.number().min(0).default(3_000),
  })
  .strict();
export type Latency = z.infer<typeof LatencySchema>;

export const ModelConfigSchema = z
  .object({
    id: z.string().min(1).max(256),
    latency: LatencySchema.default(LatencySchema.parse({})),
    /** Requests beyond this wait in a FIFO queue (vLLM's `max_num_seqs`). */
    maxConcurrency: z.number().int().min(1).default(64),
    /** Output length of synthetic answers when the request sets no limit. */
    defaultOutputTokens: z.number().int().min(1).default(48),
    /** Reported as `max_model_len` in /v1/models. */
    maxModelLen: z.number().int().min(1).default(32_768),
    embeddingDimensions: z.number().int().min(1).max(65_536).default(384),
    faults: FaultConfigSchema.default(FaultConfigSchema.parse({})),
    /** false: answers carry no `usage` (as some TGI / SageMaker containers), so the gateway counts tokens itself. */
    reportUsage: z.boolean().default(true),
  })
  .strict();
export type ModelConfig = z.infer<typeof ModelConfigSchema>;

export const SimulatorConfigSchema = z
  .object({
    models: z.array(ModelConfigSchema).min(1),
    /** JSONL of {model?, prompt, response}; `--replay` overrides it. Relative to the config file. */
    replayFile: z.string().optional(),
    /** How many request bodies `GET /_sim/requests` keeps. */
    requestLogSize: z.number().int().min(0).default(100),
  })
  .strict()
  .refine((c) => new Set(c.models.map((m) => m.id)).size === c.models.length, "model ids must be unique");
export type SimulatorConfig = z.infer<typeof SimulatorConfigSchema>;
export type SimulatorConfigInput = z.input<typeof SimulatorConfigSchema>;

export function parseConfig(input: unknown): SimulatorConfig {
  const parsed = SimulatorConfigSchema.safeParse(input);
  if (!parsed.success) throw new Error(`invalid simulator config: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

export function loadConfigFile(path: string): SimulatorConfig {
  return parseConfig(JSON.parse(readFileSync(path, "utf8")));
}
