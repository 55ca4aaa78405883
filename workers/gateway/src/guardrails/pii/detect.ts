import { PII_ENTITY_TYPES, type PiiEntityType, type PiiFinding, type RawFinding } from "../types";
import { mapSpan, normalizeForDetection } from "../normalize";
import { findEncoded } from "./encoded";
import { RECOGNIZERS } from "./registry";
import { resolveOverlaps } from "./resolve";
import { yieldToStructured } from "./structured-first";

export interface DetectOptions {
  entities?: readonly PiiEntityType[];
  /** BCP-47 tag; the primary subtag picks phone regions and context words. Default "en". */
  language?: string;
  /** Findings scoring below this are dropped. Default 0.5. */
  minScore?: number;
}

/** Texts longer than this are scanned in overlapping windows so memory and regex work stay linear. */
const WINDOW = 32_768;
const OVERLAP = 512;

function runRecognizers(text: string, lang: string, wanted: ReadonlySet<PiiEntityType>): RawFinding[] {
  const out: RawFinding[] = [];
  for (const r of RECOGNIZERS) {
    if (!r.types.some((t) => wanted.has(t))) continue;
    for (const f of r.find(text, lang)) if (wanted.has(f.type)) out.push(f);
  }
  return out;
}

function scanWindows(text: string, lang: string, wanted: ReadonlySet<PiiEntityType>): RawFinding[] {
  if (text.length <= WINDOW) return runRecognizers(text, lang, wanted);
  const out: RawFinding[] = [];
  for (let off = 0; off < text.length; off += WINDOW - OVERLAP) {
    for (const f of runRecognizers(text.slice(off, off + WINDOW), lang, wanted)) out.push({ ...f, start: f.start + off, end: f.end + off });
    if (off + WINDOW >= text.length) break;
  }
  return out;
}

/** Finds PII in `text`. Offsets are UTF-16 code units into `text` itself, end exclusive. */
export function detectPii(text: string, options: DetectOptions = {}): PiiFinding[] {
  const wanted = new Set<PiiEntityType>(options.entities ?? PII_ENTITY_TYPES);
  const lang = (options.language ?? "en").toLowerCase().split(/[-_]/)[0] ?? "en";
  const minScore = options.minScore ?? 0.5;
  const norm = normalizeForDetection(text);
  const raw = scanWindows(norm.text, lang, wanted);
  const inner = (decoded: string): RawFinding[] => runRecognizers(decoded, lang, wanted).filter((f) => f.score >= 0.8);
  raw.push(...findEncoded(norm.text, inner));
  return resolveOverlaps(yieldToStructured(raw.filter((f) => f.score >= minScore), norm.text)).map((f) => {
    const [start, end] = mapSpan(norm, f.start, f.end);
    return { type: f.type, start, end, score: Math.round(f.score * 100) / 100, text: text.slice(start, end) };
  });
}
