/**
 * The shared sets that hold a small model's real answer next to its correctness, as rows of
 * (prompt, draft, wrong): GSM8K (Mixtral's `small_response` / `small_correct`) and RouterBench's
 * ARC-Challenge, MBPP and Winogrande (mixtral-8x7b-chat's `|model_response` and 0/1 column).
 * Read from ../shared/data/routing; never copied into the repository.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import { z } from "zod";

export const SOURCES = ["gsm8k", "arc_challenge", "mbpp", "winogrande"] as const;
export type Source = (typeof SOURCES)[number];

export interface DraftRow {
  id: string;
  source: Source;
  prompt: string;
  draft: string;
  /** The small model's answer was judged wrong. */
  wrong: boolean;
  /** The frontier model's answer was judged right (when the set says). */
  frontierOk: boolean | null;
}

const Records = z.array(z.record(z.string(), z.string()));
const SMALL = "mistralai/mixtral-8x7b-chat";
const FRONTIER = "gpt-4-1106-preview";

function cell01(v: string | undefined): boolean | null {
  const s = (v ?? "").trim();
  return s === "1" || s === "1.0" ? true : s === "0" || s === "0.0" ? false : null;
}

/** The strings of a Python `repr(list_of_str)`, e.g. `['a\\n', "b's"]`. */
export function pythonStrings(literal: string): string[] {
  const out: string[] = [];
  const escapes: Record<string, string> = { n: "\n", t: "\t", r: "\r", "0": "\0" };
  for (const m of literal.matchAll(/'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)"/gs)) {
    const body = m[1] ?? m[2] ?? "";
    out.push(body.replace(/\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|.)/gs, (_e, c: string) => (c.length > 1 ? String.fromCodePoint(parseInt(c.slice(1), 16)) : (escapes[c] ?? c))));
  }
  return out;
}

/** RouterBench prompts carry few-shot exemplars ("Answer:\nB\n\n"); deployed traffic is the last question alone. */
export function withoutExemplars(prompt: string): string {
  let cut = 0;
  for (const m of prompt.matchAll(/Answer:[ \t]*\n?[ \t]*[A-E][ \t]*\n\n/g)) cut = m.index + m[0].length;
  return prompt.slice(cut).trim();
}

/** One GSM8K row with both models' answers (bench:replay serves them through the simulator). */
export interface Gsm8kRecord {
  id: string;
  prompt: string;
  smallOk: boolean;
  frontierOk: boolean;
  smallResponse: string;
  frontierResponse: string;
}

export function gsm8kRecords(dir: string): Gsm8kRecord[] {
  const records = Records.parse(parse(readFileSync(join(dir, "gsm8k-mixtral-gpt4-dev.csv"), "utf8"), { columns: true, skip_empty_lines: true }));
  return records.flatMap((r, i) => {
    const smallOk = cell01(r.small_correct);
    const frontierOk = cell01(r.frontier_correct);
    if (smallOk === null || frontierOk === null || !r.prompt || r.small_response === undefined || r.frontier_response === undefined) return [];
    return [{ id: `gsm8k:${i}`, prompt: r.prompt, smallOk, frontierOk, smallResponse: r.small_response.trim(), frontierResponse: r.frontier_response.trim() }];
  });
}

export function gsm8kRows(dir: string): DraftRow[] {
  return gsm8kRecords(dir).map((r) => ({ id: r.id, source: "gsm8k", prompt: r.prompt, draft: r.smallResponse, wrong: !r.smallOk, frontierOk: r.frontierOk }));
}

const ROUTERBENCH: Record<Exclude<Source, "gsm8k">, string> = { arc_challenge: "arc_challenge", mbpp: "mbpp", winogrande: "winograde" };

export function routerbenchRows(dir: string, source: Exclude<Source, "gsm8k">): DraftRow[] {
  const seen = new Set<string>();
  const rows: DraftRow[] = [];
  for (const split of ["train", "test"]) {
    const file = join(dir, `routerbench-${ROUTERBENCH[source]}-${split}.csv`);
    for (const r of Records.parse(parse(readFileSync(file, "utf8"), { columns: true, skip_empty_lines: true }))) {
      const small = cell01(r[SMALL]);
      const id = r.sample_id ?? "";
      // The train and test files share a few sample ids: each prompt counts once.
      if (small === null || !id || seen.has(id)) continue;
      seen.add(id);
      const prompt = withoutExemplars(pythonStrings(r.prompt ?? "").join("\n\n"));
      const draft = pythonStrings(r[`${SMALL}|model_response`] ?? "").join("\n").trim();
      if (!prompt) continue;
      rows.push({ id: `${source}:${id}`, source, prompt, draft, wrong: !small, frontierOk: cell01(r[FRONTIER]) });
    }
  }
  return rows;
}

export const DEFAULT_DATA_DIR = join(import.meta.dirname, "../../../../shared/data/routing");

export function loadDraftRows(dir = DEFAULT_DATA_DIR): DraftRow[] {
  return [...gsm8kRows(dir), ...routerbenchRows(dir, "arc_challenge"), ...routerbenchRows(dir, "mbpp"), ...routerbenchRows(dir, "winogrande")];
}
