/**
 * Prices and cost. Per-token prices are USD per 1M tokens (input, output, cached input), as
 * frontier APIs publish them. Self-hosted tiers are priced from what the GPU costs: USD per
 * GPU-hour times GPUs, spread over the measured output throughput (prefill is far cheaper
 * per token than decode, so input tokens are weighted by `inputTokenWeight`).
 */
import { z } from "zod";
import type { TokenUsage } from "./usage";

export const PerTokenPricingSchema = z.object({
  kind: z.literal("per-token"),
  inputPer1M: z.number().nonnegative(),
  outputPer1M: z.number().nonnegative(),
  cachedInputPer1M: z.number().nonnegative().optional(),
});

export const GpuHourPricingSchema = z.object({
  kind: z.literal("gpu-hour"),
  usdPerGpuHour: z.number().positive(),
  gpus: z.number().int().positive().default(1),
  /** Aggregate output tokens per second the deployment sustains at its usual batch size. */
  tokensPerSecond: z.number().positive(),
  /** Cost of one prompt token relative to one generated token (prefill vs decode). */
  inputTokenWeight: z.number().nonnegative().default(0.1),
});

export const PricingSchema = z.discriminatedUnion("kind", [PerTokenPricingSchema, GpuHourPricingSchema]);
export type Pricing = z.infer<typeof PricingSchema>;
export type PricingInput = z.input<typeof PricingSchema>;

export function costUsd(usage: TokenUsage, pricing: Pricing): number {
  if (pricing.kind === "per-token") {
    const cached = Math.min(usage.input.cached, usage.input.total);
    const uncached = usage.input.total - cached;
    const cachedPrice = pricing.cachedInputPer1M ?? pricing.inputPer1M;
    return (uncached * pricing.inputPer1M + cached * cachedPrice + usage.output.total * pricing.outputPer1M) / 1_000_000;
  }
  const usdPerSecond = (pricing.usdPerGpuHour * pricing.gpus) / 3600;
  const weightedTokens = usage.output.total + usage.input.total * pricing.inputTokenWeight;
  return (weightedTokens / pricing.tokensPerSecond) * usdPerSecond;
}
