/**
 * Text normalization shared by training and serving: NFKC, lower case, accents folded (so
 * "explica"/"explicá" and "Schritt"/"schritt" hash alike), whitespace collapsed.
 */
export function normalizeText(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .normalize("NFKC")
    .toLowerCase()
    .replace(/\s+/g, " ")
    .trim();
}

/** Word tokens: runs of letters/digits in any script; numbers kept as one class token. */
export function wordTokens(normalized: string): string[] {
  const out: string[] = [];
  for (const m of normalized.matchAll(/[\p{L}\p{M}]+|\p{N}+(?:[.,]\p{N}+)?/gu)) {
    const tok = m[0];
    out.push(/^\p{N}/u.test(tok) ? "<num>" : tok);
  }
  return out;
}
