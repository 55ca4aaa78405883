/**
 * The model registry: which tiers exist, which models serve them, where each model's upstream
 * is, what it costs and how long to wait for it. One zod schema is the single source of truth;
 * adding a model is one entry in config/models.<env>.json. The registry is validated when the
 * Worker's module loads, so a bad entry fails at start with the field's path in the message.
 */
import { z } from "zod";
import { PricingSchema } from "../../../../shared/pricing";
import { UpstreamConfigSchema } from "../upstreams/registry";

export const TimeoutsSchema = z.object({
  /** Time allowed until response headers (non-stream: whole body) arrive. */
  firstByteMs: z.number().int().positive().default(30_000),
  /** Hard cap for one attempt, stream included. */
  totalMs: z.number().int().positive().default(120_000),
});

export const ResumeSchema = z.enum(["none", "continue_final_message"]);

export const ModelEntrySchema = z.object({
  /** Public name clients send in `model`. */
  id: z.string().min(1).max(128),
  aliases: z.array(z.string().min(1)).default([]),
  tier: z.string().min(1),
  /** Provider's own model id (what the upstream is called with). */
  upstreamModel: z.string().min(1),
  upstream: UpstreamConfigSchema,
  /** Name of the secret (binding) holding the credential, e.g. OPENAI_API_KEY. */
  credential: z.string().regex(/^[A-Z][A-Z0-9_]*$/, "secret names are UPPER_SNAKE_CASE").optional(),
  pricing: PricingSchema,
  contextWindow: z.number().int().positive(),
  maxOutputTokens: z.number().int().positive().default(4096),
  timeouts: TimeoutsSchema.default({ firstByteMs: 30_000, totalMs: 120_000 }),
  /** Retries against this model before falling back to the next one. */
  maxRetries: z.number().int().min(0).max(5).default(2),
  capabilities: z
    .object({
      tools: z.boolean().default(true),
      jsonSchema: z.boolean().default(true),
      embeddings: z.boolean().default(false),
      /**
       * How a stream the upstream cut after its first byte is resumed (chat/resume/): vLLM's
       * `continue_final_message` continues the partial answer sent back as the final assistant
       * message; "none" keeps the cut (the client gets `stream_interrupted`).
       */
      resume: ResumeSchema.default("none"),
    })
    .default({ tools: true, jsonSchema: true, embeddings: false, resume: "none" }),
});
export type ModelEntry = z.infer<typeof ModelEntrySchema>;

export const TierSchema = z.object({
  id: z.string().min(1),
  /** 0 = cheapest. Escalation goes up, budget downgrades go down. */
  rank: z.number().int().min(0),
  selfHosted: z.boolean(),
  description: z.string().optional(),
});
export type Tier = z.infer<typeof TierSchema>;

export const RegistrySchema = z
  .object({
    tiers: z.array(TierSchema).min(1),
    models: z.array(ModelEntrySchema).min(1),
    /** Tier `"model": "auto"` uses when the router is off or undecided. */
    defaultTier: z.string(),
    /** Model id used to price the frontier-only counterfactual (cost avoided). */
    counterfactualModel: z.string(),
    embeddingModel: z.string().optional(),
  })
  .superRefine((reg, ctx) => {
    const tiers = new Set(reg.tiers.map((t) => t.id));
    const names = new Set<string>();
    reg.models.forEach((m, i) => {
      if (m.capabilities.resume === "continue_final_message" && !speaksOpenAIChat(m.upstream))
        ctx.addIssue({ code: "custom", path: ["models", i, "capabilities", "resume"], message: "continue_final_message needs an OpenAI-wire upstream (openai-compatible, or sagemaker with payload openai-messages)" });
      if (!tiers.has(m.tier)) ctx.addIssue({ code: "custom", path: ["models", i, "tier"], message: `unknown tier "${m.tier}"` });
      for (const name of [m.id, ...m.aliases]) {
        if (names.has(name)) ctx.addIssue({ code: "custom", path: ["models", i, "id"], message: `duplicate model name "${name}"` });
        names.add(name);
      }
    });
    if (!tiers.has(reg.defaultTier)) ctx.addIssue({ code: "custom", path: ["defaultTier"], message: `unknown tier "${reg.defaultTier}"` });
    if (!names.has(reg.counterfactualModel))
      ctx.addIssue({ code: "custom", path: ["counterfactualModel"], message: `unknown model "${reg.counterfactualModel}"` });
    if (reg.embeddingModel !== undefined && !reg.models.some((m) => (m.id === reg.embeddingModel || m.aliases.includes(reg.embeddingModel as string)) && m.capabilities.embeddings))
      ctx.addIssue({ code: "custom", path: ["embeddingModel"], message: `"${reg.embeddingModel}" is not a model with capabilities.embeddings` });
  });
export type RegistryInput = z.input<typeof RegistrySchema>;

/** The upstreams whose body is openAIChatBody's, where `continue_final_message` can ride. */
function speaksOpenAIChat(upstream: ModelEntry["upstream"]): boolean {
  return upstream.kind === "openai-compatible" || (upstream.kind === "sagemaker" && upstream.payload === "openai-messages");
}

export class ModelRegistry {
  readonly tiers: readonly Tier[];
  readonly models: readonly ModelEntry[];
  readonly defaultTier: string;
  readonly counterfactualModel: ModelEntry;
  /** What `"model": "auto"` embeds with (when the key may use it). */
  readonly embeddingModel: ModelEntry | undefined;
  private readonly byName = new Map<string, ModelEntry>();

  constructor(input: unknown, source = "model registry") {
    const parsed = RegistrySchema.safeParse(input);
    if (!parsed.success) throw new Error(`Invalid ${source}: ${formatIssues(parsed.error)}`);
    const reg = parsed.data;
    this.tiers = [...reg.tiers].sort((a, b) => a.rank - b.rank);
    this.models = reg.models;
    this.defaultTier = reg.defaultTier;
    for (const m of reg.models) for (const name of [m.id, ...m.aliases]) this.byName.set(name, m);
    this.counterfactualModel = this.byName.get(reg.counterfactualModel) as ModelEntry;
    this.embeddingModel = reg.embeddingModel === undefined ? undefined : this.byName.get(reg.embeddingModel);
  }

  model(name: string): ModelEntry | undefined {
    return this.byName.get(name);
  }

  tier(id: string): Tier | undefined {
    return this.tiers.find((t) => t.id === id);
  }

  modelsInTier(tierId: string): ModelEntry[] {
    return this.models.filter((m) => m.tier === tierId);
  }

  /** Tiers from `fromTier` upwards (stronger), then the weaker ones: the fallback order. */
  fallbackTiers(fromTier: string): Tier[] {
    const start = this.tier(fromTier)?.rank ?? 0;
    const up = this.tiers.filter((t) => t.rank >= start);
    const down = this.tiers.filter((t) => t.rank < start).reverse();
    return [...up, ...down];
  }
}

export function formatIssues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.length ? i.path.join(".") : "(root)"}: ${i.message}`).join("; ");
}
