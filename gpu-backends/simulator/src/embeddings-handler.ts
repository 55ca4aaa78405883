/**
 * POST /v1/embeddings: deterministic unit vectors seeded by a hash of each input, so equal texts
 * embed equally (exact-duplicate cache hits) and different texts are nearly orthogonal.
 * Not semantic: paraphrases do not land close; use a real embedder to tune thresholds.
 * Spec: https://platform.openai.com/docs/api-reference/embeddings
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { z } from "zod";
import type { EmbeddingsRequest } from "../../../shared/schemas/openai-embeddings";
import { EmbeddingsRequestSchema } from "../../../shared/schemas/openai-embeddings";
import { fnv1a } from "../../../shared/hash/fnv1a";
import { seededRng } from "./hash";
import { FAULT_HEADER, RETRY_AFTER_HEADER, decideFault, retryAfterOf } from "./faults";
import { HttpError, errorType, sendError, sendJson } from "./http-util";
import type { SimState } from "./sim-state";
import { countText } from "./tokens";

/** The unit vector the simulator returns for `text` (exported so tests can predict it). */
export function simEmbedding(text: string, dimensions: number): Float32Array {
  const rng = seededRng(fnv1a(text));
  const v = new Float32Array(dimensions);
  let norm = 0;
  for (let i = 0; i < dimensions; i++) {
    const x = rng() * 2 - 1;
    v[i] = x;
    norm += x * x;
  }
  const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
  for (let i = 0; i < dimensions; i++) v[i] = (v[i] as number) * scale;
  return v;
}

/** Inputs as (seed text, token count); token-id inputs are hashed by their ids. */
function inputsOf(input: EmbeddingsRequest["input"]): Array<{ text: string; tokens: number }> {
  if (typeof input === "string") return [{ text: input, tokens: countText(input) }];
  if (input.length > 0 && typeof input[0] === "number") {
    const ids = input as number[];
    return [{ text: `ids:${ids.join(",")}`, tokens: ids.length }];
  }
  return (input as Array<string | number[]>).map((x) =>
    typeof x === "string" ? { text: x, tokens: countText(x) } : { text: `ids:${x.join(",")}`, tokens: x.length },
  );
}

const headerOf = (req: IncomingMessage, name: string): string | undefined => {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
};

export function handleEmbeddings(state: SimState, req: IncomingMessage, res: ServerResponse, body: unknown): void {
  const parsed = EmbeddingsRequestSchema.safeParse(body);
  if (!parsed.success) throw new HttpError(400, z.prettifyError(parsed.error));
  const request = parsed.data;
  const model = state.models.get(request.model);
  if (!model) throw new HttpError(404, `The model \`${request.model}\` does not exist.`, "NotFoundError");
  // Only the x-sim-fault header applies here: config faults (failNext, rates) target chat, so
  // an embedder sharing the model cannot consume a test's "fail the next K" budget.
  const header = headerOf(req, FAULT_HEADER);
  if (header) {
    const fault = decideFault(header, model.faults);
    if (fault.kind === "hang") return;
    if (fault.kind === "error") {
      const retryAfter = retryAfterOf(headerOf(req, RETRY_AFTER_HEADER), model.faults);
      sendError(res, fault.status, `simulated upstream error ${fault.status}`, errorType(fault.status), retryAfter ? { "retry-after": retryAfter } : {});
      return;
    }
  }
  const dimensions = request.dimensions ?? model.config.embeddingDimensions;
  const inputs = inputsOf(request.input);
  let promptTokens = 0;
  const data = inputs.map((input, index) => {
    promptTokens += input.tokens;
    const vector = simEmbedding(input.text, dimensions);
    // The openai SDK asks for base64 by default: little-endian float32, as OpenAI sends it.
    const embedding = request.encoding_format === "base64" ? Buffer.from(vector.buffer).toString("base64") : Array.from(vector);
    return { object: "embedding", index, embedding };
  });
  model.metrics.recordSuccess("stop", promptTokens, 0);
  sendJson(res, 200, { object: "list", data, model: model.id, usage: { prompt_tokens: promptTokens, total_tokens: promptTokens } });
}
