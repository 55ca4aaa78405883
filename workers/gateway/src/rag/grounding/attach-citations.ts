/**
 * Adds `citations` to a grounded chat answer: a top-level field of the JSON body (OpenAI SDKs
 * keep unknown fields) and the `x-rag-citations` header. Streamed answers keep their inline
 * [chunk ids] and the `x-rag-sources` header; their citations are in the request's trace.
 */
import { citationsFor } from "./citations";
import type { Grounding } from "./ground-request";

interface AnswerBody {
  choices?: Array<{ message?: { content?: unknown } }>;
  [key: string]: unknown;
}

export async function attachCitations(response: Response, grounding: Grounding): Promise<Response> {
  const type = response.headers.get("content-type") ?? "";
  if (response.status !== 200 || !type.startsWith("application/json")) return response;
  const body = (await response.json()) as AnswerBody;
  const answer = (body.choices ?? []).map((c) => (typeof c.message?.content === "string" ? c.message.content : "")).join("\n");
  const citations = citationsFor(answer, grounding.sources);
  const headers = new Headers(response.headers);
  headers.set("x-rag-citations", citations.map((c) => c.chunk_id).join(",") || "none");
  return new Response(JSON.stringify({ ...body, citations }), { status: 200, headers });
}
