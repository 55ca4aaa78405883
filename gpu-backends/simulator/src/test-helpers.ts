/** Helpers shared by the simulator's own tests (not used at run time). */
import { readSse } from "../../../shared/sse";

export const chatBody = (content: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  model: "small-sim",
  messages: [{ role: "user", content }],
  ...extra,
});

export function postJson(url: string, body: unknown, headers: Record<string, string> = {}, signal?: AbortSignal): Promise<Response> {
  return fetch(url, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body), ...(signal ? { signal } : {}) });
}

/** Parsed `data:` payloads of an SSE response, plus whether it ended with [DONE]. */
export async function readChunks(res: Response): Promise<{ chunks: Array<Record<string, unknown>>; done: boolean }> {
  if (!res.body) throw new Error("no body");
  const chunks: Array<Record<string, unknown>> = [];
  let done = false;
  for await (const ev of readSse(res.body)) {
    if (ev.data === "[DONE]") done = true;
    else chunks.push(JSON.parse(ev.data) as Record<string, unknown>);
  }
  return { chunks, done };
}
