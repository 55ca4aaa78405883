/**
 * What one chat request accumulates as it moves down the pipeline: who asked, what was
 * asked (after redaction), what each stage decided, and how the upstream answered. Stages
 * read and extend it; the usage event and response headers are derived from it.
 */
import type { ChatCompletionRequest } from "../../../../shared/schemas/openai-chat";
import type { AttemptRecord, UsageEventV1 } from "../../../../shared/schemas/usage-event";
import type { AuthContext } from "../app-env";
import type { ModelEntry } from "../config/model-registry";
import type { ServerTiming } from "../telemetry/server-timing";

export interface ChatExchange {
  requestId: string;
  /** The caller's own correlation id, echoed back and kept in the trace (middleware/request-id.ts). */
  clientRequestId: string | null;
  receivedAt: number;
  auth: AuthContext;
  feature: string | null;
  timing: ServerTiming;
  /** As the client sent it (never leaves this request). */
  original: ChatCompletionRequest;
  /** What every later stage, the cache and the upstream see (redacted once `redacted` is true). */
  request: ChatCompletionRequest;
  /**
   * True once the input guardrails replaced `request` with its redacted form (guardrails-stage.ts).
   * Until then `request` is the client's text: a request refused or blocked before that point
   * (no PII_HASH_KEY, a PII or injection block, a bad parameter) must not write it anywhere (traces).
   */
  redacted: boolean;
  stream: boolean;
  includeUsage: boolean;
  cache: UsageEventV1["cache"];
  cacheSimilarity: number | null;
  /** Decisions for the trace: route, guardrails, cache. Redacted data only. */
  decisions: Record<string, unknown>;
  /** Extra response headers the stages contribute (x-route-*, x-guardrails, x-cache...). */
  headers: Record<string, string>;
  attempts: AttemptRecord[];
  answeredBy: ModelEntry | null;
  /** The prompt version the messages were rendered from (prompts/chat-prompt.ts), if any. */
  prompt?: { id: string; version: number };
}
