/**
 * npm run judge:calibrate -- --golden FILE.jsonl [--judges judges.json] [--threshold 3.5] [--out FILE]
 *
 * Runs the judge panel over a golden set (lines: {messages, response, responseFormat?, label})
 * and appends each judge's and the panel's agreement with the human labels (accuracy, Cohen's
 * kappa), keyed by judge version, to a JSON file (default
 * workers/evaluator/calibration/judge-calibration.json). Judges come from --judges or the
 * JUDGES env var (same schema as the Worker var); credentials from env by secret name.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { z } from "zod";
import { calibrate, GoldenLineSchema, type CalibrationResult } from "../workers/evaluator/src/judge/calibration";
import { JudgesSchema } from "../workers/evaluator/src/judge/config";
import { parseCli } from "./lib/cli";

export const DEFAULT_OUT = resolve(import.meta.dirname, "../workers/evaluator/calibration/judge-calibration.json");
const StoreSchema = z.object({ runs: z.array(z.unknown()) });

export async function main(argv: string[], env: Record<string, string | undefined> = process.env): Promise<CalibrationResult> {
  const { values } = parseCli({
    name: "npm run judge:calibrate --",
    summary: "Agreement (accuracy, Cohen's kappa) of each judge and the panel with a golden set; writes the calibration file.",
    argv,
    options: {
      golden: { type: "string", value: "FILE.jsonl", description: "human-labelled answers (required)" },
      judges: { type: "string", value: "FILE.json", description: "judge panel config" },
      threshold: { type: "string", default: "3.5", value: "SCORE", description: "pass mark on the 1-5 scale" },
      out: { type: "string", default: DEFAULT_OUT, value: "FILE", description: "calibration file to write" },
    },
  });
  if (!values.golden) throw new Error("usage: judge:calibrate -- --golden FILE.jsonl [--judges FILE.json] [--out FILE]");
  const lines = readFileSync(values.golden, "utf8")
    .split("\n")
    .filter((l) => l.trim())
    .map((l, i) => {
      const parsed = GoldenLineSchema.safeParse(JSON.parse(l));
      if (!parsed.success) throw new Error(`golden line ${i + 1}: ${z.prettifyError(parsed.error)}`);
      return parsed.data;
    });
  const rawJudges = values.judges ? readFileSync(values.judges, "utf8") : env["JUDGES"];
  if (!rawJudges) throw new Error("no judges: pass --judges FILE.json or set JUDGES");
  const judges = JudgesSchema.parse(JSON.parse(rawJudges));
  const result = await calibrate(lines, judges, { fetch: (u, i) => fetch(u, i), credential: (name) => env[name] }, Number(values.threshold));
  const out = values.out ?? DEFAULT_OUT;
  const store = existsSync(out) ? StoreSchema.parse(JSON.parse(readFileSync(out, "utf8"))) : { runs: [] };
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify({ runs: [...store.runs, { golden: values.golden, ...result }] }, null, 2)}\n`);
  return result;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main(process.argv.slice(2))
    .then((r) => {
      console.log(`panel ${r.panel.version}: n=${r.panel.n} accuracy=${r.panel.accuracy} kappa=${r.panel.kappa}`);
      for (const j of r.judges) console.log(`judge ${j.name} (${j.model}@${j.version}): n=${j.n} accuracy=${j.accuracy} kappa=${j.kappa}`);
    })
    .catch((err: unknown) => {
      console.error(err instanceof Error ? err.message : err);
      process.exit(1);
    });
}
