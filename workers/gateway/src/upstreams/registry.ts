/**
 * THE list of upstream adapters. Adding a provider = one folder + one line here (+ price rows).
 * Generic code resolves an adapter with `upstreamFor(config)` and never names a provider.
 */
import { z } from "zod";
import { AnthropicConfigSchema, anthropicUpstream } from "./anthropic/anthropic";
import { OpenAICompatibleConfigSchema, openAICompatibleUpstream } from "./openai-compatible/openai-compatible";
import type { Upstream } from "./upstream";

export const UPSTREAMS = {
  "openai-compatible": openAICompatibleUpstream,
  anthropic: anthropicUpstream,
} as const;

export const UpstreamConfigSchema = z.discriminatedUnion("kind", [OpenAICompatibleConfigSchema, AnthropicConfigSchema]);
export type UpstreamConfig = z.infer<typeof UpstreamConfigSchema>;
export type UpstreamKind = UpstreamConfig["kind"];

/**
 * The adapter for a registry entry's `upstream` block. Typed over the whole config union so
 * callers pass `ctx.config` = that same block; each adapter re-checks the kind it was given.
 */
export function upstreamFor(config: UpstreamConfig): Upstream<UpstreamConfig> {
  const adapter = UPSTREAMS[config.kind] as Upstream<UpstreamConfig>;
  return adapter;
}
