/**
 * Post-processing of the model's answer before the client sees it (placeholder restore,
 * output PII scanning). Streams get one filter per text channel (a choice's content, a tool
 * call's arguments), because a placeholder can straddle chunk boundaries.
 *
 * Two forms of an answer: the policy's form (the tenant's output policy applied, placeholders of
 * the user's own values left in), which is all that events, traces, judges, exports and the
 * cache ever hold; and the client's form, the policy's form with the placeholders restored.
 */
import type { ChatCompletionResponse } from "../../../../shared/schemas/openai-chat";
export interface TextFilter {
  push(delta: string): string;
  flush(): string;
}

export interface OutputFilter {
  /**
   * The tenant's output policy on a whole text, placeholders left in: PII the model wrote is
   * redacted/masked/hashed as the policy says; an entity the policy blocks throws `output_blocked`.
   * For text fresh from a model: marker-shaped strings in it are not trusted.
   */
  policy(value: string): string;
  /**
   * The same policy on text the gateway stored in the policy's form (a cache replay): the earlier
   * scan's markers are left alone, so a replay gives the client what the fresh answer gave.
   */
  replayPolicy(value: string): string;
  /** The client's form of a text already in the policy's form (placeholders restored). */
  restore(value: string): string;
  /** Whole-text transform for non-streamed answers: `restore(policy(value))`. */
  text(value: string): string;
  /** A fresh incremental filter for one streamed channel. */
  stream(): TextFilter;
}

export const IDENTITY_FILTER: OutputFilter = {
  policy: (v) => v,
  replayPolicy: (v) => v,
  restore: (v) => v,
  text: (v) => v,
  stream: () => ({ push: (d) => d, flush: () => "" }),
};

/**
 * A whole answer's choices as the client gets them: text and tool-call arguments through the
 * filter (which may throw when the output policy blocks); fresh answers and cache replays
 * (complete-response.ts, stages/cache-stage.ts) run policy and restore apart through mapChoiceTexts.
 */
export function filterChoices(choices: ChatCompletionResponse["choices"], filter: Pick<OutputFilter, "text">): ChatCompletionResponse["choices"] {
  return mapChoiceTexts(choices, (v) => filter.text(v));
}

/** Every text of a whole answer's choices (content, tool-call arguments) through `f`. */
export function mapChoiceTexts(choices: ChatCompletionResponse["choices"], f: (value: string) => string): ChatCompletionResponse["choices"] {
  return choices.map((ch) => ({
    ...ch,
    message: {
      ...ch.message,
      content: ch.message.content === null ? null : f(ch.message.content),
      ...(ch.message.tool_calls ? { tool_calls: ch.message.tool_calls.map((t) => ({ ...t, function: { ...t.function, arguments: f(t.function.arguments) } })) } : {}),
    },
  }));
}

/** The text an event holds for a whole answer: its choices' content, joined. */
export const answerText = (choices: ChatCompletionResponse["choices"]): string => choices.map((ch) => ch.message.content ?? "").join("");
