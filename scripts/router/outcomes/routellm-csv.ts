/**
 * RouteLLM's eval files (GSM8K, MMLU): `prompt, [subject,] small_correct, frontier_correct[, responses]`,
 * small = Mixtral-8x7B-Instruct, frontier = GPT-4-1106. The family is named by the caller (from
 * the file name). Rows with an unreadable outcome are skipped, not guessed.
 */
import { parse } from "csv-parse/sync";
import { z } from "zod";
import { flag, outcomeLabel, type OutcomeRow } from "./outcome-row";

const Records = z.array(z.record(z.string(), z.string()));

export function routellmCsvRows(text: string, file: string, family: string): OutcomeRow[] {
  const records = Records.parse(parse(text, { columns: true, skip_empty_lines: true }));
  for (const col of ["prompt", "small_correct", "frontier_correct"]) if (records.length && !(col in records[0]!)) throw new Error(`${file}: missing column "${col}"`);
  const out: OutcomeRow[] = [];
  for (const r of records) {
    const weakOk = flag(r.small_correct);
    const strongOk = flag(r.frontier_correct);
    if (weakOk === undefined || strongOk === undefined || !r.prompt?.trim()) continue;
    const row: OutcomeRow = { prompt: r.prompt, family, group: family, label: outcomeLabel(weakOk, strongOk), weakOk, strongOk, pair: "mixtral-gpt4" };
    if (r.subject) row.subject = r.subject;
    out.push(row);
  }
  return out;
}
