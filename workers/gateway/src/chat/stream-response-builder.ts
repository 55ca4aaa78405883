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
  // The relay sees the redacted stream; we keep a redacted copy of the answer for the event
  // by relaying through the client filter and accounting on the upstream's own text.
  const redactedText: string[] = [];
  const recording = {
    text: (v: string) => filter.text(v),
    stream: () => {
      const inner = filter.stream();
      return {
        push: (d: string) => {
          redactedText.push(d);
          return inner.push(d);
        },
        flush: () => inner.flush(),
      };
    },
  } satisfies OutputFilter;
  const { body, outcome } = relayStream(resume?.stream ?? open.value, { publicModel: ex.answeredBy.id, includeUsage: ex.includeUsage, filter: recording, startedAt: ex.receivedAt });
  c.executionCtx.waitUntil(
    outcome.then((o) => {
      const answer = redactedText.join("");
      ex.decisions.finishReason = o.finishReason;
      if (resume?.resumes.length) ex.decisions.streamResumes = resume.resumes;
      // Never throws (an estimate when counting fails): the event and the limiter's settle must go out.
      // A resumed stream bills its cut segments and its continuation, in one event.
      const accounted = accountChat(ex, resume?.usage() ?? o.usage, answer, ex.answeredBy, registry);
      publish({
        ...bookedStatus(o),
        ...accounted,
        completedAt: o.completedAt,
        ttftMs: o.ttftMs,
        answer,
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
