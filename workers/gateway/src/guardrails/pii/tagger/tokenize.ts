/**
 * Tokens for the entity tagger. Unlike ../tokens.ts (letter words only, for the dictionary
 * recognizers) this keeps numbers, punctuation and line breaks, which addresses are made of
 * ("692", "Apt.", ",", a new line before the city).
 */
export const TOKEN_KIND = { word: 0, number: 1, punct: 2 } as const;
export type TokenKind = (typeof TOKEN_KIND)[keyof typeof TOKEN_KIND];

export interface TagToken {
  start: number;
  end: number;
  text: string;
  kind: TokenKind;
  /** Line breaks between the previous token and this one (capped at 2). */
  breaks: number;
}

// Words (inner apostrophes, hyphens and dots: O'Brien, Jean-Luc, U.S), numbers with an optional
// letter tail or inner separators (221B, 5th, 12-14, 4/2), or any other single code point.
const TOKEN = /\p{L}[\p{L}\p{M}]*(?:['’.-]\p{L}[\p{L}\p{M}]*)*|\d+(?:[/-]\d+)*\p{L}{0,3}|\S/gu;
export const MAX_TAG_TOKENS = 50_000;

export function tagTokens(text: string): TagToken[] {
  const out: TagToken[] = [];
  TOKEN.lastIndex = 0;
  let prevEnd = 0;
  let m: RegExpExecArray | null;
  while ((m = TOKEN.exec(text)) !== null && out.length < MAX_TAG_TOKENS) {
    const t = m[0];
    const c = t.charCodeAt(0);
    const kind: TokenKind = c >= 48 && c <= 57 ? TOKEN_KIND.number : /^[\p{L}]/u.test(t) ? TOKEN_KIND.word : TOKEN_KIND.punct;
    let breaks = 0;
    for (let i = prevEnd; i < m.index && breaks < 2; i++) if (text.charCodeAt(i) === 10) breaks++;
    out.push({ start: m.index, end: m.index + t.length, text: t, kind, breaks });
    prevEnd = m.index + t.length;
  }
  return out;
}
