/**
 * Checks on a /v1/embeddings request that need no I/O and come before any guardrail reads its
 * text: fields the gateway does not forward (a 400 for strict tenants, as chat), and input sizes
 * (OpenAI's per-input context window and per-request token cap). The size check is what keeps a
 * 4 MB body from costing the PII tagger seconds of CPU: an input over the model's window is
 * refused after at most one window's worth of tokenizing (shared/bounded-token-count.ts).
 */
import { BoundedTokenCount } from "../../../../shared/bounded-token-count";
import { GatewayError } from "../../../../shared/errors";
import type { EmbeddingsRequest } from "../../../../shared/schemas/openai-embeddings";
import type { ModelEntry } from "../config/model-registry";

/** The fields the upstream adapters send (openai-compatible.ts embeddingsBody); others are dropped. */
export const EMBEDDINGS_FIELDS: ReadonlySet<string> = new Set(["model", "input", "encoding_format", "dimensions", "user"]);

/** OpenAI's cap on the tokens of all inputs of one embeddings request together. */
export const MAX_EMBEDDINGS_REQUEST_TOKENS = 300_000;

/** Client-chosen keys can be long: an error quotes at most this much of one. */
const MAX_PATH = 200;

/** Unknown top-level fields are dropped by the adapters; a strict tenant gets chat's 400 instead. */
export function checkEmbeddingsFields(body: Record<string, unknown>, strict: boolean): void {
  if (!strict) return;
  const unknown = Object.keys(body).find((k) => !EMBEDDINGS_FIELDS.has(k));
  if (unknown === undefined) return;
  const path = unknown.slice(0, MAX_PATH);
  throw new GatewayError("invalid_request", `Unrecognized request argument supplied: '${path}'. This tenant rejects unknown parameters (guardrails.strictFields).`, {
    param: path,
    code: "unknown_parameter",
  });
}

type Input = EmbeddingsRequest["input"];

/** Token-id inputs as lists (one list per input), or null for text inputs. */
function tokenLists(input: Input): readonly (readonly number[])[] | null {
  if (typeof input === "string" || typeof input[0] === "string") return null;
  return typeof input[0] === "number" ? [input as number[]] : (input as number[][]);
}

function textInputs(input: Input): readonly string[] {
  return typeof input === "string" ? [input] : (input as string[]);
}

/** `input` for a single input (a string or one flat token list), `input[i]` inside a batch. */
const param = (input: Input, index: number): string => (typeof input === "string" || typeof input[0] === "number" ? "input" : `input[${index}]`);

function overWindow(input: Input, index: number, model: ModelEntry, tokens: { tokens: number; complete: boolean }): GatewayError {
  const atLeast = tokens.complete ? "" : "at least ";
  return new GatewayError(
    "invalid_request",
    `This model's maximum context length is ${model.contextWindow} tokens (${model.id}). However, ${param(input, index)} has ${atLeast}${tokens.tokens} tokens. Please reduce the length of the input or split it.`,
    { param: param(input, index), code: "context_length_exceeded" },
  );
}

function overRequestCap(tokens: { tokens: number; complete: boolean }): GatewayError {
  const atLeast = tokens.complete ? "" : "at least ";
  return new GatewayError(
    "invalid_request",
    `Requested ${atLeast}${tokens.tokens} tokens, max ${MAX_EMBEDDINGS_REQUEST_TOKENS} tokens per request. Send the inputs in several requests.`,
    { param: "input", code: "max_tokens_per_request" },
  );
}

/** Each input within the model's window, all of them within OpenAI's per-request cap. */
export function checkEmbeddingsInputSize(input: Input, model: ModelEntry): void {
  const lists = tokenLists(input);
  if (lists) {
    let total = 0;
    for (const [i, list] of lists.entries()) {
      if (list.length > model.contextWindow) throw overWindow(input, i, model, { tokens: list.length, complete: true });
      total += list.length;
    }
    if (total > MAX_EMBEDDINGS_REQUEST_TOKENS) throw overRequestCap({ tokens: total, complete: true });
    return;
  }
  // The request's cap first: it bounds everything counted after it, so a batch of inputs each
  // near its window is refused after counting at most the cap, not every input to its window.
  const texts = textInputs(input);
  const all = new BoundedTokenCount(texts);
  if (!all.fitsIn(MAX_EMBEDDINGS_REQUEST_TOKENS)) throw overRequestCap(all.known);
  for (const [i, text] of texts.entries()) {
    const count = new BoundedTokenCount([text]);
    if (!count.fitsIn(model.contextWindow)) throw overWindow(input, i, model, count.known);
  }
}
