import type { PiiEntityType, RawFinding } from "../types";

/** Checked or parsed identifiers: when one overlaps a learned span, the identifier is right. */
const STRUCTURED: ReadonlySet<PiiEntityType> = new Set(["PHONE_NUMBER", "EMAIL_ADDRESS", "CREDIT_CARD", "US_SSN", "IBAN_CODE", "IP_ADDRESS"]);
/** Spans the entity tagger draws: their edges are guesses (an address running onto the phone line below). */
const SOFT: ReadonlySet<PiiEntityType> = new Set(["PERSON", "LOCATION", "ORGANIZATION", "STREET_ADDRESS"]);
const EDGE = /[\s,;:|(]+$/;
/**
 * Only a confident identifier cuts a span: a checksum, a "+", a label or a contact block. An
 * unlabelled digit group ("70602-31900", "0688-905") may be the postcode the address is right about.
 */
const CONFIDENT = 0.85;

/**
 * Cuts every soft span that overlaps a confident structured finding back to its longest piece outside
 * them (edge spaces and separators dropped), so overlap resolution keeps both instead of
 * dropping whichever scored lower. A piece without a letter or digit is dropped.
 */
export function yieldToStructured(findings: readonly RawFinding[], text: string): RawFinding[] {
  const hard = findings.filter((f) => STRUCTURED.has(f.type) && f.score >= CONFIDENT);
  if (hard.length === 0) return [...findings];
  const out: RawFinding[] = [];
  for (const f of findings) {
    const hits = SOFT.has(f.type) ? hard.filter((h) => h.start < f.end && f.start < h.end).sort((a, b) => a.start - b.start) : [];
    if (hits.length === 0) {
      out.push(f);
      continue;
    }
    let best: [number, number] = [f.start, f.start];
    let from = f.start;
    for (const h of [...hits, { start: f.end, end: f.end }]) {
      const to = Math.min(h.start, f.end);
      if (to - from > best[1] - best[0]) best = [from, to];
      from = Math.max(from, h.end);
    }
    const [start, end] = trim(text, best[0], best[1]);
    if (/[\p{L}\p{N}]/u.test(text.slice(start, end))) out.push({ ...f, start, end });
  }
  return out;
}

function trim(text: string, start: number, end: number): [number, number] {
  const piece = text.slice(start, end);
  const lead = piece.length - piece.replace(/^[\s,;:|)]+/, "").length;
  const tail = piece.length - piece.replace(EDGE, "").length;
  return lead >= piece.length ? [start, start] : [start + lead, end - tail];
}
