/**
 * Whether the answer a client received was right, by the row's real correctness labels. The
 * simulator replays recorded answers, so an answer is identified by its text: the small model's
 * recorded answer carries the small label, the frontier model's the frontier label. A cache hit
 * may return an answer recorded for another prompt (a semantic match): when its text equals one
 * of this row's recorded answers (a lone "B" often does) that answer's label applies; otherwise
 * it is an answer to a different question and counts as an escape (`foreign`).
 */
export interface LabelledRow {
  smallOk: boolean;
  frontierOk: boolean;
  smallResponse: string;
  frontierResponse: string;
}

export interface ServedAnswer {
  status: number;
  content: string;
  /** The tier that produced the answer (for a cache hit: the one that produced the stored answer). */
  tier: "small" | "frontier" | null;
}

export type Verdict = { kind: "small" | "frontier"; correct: boolean } | { kind: "foreign" | "error"; correct: false };

export function judgeServed(row: LabelledRow, served: ServedAnswer): Verdict {
  if (served.status !== 200) return { kind: "error", correct: false };
  const text = served.content.trim();
  const small = text === row.smallResponse.trim();
  const frontier = text === row.frontierResponse.trim();
  // The same text from both models: the label of the tier that produced it.
  if (small && frontier) return served.tier === "small" ? { kind: "small", correct: row.smallOk } : { kind: "frontier", correct: row.frontierOk };
  if (small) return { kind: "small", correct: row.smallOk };
  if (frontier) return { kind: "frontier", correct: row.frontierOk };
  return { kind: "foreign", correct: false };
}

export interface EscapeCount {
  /** Served answers that were wrong (errors and foreign answers included). */
  escapes: number;
  /** Answers that were none of the row's recordings (a cache hit from another prompt). */
  foreign: number;
  errors: number;
}

export function countEscapes(verdicts: readonly Verdict[]): EscapeCount {
  return {
    escapes: verdicts.filter((v) => !v.correct).length,
    foreign: verdicts.filter((v) => v.kind === "foreign").length,
    errors: verdicts.filter((v) => v.kind === "error").length,
  };
}
