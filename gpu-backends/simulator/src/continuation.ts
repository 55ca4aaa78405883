/**
 * vLLM's `continue_final_message`: the request's last message is a partial assistant answer
 * and the model continues it (the chat template leaves that turn open; `add_generation_prompt`
 * must be false). The response carries only the new text, and its usage counts the partial
 * answer as prompt. Here the continuation is the rest of the answer the conversation without
 * the partial message would get (replayed, echoed or synthetic), when the partial answer is a
 * prefix of it, the way a deterministic model continues its own cut answer; a partial answer
 * that is not one gets synthetic prose seeded by the whole conversation.
 * Spec: https://docs.vllm.ai/en/latest/serving/openai_compatible_server.html (chat extra params)
 */
import type { ChatCompletionRequest } from "../../../shared/schemas/openai-chat";
import { contentText } from "../../../shared/schemas/openai-chat";
import { fnv1a } from "../../../shared/hash/fnv1a";
import type { Answer } from "./answer";
import { buildAnswer, limitOf, splitPieces, synthetic } from "./answer";
import type { ModelConfig } from "./config";
import { seededRng } from "./hash";
import { HttpError } from "./http-util";
import type { ReplayIndex } from "./replay";
import { countText } from "./tokens";

/** vLLM's extra chat parameters (they ride along the OpenAI fields; the request schema passes them through). */
interface TemplateSwitches {
  continue_final_message?: unknown;
  add_generation_prompt?: unknown;
}

/** True for a continuation request; throws vLLM's 400s for the combinations it refuses. */
export function isContinuation(req: ChatCompletionRequest): boolean {
  const { continue_final_message: cont, add_generation_prompt: gen } = req as ChatCompletionRequest & TemplateSwitches;
  if (cont !== true) return false;
  // vLLM's default is add_generation_prompt = true, and it refuses both at once.
  if (gen !== false) throw new HttpError(400, "Cannot set both `continue_final_message` and `add_generation_prompt` to True.");
  if (req.messages[req.messages.length - 1]?.role !== "assistant") throw new HttpError(400, "continue_final_message requires the last message to be an assistant message.");
  return true;
}

export function continueAnswer(req: ChatCompletionRequest, model: ModelConfig, replay: ReplayIndex): Answer {
  const partial = contentText(req.messages[req.messages.length - 1]?.content ?? null);
  const before = req.messages.slice(0, -1);
  const limit = limitOf(req);
  // The whole answer under the whole budget: what was already written plus what may follow.
  const wholeLimit = Number.isFinite(limit) ? countText(partial) + limit : undefined;
  const whole = buildAnswer({ ...req, messages: before, max_tokens: wholeLimit, max_completion_tokens: undefined }, model, replay);
  if (whole.content !== null && whole.content.startsWith(partial)) {
    const rest = whole.content.slice(partial.length);
    return { content: rest, toolCalls: undefined, finishReason: whole.finishReason, completionTokens: countText(rest), pieces: splitPieces(rest), source: whole.source };
  }
  const answer = synthetic(seededRng(fnv1a(`${model.id}\u0000continue\u0000${JSON.stringify(req.messages)}`)), model, limit, req.stop);
  // Continues after the partial text: a space first unless the partial answer ended in one.
  const content = /\s$/.test(partial) || partial === "" ? answer.content ?? "" : ` ${answer.content ?? ""}`;
  return { ...answer, content, completionTokens: countText(content), pieces: splitPieces(content) };
}
