/**
 * Which retrieved chunks an answer rests on. Ids the model cited in square brackets count when
 * they are among the chunks it was given ("cited"); an answer that cites nothing gets, per
 * sentence, the given chunk that contains most of that sentence's content terms, if it holds
 * at least 60% of them ("attributed"), so even a model that ignores the citation instruction
 * returns its sources. Invented ids are never returned.
 */
import { splitSentences } from "../text/sentences";
import { distinctTerms } from "../text/terms";

export interface SourceRef {
  chunkId: string;
  documentId: string;
  text: string;
}

export interface Citation {
  chunk_id: string;
  document_id: string;
  how: "cited" | "attributed";
}

const CITED = /\[([^\]\n]{1,400})\]/g;
const CHUNK_ID = /ch_[0-9a-f]{20}_\d{1,6}/g;
const MIN_ATTRIBUTION = 0.6;

export function citationsFor(answer: string, sources: readonly SourceRef[]): Citation[] {
  const byId = new Map(sources.map((s) => [s.chunkId, s]));
  const cited: Citation[] = [];
  const seen = new Set<string>();
  for (const m of answer.matchAll(CITED)) {
    for (const id of (m[1] ?? "").match(CHUNK_ID) ?? []) {
      const s = byId.get(id);
      if (s && !seen.has(id)) {
        seen.add(id);
        cited.push({ chunk_id: id, document_id: s.documentId, how: "cited" });
      }
    }
  }
  if (cited.length) return cited;
  const sourceTerms = sources.map((s) => new Set(distinctTerms(s.text)));
  for (const sentence of splitSentences(answer)) {
    const terms = distinctTerms(sentence);
    if (terms.length < 3) continue;
    let best = -1;
    let bestShare = 0;
    sourceTerms.forEach((set, i) => {
      const share = terms.filter((t) => set.has(t)).length / terms.length;
      if (share > bestShare) [best, bestShare] = [i, share];
    });
    const s = sources[best];
    if (s && bestShare >= MIN_ATTRIBUTION && !seen.has(s.chunkId)) {
      seen.add(s.chunkId);
      cited.push({ chunk_id: s.chunkId, document_id: s.documentId, how: "attributed" });
    }
  }
  return cited;
}
