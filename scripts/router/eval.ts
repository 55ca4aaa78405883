/**
 * Offline router evaluation in RouteLLM's terms (APGR, CPT(50%), CPT(80%)).
 * Usage: npm run router:eval -- --data FILE.csv --weak COLUMN --strong COLUMN [--model FILE.onnx] [--json OUT]
 *        [--score-column COL]  route by a numeric column instead of the model (e.g. label_complexity: the ceiling)
 *        npm run router:eval -- --lodo [--routing-dir ../shared/data/routing] [--corpus FILE] [--json OUT] [--markdown OUT]
 * Prompt-only routing sweeps the complexity threshold; when `<weak>_response` is present the
 * cascade (verify the weak answer, escalate on failure) is reported too. `--lodo` refits the
 * complexity model once per left-out set (lib/lodo-report.ts) and prints the held-out table.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { parseCli, usageError } from "../lib/cli";
import cliProgress from "cli-progress";
import { verifyDraft } from "../../workers/gateway/src/router/cascade/verify-draft";
import { classifyInput } from "../../workers/gateway/src/router/classify";
import { parseEvalCsv } from "./lib/eval-csv";
import { readJsonl } from "./lib/dataset";
import { lodoReport } from "./lib/lodo-report";
import { lodoMarkdown } from "./lib/lodo-table";
import { loadRoutingSets } from "./outcomes/load-routing-sets";
import { ROUTING_LABELS } from "./outcomes/labels";
import { referenceBackend, SHIPPED_MODEL } from "./lib/reference-backend";
import { cascadeReport, routingReport, type EvalItem, type RoutingReport } from "./lib/routellm-metrics";

export async function evaluate(csv: string, weak: string, strong: string, model: string | URL, progress = false, scoreColumn?: string): Promise<Record<string, RoutingReport | number>> {
  const rows = parseEvalCsv(csv, weak, strong, scoreColumn);
  const backend = referenceBackend(model);
  const bar = progress ? new cliProgress.SingleBar({ format: "routing {bar} {value}/{total}" }, cliProgress.Presets.shades_classic) : null;
  bar?.start(rows.length, 0);
  const items: EvalItem[] = [];
  for (const r of rows) {
    const c = await classifyInput(backend, { prompt: r.prompt }, "eval");
    const item: EvalItem = { score: r.score ?? c.complexity, weakOk: r.weakOk, strongOk: r.strongOk };
    if (r.weakResponse !== undefined) item.draftAccepted = verifyDraft({ messages: [{ role: "user", content: r.prompt }] }, r.weakResponse, { complexity: c.complexity }).ok;
    items.push(item);
    bar?.increment();
  }
  bar?.stop();
  const out: Record<string, RoutingReport | number> = { rows: rows.length, prompt_only: routingReport(items) };
  if (items.every((i) => i.draftAccepted !== undefined)) out.cascade = cascadeReport(items);
  return out;
}

const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;

function lodoMain(values: { "routing-dir"?: string; corpus?: string; json?: string; markdown?: string }): void {
  const started = Date.now();
  const { rows, files } = loadRoutingSets(values["routing-dir"] ?? "../shared/data/routing", ROUTING_LABELS);
  const corpus = readJsonl(values.corpus ?? "data/router/corpus.jsonl");
  console.error(`read ${rows.length} outcome rows from ${files.length} files, ${corpus.length} corpus rows`);
  const report = lodoReport(corpus, rows, { seed: 1, epochs: 18, hidden: 32 }, (step) => console.error(`${((Date.now() - started) / 1000).toFixed(1)} s: ${step}`));
  const md = lodoMarkdown(report);
  console.log(md);
  if (values.json) writeFileSync(values.json, JSON.stringify({ files, ...report }, null, 2) + "\n");
  if (values.markdown) writeFileSync(values.markdown, md + "\n");
}

async function main(): Promise<void> {
  const spec = {
    name: "npm run router:eval --",
    summary: "Offline router evaluation in RouteLLM's terms (APGR, CPT(50%), CPT(80%)); --lodo: the leave-one-dataset-out table.",
    options: {
      data: { type: "string" }, weak: { type: "string" }, strong: { type: "string" }, model: { type: "string" }, json: { type: "string" }, "score-column": { type: "string" },
      lodo: { type: "boolean" }, "routing-dir": { type: "string" }, corpus: { type: "string" }, markdown: { type: "string" },
    },
  } as const;
  const { values } = parseCli(spec);
  if (values.lodo) return lodoMain(values);
  if (!values.data || !values.weak || !values.strong) usageError(spec, "give --data FILE.csv --weak COLUMN --strong COLUMN (or --lodo).");
  const report = await evaluate(readFileSync(values.data, "utf8"), values.weak, values.strong, values.model ?? SHIPPED_MODEL, process.stderr.isTTY, values["score-column"]);
  for (const [mode, r] of Object.entries(report)) {
    if (typeof r === "number") continue;
    console.log(`${mode}: q(weak)=${pct(r.qWeak)} q(strong)=${pct(r.qStrong)} APGR=${r.apgr.toFixed(3)} CPT(50%)=${pct(r.cpt50)} CPT(80%)=${pct(r.cpt80)} (random router: APGR 0.500, CPT(50%) 50%, CPT(80%) 80%)`);
    console.log(`  PGR by %strong: ${r.curve.map((p) => `${pct(p.strongShare)}:${p.pgr.toFixed(2)}`).join(" ")}`);
  }
  if (values.json) writeFileSync(values.json, JSON.stringify(report, null, 2) + "\n");
}

if (import.meta.url === `file://${process.argv[1]}`) void main();
