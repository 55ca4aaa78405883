/**
 * The one interface every model provider implements (after vercel/ai's LanguageModel v3).
 * Requests and responses cross it in OpenAI's Chat Completions shape: adapters for other wire
 * formats (Anthropic Messages, SageMaker payloads, Workers AI) translate both ways inside their
 * own folder, so generic code never names a provider.
 */
import type { z } from "zod";
import type {
  ChatCompletionChunk,
  ChatCompletionRequest,
  ChatCompletionResponse,
} from "../../../../shared/schemas/openai-chat";
import type { EmbeddingsRequest, EmbeddingsResponse } from "../../../../shared/schemas/openai-embeddings";
import type { TokenUsage } from "../../../../shared/usage";

/** Bindings an adapter may use (Workers AI); kept structural so adapters stay testable in Node. */
export interface UpstreamBindings {
  AI?: { run(model: string, inputs: unknown, options?: unknown): Promise<unknown> };
}

export interface UpstreamCallContext<Config> {
  /** The adapter's own slice of the model's registry entry (validated by its `configSchema`). */
  config: Config;
  /** The provider's model id (registry `upstream.model`). */
  upstreamModel: string;
  /** Resolved credential (from the secret the registry names), if any. */
  credential: string | undefined;
  /** Aborts the call: per-attempt timeout or client disconnect. */
  signal: AbortSignal;
  bindings: UpstreamBindings;
  /** Injected so tests can point adapters at loopback servers. */
  fetch: typeof fetch;
  /**
   * The request's last message is a partial assistant answer to continue, not to answer
   * (a stream resume, chat/resume/). Only OpenAI-wire adapters honour it (vLLM's
   * `continue_final_message`); the registry allows the capability on no other kind.
   */
  continueFinalMessage?: boolean;
}

export interface ChatResult {
  response: ChatCompletionResponse;
  /** Usage as the upstream reported it; null when it did not (the caller counts tokens). */
  usage: TokenUsage | null;
}

export interface ChatStreamResult {
  /**
   * OpenAI-shaped chunks. The stream is "open" (HTTP status confirmed) when this resolves, so
   * failures before this point may be retried elsewhere; failures while iterating may not.
   * The final chunk may carry `usage` (adapters ask for it when the provider supports it).
   */
  chunks: AsyncIterable<ChatCompletionChunk>;
}

export interface Upstream<Config = unknown> {
  /** Registry `upstream.kind` this adapter serves. */
  readonly kind: string;
  /** zod schema for this adapter's part of a registry entry (`upstream: { kind, ... }`). */
  readonly configSchema: z.ZodType<Config>;
  chat(request: ChatCompletionRequest, ctx: UpstreamCallContext<Config>): Promise<ChatResult>;
  chatStream(request: ChatCompletionRequest, ctx: UpstreamCallContext<Config>): Promise<ChatStreamResult>;
  embed?(request: EmbeddingsRequest, ctx: UpstreamCallContext<Config>): Promise<EmbeddingsResponse>;
}

/**
 * A failed upstream call, classified once by the adapter: retryable = 408, 409, 429, 5xx and
 * connection errors (vercel/ai api-call-error). `retryAfterMs` comes from `Retry-After`.
 */
export class UpstreamError extends Error {
  readonly status: number | undefined;
  readonly retryable: boolean;
  readonly retryAfterMs: number | undefined;
  readonly timeout: boolean;

  constructor(
    message: string,
    options: { status?: number; retryable?: boolean; retryAfterMs?: number; timeout?: boolean; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "UpstreamError";
    this.status = options.status;
    this.timeout = options.timeout ?? false;
    this.retryable = options.retryable ?? (options.status === undefined || isRetryableStatus(options.status));
    this.retryAfterMs = options.retryAfterMs;
  }
}

export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 409 || status === 429 || status >= 500;
}

/** `Retry-After` as milliseconds: delta-seconds or an HTTP date (RFC 9110 §10.2.3). */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Turns a non-2xx fetch Response into an UpstreamError without leaking its body to clients. */
export async function upstreamErrorFromResponse(res: Response, provider: string): Promise<UpstreamError> {
  let detail = "";
  try {
    detail = (await res.text()).slice(0, 300);
  } catch {
    // body unreadable: the status is enough
  }
  return new UpstreamError(`${provider} answered HTTP ${res.status}${detail ? `: ${detail}` : ""}`, {
    status: res.status,
    retryAfterMs: parseRetryAfter(res.headers.get("retry-after")),
  });
}
