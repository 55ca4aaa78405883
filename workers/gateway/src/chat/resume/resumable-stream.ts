/**
 * Stream resume: when an upstream stream dies after part of the answer went to the client
 * (connection cut, read error, the attempt's time cap, or an end without finish_reason), the
 * same model is asked to continue the partial answer (continuation.ts) and its chunks are
 * relayed as the rest of the same stream: the first stream's id and created, choice 0, no
 * second role delta. The relay (stream-response.ts) never sees the seam.
 *
 * Sits between the upstream and the relay, so the partial text it keeps is the redacted text
 * the model wrote; the relay's filter restores placeholders for the client afterwards.
 *
 * Not resumed (the cut stays a `stream_interrupted`): a client that left, more than one choice,
 * a stream that had started a tool call (a half-written call's arguments are not text to
 * continue, and a restarted call would contradict the id the client already holds), a choice
 * that already finished, a spent token limit, JSON mode or a JSON schema (`response_format`:
 * constrained decoding starts a new document in the continuation, so the seam would join two
 * documents into one invalid answer). Budget: the model's calls per request
 * (maxRetries + 1) resume rounds in all, each with the model's usual retries before its first
 * chunk; a round that fails outright is followed by the next after a backoff. All rounds end
 * within one more of the model's `totalMs` after the first stream's own. When the budget is
 * spent the original error ends the stream (the relay's `stream_interrupted`).
 */
import type { ChatCompletionChunk, ChatCompletionRequest } from "../../../../../shared/schemas/openai-chat";
import { fromOpenAIUsage, toOpenAIUsage, type TokenUsage } from "../../../../../shared/usage";
import type { AttemptRecord } from "../../../../../shared/schemas/usage-event";
import type { Attempt } from "../../router/attempts/build-attempts";
import { backoffDelay, DEFAULT_BACKOFF, sleep } from "../../router/attempts/backoff";
import { runChatStream, type OpenStream, type RunContext } from "../../router/attempts/run-attempts";
import { addUsage, continuationRequest, segmentUsage } from "./continuation";

export interface StreamResume {
  model: string;
  /** Why the segment before it ended. */
  cause: string;
  /** Redacted characters of the answer the continuation had to follow. */
  afterChars: number;
  outcome: "resumed" | "failed";
  /** Upstream calls the round made (retries before its first chunk included). */
  calls: number;
  /** ms epoch when the round settled (the trace's span event). */
  atMs: number;
}

/** JSON mode and structured outputs: their continuation would be a fresh document, not the rest of this one. */
const constrainedOutput = (request: ChatCompletionRequest): boolean => request.response_format !== undefined && request.response_format.type !== "text";

export interface ResumeContext {
  /** The request as the upstream saw it (redacted). */
  request: ChatCompletionRequest;
  attempt: Attempt;
  run: RunContext;
  /** The exchange's attempt list: resume calls are appended, numbered after the ones before. */
  records: AttemptRecord[];
}

export interface ResumableStream {
  stream: OpenStream;
  resumes: StreamResume[];
  /**
   * Usage to bill when resumes happened: the cut segments (estimated: no usage ever came for
   * them) plus the last segment's (reported, else estimated). Null without a resume.
   */
  usage(): TokenUsage | null;
}

/** Records appended beyond this are dropped (the usage event's attempts list holds 32). */
const MAX_RECORDS = 32;

export function resumableStream(open: OpenStream, ctx: ResumeContext): ResumableStream {
  const resumer = new Resumer(open, ctx);
  const stream: OpenStream = { first: open.first, rest: { next: () => resumer.next() }, abort: () => resumer.abort() };
  return { stream, resumes: resumer.resumes, usage: () => resumer.usage() };
}

/** The text since the last (re)start, the request that produced it, and its usage if reported. */
interface Segment {
  request: ChatCompletionRequest;
  text: string;
  reported: TokenUsage | null;
  /** Already in the cut usage (its resume round started). */
  billed: boolean;
}

class Resumer {
  readonly resumes: StreamResume[] = [];
  private current: OpenStream;
  private pending: ChatCompletionChunk | null = null;
  private rounds: number;
  /** All content relayed so far (redacted), across segments. */
  private text = "";
  private segment: Segment;
  private cutUsage: TokenUsage | null = null;
  private blocked: boolean;
  private finished = false;
  private clientLeft = false;
  /** Cancels a resume round's calls when the client leaves while the round waits for its first chunk. */
  private readonly cancel = new AbortController();
  /**
   * All resume rounds together end here: the first stream's own time cap, then one more for every
   * continuation together. Without it each round would get a fresh cap, and a slow model could hold
   * the request for (maxRetries + 2) caps.
   */
  private readonly deadline: number;

  constructor(
    private readonly open: OpenStream,
    private readonly ctx: ResumeContext,
  ) {
    this.current = open;
    this.rounds = ctx.attempt.model.maxRetries + 1;
    this.deadline = Date.now() + 2 * ctx.attempt.model.timeouts.totalMs;
    this.segment = { request: ctx.request, text: "", reported: null, billed: false };
    this.blocked = (ctx.request.n ?? 1) !== 1 || constrainedOutput(ctx.request);
    this.observe(open.first);
  }

  async next(): Promise<IteratorResult<ChatCompletionChunk>> {
    for (;;) {
      let next: IteratorResult<ChatCompletionChunk>;
      if (this.pending) {
        next = { done: false, value: this.pending };
        this.pending = null;
      } else {
        try {
          next = await this.current.rest.next();
        } catch (err) {
          if (await this.resume(err instanceof Error ? err.message : "stream failed")) continue;
          throw err;
        }
      }
      if (next.done) {
        // A vLLM stream always ends its choice with a finish_reason: without one it was cut
        // (a proxy closing the connection cleanly). Unresumed, it ends as it always did.
        if (!this.finished && (await this.resume("stream ended without finish_reason"))) continue;
        return next;
      }
      const chunk = this.adopt(next.value);
      if (chunk) return { done: false, value: chunk };
    }
  }

  abort(): void {
    this.clientLeft = true;
    this.cancel.abort();
    this.current.abort();
  }

  usage(): TokenUsage | null {
    const { cutUsage, segment } = this;
    if (!cutUsage) return null;
    return segment.billed ? cutUsage : addUsage(cutUsage, segment.reported ?? segmentUsage(segment.request, segment.text));
  }

  private observe(chunk: ChatCompletionChunk): void {
    for (const choice of chunk.choices) {
      if (choice.index !== 0 || choice.delta.tool_calls?.length) this.blocked = true;
      if (typeof choice.delta.content === "string") {
        this.text += choice.delta.content;
        this.segment.text += choice.delta.content;
      }
      if (choice.finish_reason) this.finished = true;
    }
  }

  /** A chunk as part of the first stream (after a resume: its id, no role, the whole usage); null when nothing is left of it. */
  private adopt(chunk: ChatCompletionChunk): ChatCompletionChunk | null {
    this.observe(chunk);
    if (this.resumes.length === 0) return chunk;
    let usage = chunk.usage;
    if (usage) {
      this.segment.reported = fromOpenAIUsage(usage);
      usage = toOpenAIUsage(this.usage() as TokenUsage);
    }
    return joined(this.open.first, chunk, usage);
  }

  /** Resume rounds until a continuation is open and relaying (true) or the budget is spent. */
  private async resume(cause: string): Promise<boolean> {
    for (let round = 0; this.rounds > 0; round++) {
      if (this.clientLeft || this.blocked || this.finished) return false;
      const request = continuationRequest(this.ctx.request, this.text);
      if (!request) return false;
      // A round that failed outright is followed by the next after a backoff, as retries are.
      if (round > 0) await sleep(backoffDelay(round - 1, undefined, this.ctx.run.backoff ?? DEFAULT_BACKOFF) ?? 0, this.cancel.signal);
      if (this.clientLeft || Date.now() >= this.deadline) return false;
      this.rounds--;
      if (await this.round(request, cause)) return true;
    }
    return false;
  }

  /** One round: the model's usual attempts (retries before the first chunk) at the continuation. */
  private async round(request: ChatCompletionRequest, cause: string): Promise<boolean> {
    if (!this.segment.billed) this.billSegment();
    const calls: AttemptRecord[] = [];
    const settle = (outcome: StreamResume["outcome"]) =>
      this.resumes.push({ model: this.ctx.attempt.model.id, cause: cause.slice(0, 200), afterChars: this.text.length, outcome, calls: calls.length, atMs: Date.now() });
    try {
      const run = { ...this.ctx.run, records: calls, cancel: this.cancel.signal };
      const answered = await runChatStream(request, [this.withinDeadline()], run, this.text !== "");
      this.appendRecords(calls);
      if (this.clientLeft) {
        answered.value.abort();
        return false;
      }
      this.current = answered.value;
      this.pending = answered.value.first;
      this.segment = { request, text: "", reported: null, billed: false };
      settle("resumed");
      return true;
    } catch {
      this.appendRecords(calls);
      settle("failed");
      return false;
    }
  }

  /** The attempt with its time cap cut to what is left before the deadline. */
  private withinDeadline(): Attempt {
    const { model } = this.ctx.attempt;
    const left = Math.max(1, this.deadline - Date.now());
    if (left >= model.timeouts.totalMs) return this.ctx.attempt;
    return { ...this.ctx.attempt, model: { ...model, timeouts: { ...model.timeouts, totalMs: left, firstByteMs: Math.min(model.timeouts.firstByteMs, left) } } };
  }

  /** The cut segment never reported usage: our count of its prompt and text joins the bill. */
  private billSegment(): void {
    const cut = segmentUsage(this.segment.request, this.segment.text);
    this.cutUsage = this.cutUsage ? addUsage(this.cutUsage, cut) : cut;
    this.segment.billed = true;
  }

  private appendRecords(calls: AttemptRecord[]): void {
    const records = this.ctx.records;
    const base = records.reduce((n, r) => Math.max(n, r.attempt), 0);
    for (const [i, r] of calls.entries()) if (records.length < MAX_RECORDS) records.push({ ...r, attempt: base + i + 1 });
  }
}

/** A continuation's chunk under the first stream's id and created, without a second role delta. */
function joined(template: ChatCompletionChunk, chunk: ChatCompletionChunk, usage: ChatCompletionChunk["usage"]): ChatCompletionChunk | null {
  const choices = chunk.choices.map(({ delta, ...choice }) => {
    const { role: _role, ...rest } = delta;
    return { ...choice, delta: rest };
  });
  // The continuation's opening chunk (role and "") adds nothing once its role is gone.
  const empty = !usage && choices.every((c) => !c.finish_reason && !("logprobs" in c && c.logprobs) && Object.values(c.delta).every((v) => v === undefined || v === "" || v === null));
  if (empty) return null;
  return { ...chunk, id: template.id, created: template.created, choices, ...(usage ? { usage } : {}) };
}
