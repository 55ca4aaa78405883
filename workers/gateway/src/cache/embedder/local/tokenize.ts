/**
 * Tokenizer matching the GloVe (Wikipedia+Gigaword, Stanford tokenizer) vocabulary the local
 * embedder ships: lower-cased, clitics split the way that corpus split them ("don't" ->
 * "do n't") then spelled out ("do not"), hyphenated words split into parts. Shared by the artifact
 * build script and the runtime so both see the same tokens.
 */
const CLITIC = /([a-z])n't\b/g;
const APOSTROPHES = /[\u2018\u2019\u02bc`]/g;
const TOKEN = /n't|'(?:s|re|ve|ll|d|m)\b|[a-z0-9]+/g;

/**
 * The packaged vocabulary has no clitic tokens, so they map to their full words; "'s" (is / has /
 * possessive) is dropped. Left as unknown tokens they would each add a random hashed vector.
 */
const CLITIC_WORDS: Readonly<Record<string, string | null>> = {
  "n't": "not", "'re": "are", "'m": "am", "'ve": "have", "'ll": "will", "'d": "would", "'s": null,
};

export function tokenize(text: string): string[] {
  const norm = text.normalize("NFKC").toLowerCase().replace(APOSTROPHES, "'").replace(CLITIC, "$1 n't");
  const out: string[] = [];
  for (const token of norm.match(TOKEN) ?? []) {
    const mapped = token in CLITIC_WORDS ? CLITIC_WORDS[token] : token;
    if (mapped) out.push(mapped);
  }
  return out;
}

/** Cheap morphological fallbacks for a word missing from the pruned vocabulary. */
export function variants(word: string): string[] {
  const out: string[] = [];
  const strip = (suffix: string, add = ""): void => {
    if (word.length > suffix.length + 2 && word.endsWith(suffix)) out.push(word.slice(0, -suffix.length) + add);
  };
  strip("ies", "y");
  strip("es");
  strip("s");
  strip("ied", "y");
  strip("ed");
  strip("ed", "e");
  strip("ing");
  strip("ing", "e");
  strip("ly");
  strip("er");
  strip("est");
  return out;
}
