/** Reads the router:eval CSV: `prompt`, one boolean column per model, optional `<model>_response`. */
import { parse } from "csv-parse/sync";
import { z } from "zod";

const BOOL = new Map([["true", true], ["1", true], ["yes", true], ["false", false], ["0", false], ["no", false]]);

export interface EvalRow {
  prompt: string;
  weakOk: boolean;
  strongOk: boolean;
  weakResponse?: string;
  /** From `--score-column`: a precomputed routing score (e.g. authored labels, for a ceiling). */
  score?: number;
}

export function parseEvalCsv(text: string, weak: string, strong: string, scoreColumn?: string): EvalRow[] {
  const records = z.array(z.record(z.string(), z.string())).parse(parse(text, { columns: true, skip_empty_lines: true, trim: false }));
  const first = records[0] ?? {};
  for (const col of ["prompt", weak, strong]) if (!(col in first)) throw new Error(`eval csv: missing column "${col}"`);
  return records.map((r, i) => {
    const flag = (col: string): boolean => {
      const v = BOOL.get((r[col] ?? "").trim().toLowerCase());
      if (v === undefined) throw new Error(`eval csv row ${i + 2}: column ${col} is not a boolean`);
      return v;
    };
    const row: EvalRow = { prompt: r.prompt ?? "", weakOk: flag(weak), strongOk: flag(strong) };
    const resp = r[`${weak}_response`];
    if (resp !== undefined) row.weakResponse = resp;
    if (scoreColumn) row.score = Number(r[scoreColumn]);
    return row;
  });
}
