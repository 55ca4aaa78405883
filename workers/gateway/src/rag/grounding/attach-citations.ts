/**
 * Adds `citations` to a grounded chat answer: a top-level field of the JSON body (OpenAI SDKs
 * keep unknown fields) and the `x-rag-citations` header. Streamed answers keep their inline
 * [chunk ids] and the `x-rag-sources` header; their citations are in the request's trace.
 * Last, for a caller with content access, document placeholders in the answer are restored
 * (restore/): after the chat's own output filter, the cache write and the trace, so none of
 * those ever holds a document's clear value. Streamed answers (live, replayed from the cache or
 * answered whole) are restored chunk by chunk on their way out (restore/restore-stream.ts).
 */
import { citationsFor } from "./citations";
import type { Grounding } from "./ground-request";
import type { AnswerRestorer } from "../restore/grounded-placeholders";
import { restoreStreamedAnswer } from "../restore/restore-stream";

interface AnswerBody {
  choices?: Array<{ message?: { content?: unknown } }>;
  [key: string]: unknown;
}

type Choice = NonNullable<AnswerBody["choices"]>[number];

async function restoreChoice(c: Choice, restore: AnswerRestorer): Promise<Choice> {
  const content = c.message?.content;
  return typeof content === "string" ? { ...c, message: { ...c.message, content: await restore(content) } } : c;
}

export async function attachCitations(response: Response, grounding: Grounding): Promise<Response> {
  const type = response.headers.get("content-type") ?? "";
  if (grounding.restore && type.startsWith("text/event-stream")) return restoreStreamedAnswer(response, grounding.restore);
  if (response.status !== 200 || !type.startsWith("application/json")) return response;
  const body = (await response.json()) as AnswerBody;
  const answer = (body.choices ?? []).map((c) => (typeof c.message?.content === "string" ? c.message.content : "")).join("\n");
  const citations = citationsFor(answer, grounding.sources);
  const headers = new Headers(response.headers);
  headers.set("x-rag-citations", citations.map((c) => c.chunk_id).join(",") || "none");
  const restore = grounding.restore;
  const choices = restore && Array.isArray(body.choices) ? await Promise.all(body.choices.map(async (c) => restoreChoice(c, restore))) : body.choices;
  return new Response(JSON.stringify({ ...body, ...(choices ? { choices } : {}), citations }), { status: 200, headers });
}
