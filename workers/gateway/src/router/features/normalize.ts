/**
 * Text normalization shared by training and serving: NFKC, lower case, accents folded (so
 * "explica"/"explicá" and "Schritt"/"schritt" hash alike), whitespace collapsed.
 */
export function normalizeText(text: string): string {
  // ASCII is its own NFKD/NFKC form: skip the Unicode passes on the common path.
  const unicode = /[^\x00-\x7f]/.test(text) ? text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").normalize("NFKC") : text;
  return unicode.toLowerCase().replace(/\s+/g, " ").trim();
}

/** Word tokens: runs of letters/digits in any script; numbers kept as one class token. */
export function wordTokens(normalized: string): string[] {
  const out: string[] = [];
  // Group 1 = a letter run; otherwise the match is a number run.
  for (const m of normalized.matchAll(/([\p{L}\p{M}]+)|\p{N}+(?:[.,]\p{N}+)?/gu)) out.push(m[1] ?? "<num>");
  return out;
}
