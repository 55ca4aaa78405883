import type { PiiEntityType, Recognizer } from "../../types";

/** Values (type, matched text) a recognizer reports with score >= min, for table-driven tests. */
export function found(r: Recognizer, text: string, min = 0.5): Array<[PiiEntityType, string]> {
  return r
    .find(text, "en")
    .filter((f) => f.score >= min)
    .map((f) => [f.type, text.slice(f.start, f.end)]);
}
