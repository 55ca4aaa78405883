/**
 * Reads every routing set in a directory through its adapter (chosen by file name) and records
 * what was read: file name, SHA-256 and row count, for the model manifest. Files are read in
 * name order so the row order, and so the trained model, is deterministic.
 */
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { llmrouterRows, type LlmrouterLabel } from "./llmrouter-json";
import type { OutcomeRow } from "./outcome-row";
import { routellmCsvRows } from "./routellm-csv";
import { routerbenchRows } from "./routerbench-csv";

export interface RoutingFile {
  file: string;
  sha256: string;
  rows: number;
}

export interface RoutingSets {
  rows: OutcomeRow[];
  files: RoutingFile[];
}

export interface LabelOptions {
  llmrouter?: LlmrouterLabel;
  routerbenchSoftSmall?: readonly string[];
}

const adapters = (o: LabelOptions): readonly [RegExp, (text: string, file: string) => OutcomeRow[]][] => [
  [/^gsm8k.*\.csv$/, (t, f) => routellmCsvRows(t, f, "gsm8k")],
  [/^mmlu.*\.csv$/, (t, f) => routellmCsvRows(t, f, "mmlu")],
  [/^routerbench.*\.csv$/, (t, f) => routerbenchRows(t, f, o.routerbenchSoftSmall)],
  [/^llmrouter.*\.json$/, (t, f) => llmrouterRows(t, f, o.llmrouter)],
];

export function loadRoutingSets(dir: string, labels: LabelOptions = {}): RoutingSets {
  const table = adapters(labels);
  const rows: OutcomeRow[] = [];
  const files: RoutingFile[] = [];
  for (const name of readdirSync(dir).sort()) {
    const adapter = table.find(([re]) => re.test(name))?.[1];
    if (!adapter) continue;
    const bytes = readFileSync(join(dir, name));
    const read = adapter(bytes.toString("utf8"), name);
    rows.push(...read);
    files.push({ file: name, sha256: createHash("sha256").update(bytes).digest("hex"), rows: read.length });
  }
  if (!rows.length) throw new Error(`no routing sets found in ${dir}`);
  return { rows, files };
}
