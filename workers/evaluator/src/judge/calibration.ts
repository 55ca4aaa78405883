/**
 * Judge calibration against human labels: each judge's and the panel's pass/fail verdicts
 * (score >= threshold) compared with a golden set, as accuracy and Cohen's kappa (agreement
 * beyond chance: 0 = chance, 1 = perfect). Results are keyed by the judge version so a model
 * or prompt change gets a fresh calibration.
 */
import { z } from "zod";
import type { Judge } from "./config";
import { panelVersion } from "./config";
import { runPanel, type PanelDeps } from "./panel";

export const GoldenLineSchema = z.object({
  id: z.string().optional(),
  messages: z.array(z.object({ role: z.string(), content: z.string() })).min(1),
  response: z.string(),
  responseFormat: z.unknown().optional(),
  /** Human verdict: pass/fail, or a 1-5 score (>= 4 counts as pass). */
  label: z.union([z.enum(["pass", "fail"]), z.number().int().min(1).max(5)]),
});
export type GoldenLine = z.infer<typeof GoldenLineSchema>;

export interface Agreement {
  n: number;
  accuracy: number;
  kappa: number;
}

export function humanPass(label: GoldenLine["label"]): boolean {
  return typeof label === "number" ? label >= 4 : label === "pass";
}

/** Cohen's kappa for two binary raters; 1 when both agree perfectly even with one class. */
export function cohensKappa(a: readonly boolean[], b: readonly boolean[]): number {
  const n = a.length;
  if (n === 0) return 0;
  const agree = a.filter((x, i) => x === b[i]).length / n;
  const pa = a.filter(Boolean).length / n;
  const pb = b.filter(Boolean).length / n;
  const chance = pa * pb + (1 - pa) * (1 - pb);
  return chance === 1 ? (agree === 1 ? 1 : 0) : (agree - chance) / (1 - chance);
}

export function agreement(human: readonly boolean[], judged: readonly (boolean | null)[]): Agreement {
  const pairs = human.flatMap((h, i) => (judged[i] === null || judged[i] === undefined ? [] : [[h, judged[i] as boolean] as const]));
  const h = pairs.map((p) => p[0]);
  const j = pairs.map((p) => p[1]);
  const round = (x: number): number => Math.round(x * 10_000) / 10_000;
  return { n: pairs.length, accuracy: round(pairs.length ? pairs.filter(([x, y]) => x === y).length / pairs.length : 0), kappa: round(cohensKappa(h, j)) };
}

export interface CalibrationResult {
  calibratedAt: string;
  threshold: number;
  goldenLines: number;
  panel: Agreement & { version: string };
  judges: (Agreement & { name: string; model: string; version: string })[];
}

export async function calibrate(lines: readonly GoldenLine[], judges: readonly Judge[], deps: PanelDeps, threshold = 3.5, now = new Date()): Promise<CalibrationResult> {
  const human = lines.map((l) => humanPass(l.label));
  const panelVerdicts: (boolean | null)[] = [];
  const judgeVerdicts = judges.map(() => [] as (boolean | null)[]);
  for (const line of lines) {
    const result = await runPanel({ messages: line.messages, response: line.response, responseFormat: line.responseFormat }, judges, deps).catch(() => null);
    panelVerdicts.push(result ? result.scoreMean >= threshold : null);
    judges.forEach((j, i) => {
      const overall = result?.judges.find((o) => o.name === j.name)?.overall ?? null;
      // An empty answer is scored without judges; the judge "agrees" with the checks then.
      const verdict = overall !== null ? overall >= threshold : result && result.judges.length === 0 ? result.scoreMean >= threshold : null;
      judgeVerdicts[i]?.push(verdict);
    });
  }
  return {
    calibratedAt: now.toISOString(),
    threshold,
    goldenLines: lines.length,
    panel: { version: panelVersion(judges), ...agreement(human, panelVerdicts) },
    judges: judges.map((j, i) => ({ name: j.name, model: j.model, version: j.version, ...agreement(human, judgeVerdicts[i] ?? []) })),
  };
}
