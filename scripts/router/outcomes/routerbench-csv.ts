/**
 * RouterBench subsets (ARC-Challenge, MBPP, Winogrande): one row per prompt, per model a 0/1
 * column `<model>`. Small = mixtral-8x7b-chat, frontier = gpt-4-1106-preview, the pair RouteLLM
 * reports. Prompts are stored as a Python list literal; ARC and Winogrande carry the harness's
 * few-shot exemplars, identical in every row, before the question. They say nothing about the
 * question and deployed traffic is zero-shot, so only the text after the last exemplar is kept.
 * Rows with a blank outcome cell are skipped.
 */
import { parse } from "csv-parse/sync";
import { z } from "zod";
import { flag, outcomeLabel, type OutcomeRow } from "./outcome-row";
import { parsePythonStringList } from "./python-literal";

export const ROUTERBENCH_SMALL = "mistralai/mixtral-8x7b-chat";
export const ROUTERBENCH_FRONTIER = "gpt-4-1106-preview";
const FAMILY: Readonly<Record<string, string>> = { "arc-challenge": "arc_challenge", mbpp: "mbpp", winogrande: "winogrande" };
// "Answer:\nB\n\n" closes each exemplar (ARC: letters A-E; Winogrande: A/B).
const EXEMPLAR_END = /Answer:[ \t]*\n?[ \t]*[A-E][ \t]*\n\n/g;

const Records = z.array(z.record(z.string(), z.string()));

export function lastQuestion(prompt: string): string {
  let cut = 0;
  for (const m of prompt.matchAll(EXEMPLAR_END)) cut = m.index + m[0].length;
  return prompt.slice(cut);
}

/**
 * `softSmall`: other open models whose answers average with Mixtral's into P(small wrong), a
 * less noisy label than one sampled answer (the frontier must still be right).
 */
export function routerbenchRows(text: string, file: string, softSmall: readonly string[] = []): OutcomeRow[] {
  const records = Records.parse(parse(text, { columns: true, skip_empty_lines: true }));
  for (const col of ["prompt", "eval_name", ROUTERBENCH_SMALL, ROUTERBENCH_FRONTIER]) if (records.length && !(col in records[0]!)) throw new Error(`${file}: missing column "${col}"`);
  const out: OutcomeRow[] = [];
  for (const r of records) {
    const weakOk = flag(r[ROUTERBENCH_SMALL]);
    const strongOk = flag(r[ROUTERBENCH_FRONTIER]);
    const family = FAMILY[r.eval_name ?? ""] ?? (r.eval_name ?? "routerbench").replace(/\W+/g, "_");
    if (weakOk === undefined || strongOk === undefined) continue;
    const prompt = lastQuestion(parsePythonStringList(r.prompt ?? "").join("\n\n")).trim();
    if (!prompt) continue;
    const others = softSmall.map((m) => flag(r[m])).filter((v): v is boolean => v !== undefined);
    const smallWrong = [weakOk, ...others].filter((ok) => !ok).length / (1 + others.length);
    const label = others.length ? (strongOk ? smallWrong : 0) : outcomeLabel(weakOk, strongOk);
    out.push({ prompt, family, group: `routerbench:${family}`, label, weakOk, strongOk, pair: "mixtral-gpt4" });
  }
  return out;
}
