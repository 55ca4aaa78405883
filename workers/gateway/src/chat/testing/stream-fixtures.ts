/** Shared by the tests of streamed answers (metering, the output policy): an upstream stream of text pieces. */
import type { ChatCompletionChunk } from "../../../../../shared/schemas/openai-chat";
import type { OpenStream, RunContext } from "../../router/attempts/run-attempts";

// The streams below end whole, so the resume path (which would call upstream through this) stays idle.
export const noRun: RunContext = { bindings: {}, breaker: { admit: async () => "closed", report: async () => undefined }, fetch: () => Promise.reject(new Error("no upstream in this test")) };

/** A stream of `pieces` as content deltas, ended by "stop"; it reports no usage (as some TGI / SageMaker servers), so we count. */
export function openStream(pieces: string[], model = "small-sim"): OpenStream {
  const chunk = (delta: ChatCompletionChunk["choices"][number]["delta"], finish: string | null = null): ChatCompletionChunk => ({
    id: "c1", object: "chat.completion.chunk", created: 1, model, choices: [{ index: 0, delta, finish_reason: finish }],
  });
  const chunks = [chunk({ role: "assistant", content: "" }), ...pieces.map((p) => chunk({ content: p })), chunk({}, "stop")];
  let i = 1;
  return {
    first: chunks[0] as ChatCompletionChunk,
    rest: { next: async () => (i < chunks.length ? { done: false, value: chunks[i++] as ChatCompletionChunk } : { done: true, value: undefined }) },
    abort: () => undefined,
  };
}
