/**
 * Post-processing of the model's answer before the client sees it (placeholder restore,
 * output PII scanning). Streams get one filter per text channel (a choice's content, a tool
 * call's arguments), because a placeholder can straddle chunk boundaries.
 */
import type { ChatCompletionResponse } from "../../../../shared/schemas/openai-chat";
export interface TextFilter {
  push(delta: string): string;
  flush(): string;
}

export interface OutputFilter {
  /** Whole-text transform for non-streamed answers. */
  text(value: string): string;
  /** A fresh incremental filter for one streamed channel. */
  stream(): TextFilter;
}

export const IDENTITY_FILTER: OutputFilter = {
  text: (v) => v,
  stream: () => ({ push: (d) => d, flush: () => "" }),
};

/**
 * A whole answer's choices as the client gets them: text and tool-call arguments through the
 * filter (which may throw when the output policy blocks). One place for fresh answers
 * (complete-response.ts) and cache replays (stages/cache-stage.ts).
 */
export function filterChoices(choices: ChatCompletionResponse["choices"], filter: OutputFilter): ChatCompletionResponse["choices"] {
  return choices.map((ch) => ({
    ...ch,
    message: {
      ...ch.message,
      content: ch.message.content === null ? null : filter.text(ch.message.content),
      ...(ch.message.tool_calls ? { tool_calls: ch.message.tool_calls.map((t) => ({ ...t, function: { ...t.function, arguments: filter.text(t.function.arguments) } })) } : {}),
    },
  }));
}
