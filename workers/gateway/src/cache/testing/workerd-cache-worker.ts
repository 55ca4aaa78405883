/**
 * Tiny Worker for the workerd integration test: the real LocalVectorIndex Durable Object, KV,
 * the shipped embedder and the response cache, driven by JSON POSTs.
 */
import { createResponseCache } from "../response-cache";
import { shippedLocalEmbedder } from "../embedder/local/shipped-embedder";
import { createLocalVectorStore } from "../vector-store/local/local-vector-store";
import { DEFAULT_CACHE_SETTINGS } from "../settings";
import { answer, chat, input, scope } from "./fixtures";

export { LocalVectorIndex } from "../vector-store/local/local-vector-index";

interface TestEnv {
  CACHE_KV: KVNamespace;
  VECTOR_INDEX: DurableObjectNamespace;
}

interface Command {
  op: "store" | "lookup" | "purge";
  tenant: string;
  question: string;
  answer?: string;
}

export default {
  async fetch(request: Request, env: TestEnv): Promise<Response> {
    const cmd = (await request.json()) as Command;
    const vectors = createLocalVectorStore(env.VECTOR_INDEX);
    const cache = createResponseCache({ kv: env.CACHE_KV, vectors, embedder: shippedLocalEmbedder(), settings: DEFAULT_CACHE_SETTINGS });
    const lookupInput = input(chat(cmd.question), scope(cmd.tenant));
    if (cmd.op === "store") {
      await cache.store({ ...lookupInput, response: answer(cmd.answer ?? ""), costUsd: 0.01 });
      return Response.json({ ok: true });
    }
    if (cmd.op === "purge") return Response.json(await cache.purge(cmd.tenant));
    const r = await cache.lookup(lookupInput);
    return Response.json({ status: r.status, similarity: r.similarity, content: r.response?.choices[0]?.message.content ?? null });
  },
};
