/**
 * Per-tenant guardrail policy, validated at the boundary (tenant config from D1/KV).
 * Defaults: credentials and government/financial ids are redacted, secrets are redacted
 * (never sent upstream in clear), everyday entities like DATE_TIME and URL are allowed
 * because redacting them degrades answers more than it protects anyone.
 */
import { z } from "zod";
import { DEFAULT_THRESHOLD, scoreForRate } from "./injection/calibrate";
import { PII_ENTITY_TYPES, type PiiEntityType } from "./types";

export const PII_ACTIONS = ["redact", "mask", "hash", "block", "allow"] as const;
export type PiiAction = (typeof PII_ACTIONS)[number];
export const PiiActionSchema = z.enum(PII_ACTIONS);

export const DEFAULT_PII_ACTIONS: Readonly<Record<PiiEntityType, PiiAction>> = {
  EMAIL_ADDRESS: "redact",
  PHONE_NUMBER: "redact",
  CREDIT_CARD: "redact",
  IBAN_CODE: "redact",
  US_SSN: "redact",
  IP_ADDRESS: "redact",
  URL: "allow",
  CRYPTO: "redact",
  US_BANK_NUMBER: "redact",
  ABA_ROUTING_NUMBER: "redact",
  US_PASSPORT: "redact",
  US_DRIVER_LICENSE: "redact",
  DATE_TIME: "allow",
  API_KEY: "redact",
  PRIVATE_KEY: "redact",
  JWT: "redact",
  SECRET: "redact",
  PERSON: "redact",
  LOCATION: "allow",
  STREET_ADDRESS: "redact",
  ORGANIZATION: "allow",
};

const EntityActionsSchema = z
  .partialRecord(z.enum(PII_ENTITY_TYPES), PiiActionSchema)
  .transform((overrides) => ({ ...DEFAULT_PII_ACTIONS, ...overrides }));

export const PiiSettingsSchema = z
  .object({
    enabled: z.boolean().default(true),
    /** Per-entity overrides merged over DEFAULT_PII_ACTIONS. */
    entities: EntityActionsSchema.default({ ...DEFAULT_PII_ACTIONS }),
    /** Findings scoring below this are ignored. */
    minScore: z.number().min(0).max(1).default(0.5),
    language: z.string().min(2).max(16).default("en"),
    /** Apply the same policy to PII the model writes that the user did not send. */
    scanOutput: z.boolean().default(true),
    /**
     * /v1/embeddings inputs given as token ids (`[101, 2023]`, `[[101], [2023]]`) are the client's
     * own tokenization of text the gateway cannot read, so no entity in them can be found. While
     * the policy acts on any entity they are refused (400 `unscannable_input`): no field reaches an
     * upstream unchecked. `forward_unscanned` sends them on as they are, for tenants whose clients
     * tokenize before sending (LangChain's Python `OpenAIEmbeddings` does unless
     * `check_embedding_ctx_length=False`) and who accept that those inputs are not redacted.
     */
    tokenIdInputs: z.enum(["refuse", "forward_unscanned"]).default("refuse"),
    /**
     * Inline payloads that are not text (a PNG or JPEG image, a PDF, `input_audio`): the gateway
     * reads text, not pixels or sound, so it cannot find an entity in them. `forward` (the
     * default, as for images in every other gateway) sends them on unread; `refuse` answers 400
     * `unscannable_input` while the policy acts on any entity, for tenants who must not send
     * anything unchecked. Text payloads (data: URLs and file_data holding text, by label or by
     * their bytes: data-payload.ts) are always decoded and redacted like message text, and one
     * labelled text that cannot be read is refused whatever this says. Inline payloads only: an
     * https image URL's bytes are fetched by the upstream.
     */
    opaqueInputs: z.enum(["forward", "refuse"]).default("forward"),
  })
  .prefault({});

export const InjectionSettingsSchema = z
  .object({
    enabled: z.boolean().default(true),
    action: z.enum(["block", "flag"]).default("block"),
    /**
     * Calibrated score at or above which a text is an injection. The score is
     * -log10(false-alarm rate)/4 on held-out benign texts of the same source, so 0.5 flags 1% of
     * benign look-alikes, 0.425 (the default) 2%, 0.38 3% (docs/guardrails.md).
     */
    threshold: z.number().min(0).max(1).default(DEFAULT_THRESHOLD),
    /** The same setting as a false-alarm rate (0.01 = 1%); when given it replaces `threshold`. */
    falseAlarmRate: z.number().min(0.0001).max(0.5).optional(),
  })
  .prefault({})
  .transform(({ falseAlarmRate, ...rest }) => (falseAlarmRate === undefined ? rest : { ...rest, threshold: scoreForRate(falseAlarmRate) }));

export const GuardrailSettingsSchema = z
  .object({
    pii: PiiSettingsSchema,
    injection: InjectionSettingsSchema,
    /**
     * Request fields the gateway does not forward (unknown ones, and known ones it drops such as
     * `store`) are a 400 (`unknown_parameter` / `unsupported_parameter`) instead of being dropped
     * silently: for tenants who want to know when a parameter of theirs has no effect.
     */
    strictFields: z.boolean().default(false),
  })
  .prefault({});
export type GuardrailSettings = z.output<typeof GuardrailSettingsSchema>;
export type GuardrailSettingsInput = z.input<typeof GuardrailSettingsSchema>;

export const DEFAULT_GUARDRAIL_SETTINGS: GuardrailSettings = GuardrailSettingsSchema.parse({});
