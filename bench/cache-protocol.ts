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
  /** Non-paraphrase hits on an entry whose question is the very sentence asked (exact or, once a
   * semantic hit left it unstored, semantic): a right answer to the question asked. */
  negativesHitIdentical: number;
  /** Paraphrases hit on their own partner's entry (the hits the pair's label describes). */
  positivesHitOwn: number;
}

export async function oneNamespace(pairs: Pair[], embedder: Embedder, policy: Record<string, unknown>): Promise<ProtocolResult> {
  const cache = createResponseCache({ kv: new MemoryKv().asKv(), vectors: new MemoryVectorStore(), embedder, settings: CacheSettingsSchema.parse({ defaults: policy }) });
  const r: ProtocolResult = { positives: 0, positivesHit: 0, negatives: 0, negativesHit: 0, negativesHitElsewhere: 0, negativesHitExact: 0, negativesHitIdentical: 0, positivesHitOwn: 0 };
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
    if (p.score >= 4) (r.positives++, hit && r.positivesHit++, hit && b.entry?.question === p.a && r.positivesHitOwn++);
    if (p.score > 2) continue;
    r.negatives++;
    if (!hit) continue;
    r.negativesHit++;
    if (b.entry?.question !== p.a) r.negativesHitElsewhere++;
    if (b.status === "hit-exact") r.negativesHitExact++;
    if (b.entry?.question.trim() === p.b.trim()) r.negativesHitIdentical++;
  }
  return r;
}

/** Policies of the protocol sweep: the static threshold from the default up, and the exact cache alone. */
export function protocolPolicies(staticDefault: number): [string, Record<string, unknown>][] {
  const thresholds = [staticDefault, 0.73, 0.775, 0.8, 0.85, 0.9];
  return [...thresholds.map((t): [string, Record<string, unknown>] => [`static ${t}`, { maxFalseHitRate: null, threshold: t }]), ["exact cache only", { semantic: false }]];
}

const pct = (x: number, d = 1): string => `${(100 * x).toFixed(d)}%`;

/**
 * One row per policy and half: recall, false hits, and what the false hits are. A non-paraphrase
 * hit on an identical earlier sentence is a correct answer to the question asked, so the exact
 * cache alone sets a floor no threshold can go under; the rest hit another pair's (unlabelled)
 * entry or the pair's own partner.
 */
export async function protocolSweep(halves: Pair[][], embedder: Embedder, staticDefault: number, base: Record<string, unknown> = {}): Promise<string> {
  const rows = [
    "| policy | half | recall (on own partner) | false hits | on the identical sentence | on another pair's different sentence (unlabelled) | on its own partner (labelled) |",
    "|---|---|---|---|---|---|---|",
  ];
  for (const [label, policy] of protocolPolicies(staticDefault)) {
    for (const [k, half] of halves.entries()) {
      const r = await oneNamespace(half, embedder, { ...base, ...policy });
      const otherSentence = r.negativesHitElsewhere - r.negativesHitIdentical;
      const own = r.negativesHit - r.negativesHitElsewhere;
      rows.push(`| ${label} | ${k + 1} | ${pct(r.positivesHit / r.positives)} (${pct(r.positivesHitOwn / r.positives)}) | ${pct(r.negativesHit / r.negatives, 2)} (${r.negativesHit} of ${r.negatives}) | ${r.negativesHitIdentical} | ${otherSentence} | ${own} |`);
    }
  }
  return rows.join("\n");
}
