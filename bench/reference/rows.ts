/**
 * bench:reference's pool of held-out rows with both models' recorded answers: the RouterBench
 * *test* halves (ARC-Challenge, MBPP, Winogrande; small = mixtral-8x7b-chat, frontier =
 * gpt-4-1106-preview) and the GSM8K file (Mixtral / GPT-4). Prompts and answers are shaped as
 * the cascade trainer shapes them (scripts/cascade/lib/draft-rows.ts: exemplars cut, Python list
 * literals joined), so the verifier fold and the router see what they would see in training.
 * Read from ../shared/data/routing; never copied into the repository.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import { z } from "zod";
import { gsm8kRecords, pythonStrings, withoutExemplars, type Gsm8kRecord, type Source } from "../../scripts/cascade/lib/draft-rows";
import { flag } from "../../scripts/router/outcomes/outcome-row";
import { ROUTERBENCH_FRONTIER, ROUTERBENCH_SMALL } from "../../scripts/router/outcomes/routerbench-csv";

export interface ReplayRow extends Gsm8kRecord {
  source: Source;
}

const Records = z.array(z.record(z.string(), z.string()));
const FILE: Record<Exclude<Source, "gsm8k">, string> = { arc_challenge: "routerbench-arc_challenge-test.csv", mbpp: "routerbench-mbpp-test.csv", winogrande: "routerbench-winograde-test.csv" };

const answer = (cell: string | undefined) => pythonStrings(cell ?? "").join("\n").trim();

/** One RouterBench test half: rows with both outcomes and both answers recorded (blank cells skipped, not guessed). */
export function routerbenchTestRows(dir: string, source: Exclude<Source, "gsm8k">): ReplayRow[] {
  const records = Records.parse(parse(readFileSync(join(dir, FILE[source]), "utf8"), { columns: true, skip_empty_lines: true }));
  return records.flatMap((r) => {
    const smallOk = flag(r[ROUTERBENCH_SMALL]);
    const frontierOk = flag(r[ROUTERBENCH_FRONTIER]);
    const prompt = withoutExemplars(pythonStrings(r.prompt ?? "").join("\n\n"));
    const smallResponse = answer(r[`${ROUTERBENCH_SMALL}|model_response`]);
    const frontierResponse = answer(r[`${ROUTERBENCH_FRONTIER}|model_response`]);
    if (smallOk === undefined || frontierOk === undefined || !prompt || !smallResponse || !frontierResponse) return [];
    return [{ id: `${source}:${r.sample_id ?? ""}`, source, prompt, smallOk, frontierOk, smallResponse, frontierResponse }];
  });
}

/**
 * Keeps the prompts that occur once: the simulator replays by exact prompt, so two rows sharing
 * a prompt would share one recorded answer and one of them would be scored against the other's labels.
 */
export function uniquePrompts<T extends { prompt: string }>(rows: readonly T[]): T[] {
  const count = new Map<string, number>();
  for (const r of rows) count.set(r.prompt, (count.get(r.prompt) ?? 0) + 1);
  return rows.filter((r) => count.get(r.prompt) === 1);
}

/** Every held-out row by source. */
export function heldOutPools(dir: string): Map<Source, ReplayRow[]> {
  const all = uniquePrompts([
    ...gsm8kRecords(dir).map((r): ReplayRow => ({ ...r, source: "gsm8k" })),
    ...routerbenchTestRows(dir, "arc_challenge"),
    ...routerbenchTestRows(dir, "mbpp"),
    ...routerbenchTestRows(dir, "winogrande"),
  ]);
  const pools = new Map<Source, ReplayRow[]>();
  for (const r of all) pools.set(r.source, [...(pools.get(r.source) ?? []), r]);
  return pools;
}
