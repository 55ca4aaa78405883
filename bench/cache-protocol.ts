/**
 * Pairs sent as chat traffic into ONE cache namespace, in file order (cached question, then the
 * new question; every answer stored), through the real response cache: the way a held-out set
 * is measured through the chat API. Unlike the pairwise measure, a question can hit ANOTHER
 * pair's cached sentence (the same sentence recurs across pairs), which the pair's label does
 * not describe; the breakdown shows how many hits that is.
 */
import { createResponseCache } from "../workers/gateway/src/cache/response-cache";
import { CacheSettingsSchema } from "../workers/gateway/src/cache/settings";
import type { Embedder } from "../workers/gateway/src/cache/embedder/embedder";
import { MemoryKv } from "../workers/gateway/src/cache/testing/memory-kv";
import { MemoryVectorStore } from "../workers/gateway/src/cache/testing/memory-vector-store";
import { answer, chat, input, scope } from "../workers/gateway/src/cache/testing/fixtures";
import type { Pair } from "./cache-quality";

export interface ProtocolResult {
  positives: number;
  positivesHit: number;
  negatives: number;
  negativesHit: number;
  /** Non-paraphrase hits served by another pair's entry (exact or semantic), and exact among them. */
  negativesHitElsewhere: number;
  negativesHitExact: number;
}

export async function oneNamespace(pairs: Pair[], embedder: Embedder, policy: Record<string, unknown>): Promise<ProtocolResult> {
  const cache = createResponseCache({ kv: new MemoryKv().asKv(), vectors: new MemoryVectorStore(), embedder, settings: CacheSettingsSchema.parse({ defaults: policy }) });
  const r: ProtocolResult = { positives: 0, positivesHit: 0, negatives: 0, negativesHit: 0, negativesHitElsewhere: 0, negativesHitExact: 0 };
  const send = async (text: string, id: string) => {
    const req = input(chat(text), scope(), { requestId: id });
    const looked = await cache.lookup(req);
    if (looked.storable) await cache.store({ ...req, response: answer(`answer to: ${text}`), costUsd: 0.001, lookup: looked });
    return looked;
  };
  for (const [i, p] of pairs.entries()) {
    await send(p.a, `a${i}`);
    const b = await send(p.b, `b${i}`);
    const hit = b.status === "hit-exact" || b.status === "hit-semantic";
    if (p.score >= 4) (r.positives++, hit && r.positivesHit++);
    if (p.score > 2) continue;
    r.negatives++;
    if (!hit) continue;
    r.negativesHit++;
    if (b.entry?.question !== p.a) r.negativesHitElsewhere++;
    if (b.status === "hit-exact") r.negativesHitExact++;
  }
  return r;
}
