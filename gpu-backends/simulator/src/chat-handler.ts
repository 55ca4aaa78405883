/**
 * POST /v1/chat/completions: validate, apply faults, wait for a slot (FIFO), then answer whole
 * or as SSE the way vLLM/OpenAI do: a role chunk, content (or tool-call) deltas, a chunk with
 * finish_reason, an optional usage chunk with empty choices, then `data: [DONE]`. A request with
 * vLLM's `continue_final_message` continues its partial assistant message (continuation.ts).
 * Spec: https://platform.openai.com/docs/api-reference/chat/streaming
 */
import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { z } from "zod";
import type { ChatCompletionRequest, OpenAIUsage } from "../../../shared/schemas/openai-chat";
import { ChatCompletionRequestSchema } from "../../../shared/schemas/openai-chat";
import { SSE_DONE, sseData } from "../../../shared/sse";
import type { Answer } from "./answer";
import { buildAnswer } from "./answer";
import { continueAnswer, isContinuation } from "./continuation";
import { answerLogprobs } from "./logprobs";
import type { Fault } from "./faults";
import { FAULT_HEADER, RETRY_AFTER_HEADER, decideFault, retryAfterOf } from "./faults";
import { HttpError, errorType, sendError, sleep } from "./http-util";
import type { ModelRuntime, SimState } from "./sim-state";
import { countPromptTokens } from "./tokens";

interface Exchange {
  id: string;
  created: number;
  model: ModelRuntime;
  request: ChatCompletionRequest;
  answer: Answer;
  usage: OpenAIUsage;
  fault: Fault;
  arrivedAt: number;
  signal: AbortSignal;
}

const header = (req: IncomingMessage, name: string): string | undefined => {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
};

const jittered = (ms: number, jitter: number): number => (ms <= 0 ? 0 : ms * (1 + jitter * (2 * Math.random() - 1)));

function firstTokenDelay(ex: Exchange): number {
  const lat = ex.model.config.latency;
  return jittered(lat.ttftMs, lat.jitter) + (ex.fault.kind === "slow-first-token" ? lat.slowFirstTokenMs : 0);
}

function decodeDelay(ex: Exchange): number {
  const lat = ex.model.config.latency;
  return jittered(lat.tpotMs * ex.answer.completionTokens, lat.jitter);
}

function completionBody(ex: Exchange): unknown {
  const { answer } = ex;
  const message = { role: "assistant", content: answer.content, ...(answer.toolCalls ? { tool_calls: answer.toolCalls } : {}) };
  return {
    id: ex.id,
    object: "chat.completion",
    created: ex.created,
    model: ex.model.id,
    choices: [{ index: 0, message, logprobs: ex.request.logprobs === true ? answerLogprobs(answer, ex.model.id) : null, finish_reason: answer.finishReason, stop_reason: null }],
    ...(ex.model.config.reportUsage ? { usage: ex.usage } : {}),
  };
}

async function respondWhole(ex: Exchange, res: ServerResponse): Promise<boolean> {
  await sleep(firstTokenDelay(ex), ex.signal);
  ex.model.metrics.recordTtft((performance.now() - ex.arrivedAt) / 1000);
  await sleep(decodeDelay(ex), ex.signal);
  if (ex.signal.aborted) return false;
  const body = Buffer.from(JSON.stringify(completionBody(ex)));
  res.writeHead(200, { "content-type": "application/json", "content-length": body.length });
  if (ex.fault.kind === "disconnect-mid-stream") {
    res.write(body.subarray(0, body.length >> 1), () => res.destroy());
    return false;
  }
  res.end(body);
  return true;
}

function chunkOf(ex: Exchange, delta: Record<string, unknown>, finishReason: string | null): string {
  const withUsage = ex.request.stream_options?.include_usage === true;
  const choice = { index: 0, delta, logprobs: null, finish_reason: finishReason };
  return sseData({ id: ex.id, object: "chat.completion.chunk", created: ex.created, model: ex.model.id, choices: [choice], ...(withUsage ? { usage: null } : {}) });
}

function deltaOf(ex: Exchange, piece: string, first: boolean): Record<string, unknown> {
  const call = ex.answer.toolCalls?.[0];
  if (!call) return { content: piece };
  const fn = first ? { name: call.function.name, arguments: piece } : { arguments: piece };
  return { tool_calls: [{ index: 0, ...(first ? { id: call.id, type: "function" } : {}), function: fn }] };
}

async function respondStream(ex: Exchange, res: ServerResponse): Promise<boolean> {
  // Zero-latency runs coalesce everything into one write; otherwise flush before each pause.
  let pending = "";
  const pause = async (ms: number): Promise<void> => {
    if (ms <= 0) return;
    if (pending) res.write(pending);
    pending = "";
    await sleep(ms, ex.signal);
  };
  await pause(firstTokenDelay(ex));
  pending += chunkOf(ex, { role: "assistant", content: "" }, null);
  ex.model.metrics.recordTtft((performance.now() - ex.arrivedAt) / 1000);
  const { pieces } = ex.answer;
  const cutAt = ex.fault.kind === "disconnect-mid-stream" ? pieces.length >> 1 : -1;
  const perPiece = pieces.length > 1 ? decodeDelay(ex) / (pieces.length - 1) : 0;
  for (let i = 0; i < pieces.length; i++) {
    if (i > 0) await pause(perPiece);
    if (ex.signal.aborted) return false;
    if (i === cutAt) {
      res.write(pending, () => res.destroy());
      return false;
    }
    pending += chunkOf(ex, deltaOf(ex, pieces[i] as string, i === 0), null);
  }
  pending += chunkOf(ex, {}, ex.answer.finishReason);
  if (ex.request.stream_options?.include_usage === true && ex.model.config.reportUsage) {
    pending += sseData({ id: ex.id, object: "chat.completion.chunk", created: ex.created, model: ex.model.id, choices: [], usage: ex.usage });
  }
  res.end(pending + SSE_DONE);
  return true;
}

function parseRequest(state: SimState, body: unknown): { request: ChatCompletionRequest; model: ModelRuntime } {
  const parsed = ChatCompletionRequestSchema.safeParse(body);
  if (!parsed.success) throw new HttpError(400, z.prettifyError(parsed.error));
  const model = state.models.get(parsed.data.model);
  if (!model) throw new HttpError(404, `The model \`${parsed.data.model}\` does not exist.`, "NotFoundError");
  return { request: parsed.data, model };
}

export async function handleChat(state: SimState, req: IncomingMessage, res: ServerResponse, body: unknown): Promise<void> {
  const arrivedAt = performance.now();
  const { request, model } = parseRequest(state, body);
  const continuation = isContinuation(request);
  const fault = decideFault(header(req, FAULT_HEADER), model.faults);
  if (fault.kind === "error") {
    const retryAfter = retryAfterOf(header(req, RETRY_AFTER_HEADER), model.faults);
    sendError(res, fault.status, `simulated upstream error ${fault.status}`, errorType(fault.status), retryAfter ? { "retry-after": retryAfter } : {});
    return;
  }
  // A hung upstream: the socket stays open until the client gives up or the server closes.
  if (fault.kind === "hang") return;
  const ac = new AbortController();
  res.on("close", () => ac.abort());
  const stream = request.stream === true;
  if (stream) {
    // vLLM sends the 200 and headers before the engine schedules the request.
    res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache", connection: "keep-alive" });
    res.flushHeaders();
  }
  if (!(await model.slots.acquire(ac.signal))) return;
  try {
    const answer = continuation ? continueAnswer(request, model.config, state.replay) : buildAnswer(request, model.config, state.replay);
    const promptTokens = countPromptTokens(request.messages, request.tools);
    const usage = { prompt_tokens: promptTokens, completion_tokens: answer.completionTokens, total_tokens: promptTokens + answer.completionTokens };
    const ex: Exchange = { id: `chatcmpl-${randomUUID().replaceAll("-", "")}`, created: Math.floor(Date.now() / 1000), model, request, answer, usage, fault, arrivedAt, signal: ac.signal };
    const ok = stream ? await respondStream(ex, res) : await respondWhole(ex, res);
    if (ok) model.metrics.recordSuccess(answer.finishReason, promptTokens, answer.completionTokens, continuation);
  } finally {
    model.slots.release();
  }
}
