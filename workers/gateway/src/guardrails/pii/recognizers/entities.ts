/**
 * PERSON, LOCATION, ORGANIZATION and STREET_ADDRESS: the learned tagger (../tagger) combined
 * with the dictionary/pattern recognizers. Where both find the same entity the tagger's span is
 * kept with the higher score (agreement raises it); a place or name inside an address the
 * tagger found is part of that address; anything only one side finds is kept on its own score.
 */
import type { RawFinding, Recognizer } from "../../types";
import { loadTagger } from "../tagger/load";
import { tagText } from "../tagger/tag";
import { locationRecognizer } from "./location";
import { organizationRecognizer } from "./organization";
import { personRecognizer } from "./person";

const overlaps = (a: RawFinding, b: RawFinding): boolean => a.start < b.end && b.start < a.end;
const AGREEMENT_BONUS = 0.1;
const MACHINE_CHUNK = /@|:\/\/|^www\.|\.(?:com|org|net|io|dev|app)\b|[/\\][\w.-]+[/\\]/;

/** A name or address cannot be part of a URL, an email address or a path: the chunk around it says so. */
function inMachineText(text: string, f: RawFinding): boolean {
  let a = f.start;
  let b = f.end;
  while (a > 0 && !/\s/.test(text[a - 1] as string)) a--;
  while (b < text.length && !/\s/.test(text[b] as string)) b++;
  return MACHINE_CHUNK.test(text.slice(a, b));
}

export function fuseEntities(tagged: readonly RawFinding[], rules: readonly RawFinding[]): RawFinding[] {
  const out = tagged.map((t) => ({ ...t }));
  for (const r of rules) {
    const hits = out.filter((t) => overlaps(t, r));
    const same = hits.find((t) => t.type === r.type);
    if (same) {
      same.score = Math.min(0.99, Math.max(same.score, r.score) + AGREEMENT_BONUS);
      // The address pattern often reaches further (unit, ZIP) than the tagger's span.
      if (r.type === "STREET_ADDRESS") (same.start = Math.min(same.start, r.start)), (same.end = Math.max(same.end, r.end));
      continue;
    }
    if (hits.some((t) => t.type === "STREET_ADDRESS" && t.start <= r.start && r.end <= t.end)) continue;
    out.push({ ...r });
  }
  return out;
}

export const entitiesRecognizer: Recognizer = {
  name: "entities",
  types: ["PERSON", "LOCATION", "ORGANIZATION", "STREET_ADDRESS"],
  find(text, lang) {
    const tagged: RawFinding[] = [];
    for (const { type, start, end, score } of tagText(text, loadTagger())) {
      const f = { type, start, end, score };
      if (!inMachineText(text, f)) tagged.push(f);
    }
    const rules = [personRecognizer, locationRecognizer, organizationRecognizer].flatMap((r) => r.find(text, lang));
    return fuseEntities(tagged, rules);
  },
};
