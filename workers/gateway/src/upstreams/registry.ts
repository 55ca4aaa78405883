/**
 * THE list of upstream adapters. Adding a provider = one folder + one line in UPSTREAMS and one
 * in UpstreamConfigSchema (+ its price rows). Generic code resolves an adapter with
 * `upstreamFor(config)` and never names a provider.
 */
import { z } from "zod";
import { AnthropicConfigSchema, anthropicUpstream } from "./anthropic/anthropic";
import { OpenAICompatibleConfigSchema, openAICompatibleUpstream } from "./openai-compatible/openai-compatible";
import { SageMakerConfigSchema, sageMakerUpstream } from "./sagemaker/sagemaker";
import type { Upstream } from "./upstream";
import { WorkersAIConfigSchema, workersAIUpstream } from "./workers-ai/workers-ai";

export const UPSTREAMS = {
  "openai-compatible": openAICompatibleUpstream,
  anthropic: anthropicUpstream,
  sagemaker: sageMakerUpstream,
  "workers-ai": workersAIUpstream,
} as const;

export const UpstreamConfigSchema = z.discriminatedUnion("kind", [
  OpenAICompatibleConfigSchema,
  AnthropicConfigSchema,
  SageMakerConfigSchema,
  WorkersAIConfigSchema,
]);
export type UpstreamConfig = z.infer<typeof UpstreamConfigSchema>;
export type UpstreamKind = keyof typeof UPSTREAMS;

/**
 * The adapter for a registry entry's `upstream` block, typed over the whole config union so
 * generic code writes `upstreamFor(cfg).chat(req, { config: cfg, ... })`. Sound as long as the
 * ctx.config passed is the same `cfg`: the kind selects the adapter whose schema parsed it.
 */
export function upstreamFor(config: UpstreamConfig): Upstream<UpstreamConfig> {
  return UPSTREAMS[config.kind] as Upstream<never> as Upstream<UpstreamConfig>;
}
