/**
 * Streamed answer: relay SSE (a stream the upstream cuts is resumed when the model can continue
 * a partial answer, chat/resume/), then account and publish once the stream has ended.
 */
import type { Context } from "hono";
import type { AppEnv } from "../app-env";
import type { ModelRegistry } from "../config/model-registry";
import type { Answered, OpenStream, RunContext } from "../router/attempts/run-attempts";
import { accountChat } from "./accounting";
import { answerHeaders } from "./answer-headers";
import { requestHeaders } from "../middleware/request-id";
import type { ExchangeResult } from "./build-event";
import type { ChatExchange } from "./exchange";
import type { OutputFilter } from "./output-filter";
import { resumableStream } from "./resume/resumable-stream";
import { bookedStatus, relayStream } from "./stream-response";

export function streamResponse(
  c: Context<AppEnv>,
  ex: ChatExchange,
  open: Answered<OpenStream>,
  filter: OutputFilter,
  registry: ModelRegistry,
  publish: (r: ExchangeResult) => void,
  run: RunContext,
): Response {
  ex.answeredBy = open.attempt.model;
  // A model that can continue a partial answer gets its cut streams resumed (chat/resume/).
  const resume =
    open.attempt.model.capabilities.resume === "continue_final_message"
      ? resumableStream(open.value, { request: ex.request, attempt: open.attempt, run, records: ex.attempts })
      : null;
  // The client's stream is restored as it goes; the event gets the upstream's own text of each
  // channel (content, tool-call arguments) with the output policy applied once it has ended.
  const written: string[][] = [];
  const recording = {
    ...filter,
    stream: () => {
      const inner = filter.stream();
      const deltas: string[] = [];
      written.push(deltas);
      return {
        push: (d: string) => {
          deltas.push(d);
          return inner.push(d);
        },
        flush: () => inner.flush(),
      };
    },
  } satisfies OutputFilter;
  const { body, outcome } = relayStream(resume?.stream ?? open.value, { publicModel: ex.answeredBy.id, includeUsage: ex.includeUsage, filter: recording, startedAt: ex.receivedAt });
  c.executionCtx.waitUntil(
    outcome.then((o) => {
      const channels = written.map((deltas) => deltas.join(""));
      ex.decisions.finishReason = o.finishReason;
      if (resume?.resumes.length) ex.decisions.streamResumes = resume.resumes;
      // Never throws (an estimate when counting fails): the event and the limiter's settle must go out.
      // A resumed stream bills its cut segments and its continuation, in one event.
      // Tokens (the tokenizer's fallback) are counted on what the model wrote.
      const accounted = accountChat(ex, resume?.usage() ?? o.usage, channels.join(""), ex.answeredBy, registry);
      publish({
        ...bookedStatus(o),
        ...accounted,
        completedAt: o.completedAt,
        ttftMs: o.ttftMs,
        answer: policedAnswer(channels, filter),
      });
    }),
  );
  const headers = {
    ...answerHeaders(ex, open.attemptNumber),
    ...requestHeaders(ex.requestId, ex.clientRequestId, ex.timing),
    "content-type": "text/event-stream; charset=utf-8",
    "cache-control": "no-cache",
  };
  return new Response(body, { status: 200, headers });
}

/** The event's answer: each channel's whole text in the output policy's form, or null when the policy blocks. */
function policedAnswer(channels: string[], filter: OutputFilter): string | null {
  try {
    return channels.map((text) => filter.policy(text)).join("");
  } catch {
    // Fail closed: an answer the policy could not clear stays out of the event (it is still billed).
    return null;
  }
}
