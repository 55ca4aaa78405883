/**
 * `npm run bench:report`: assembles docs/benchmarks.md from the sections the benchmark scripts
 * write (docs/benchmarks/<area>.md), so the one page users read only ever holds numbers a
 * command produced. Each section names its own command and machine.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseCli } from "./lib/cli";

parseCli({ name: "npm run bench:report", summary: "Assembles docs/benchmarks.md from the sections in docs/benchmarks/<area>.md." });

const root = resolve(import.meta.dirname, "..");
const SECTIONS: Array<[string, string]> = [
  ["reference-case", "End to end: the reference case (`npm run bench:reference`)"],
  ["overhead", "Gateway overhead (`npm run bench:overhead`)"],
  ["hotpath", "Gateway hot path inside workerd (`npm run bench:hotpath`)"],
  ["observability", "Observability: traces and live metrics (`npm run bench:observability`)"],
  ["auth", "Auth, rate limit and budget checks (`npm run bench:auth`)"],
  ["faults", "Fault injection: retries, fallback and the circuit breaker (`npm run bench:faults`)"],
  ["soak", "Soak run: ten minutes of mixed traffic (`npm run bench:soak`)"],
  ["guardrails", "Guardrails (`npm run bench:guardrails`)"],
  ["cache", "Semantic cache (`npm run bench:cache`)"],
  ["router", "Router (`npm run bench:router`)"],
  ["replay", "Routing and cascade on replayed real answers (`npm run bench:replay`)"],
  ["evaluator", "Evaluator (`npm run bench:evaluator`)"],
  ["evaluator-storage", "Evaluator storage: D1 and R2 per million requests (`npm run bench:storage`)"],
  ["rag", "Retrieval: hybrid search and reranking on SciFact (`npm run bench:rag`)"],
  ["console", "Web console: first load (`npm run bench:console`)"],
];

const parts = [
  "# Benchmarks",
  "",
  "Every number below was produced by the command named in its section, on the machine that section describes",
  "(a shared 2-core VM: compare the ratios measured side by side in one run, not absolute values across sections).",
  "Sections are written by the benchmark scripts into `docs/benchmarks/<area>.md`; `npm run bench:report` assembles this page.",
  "",
  ...SECTIONS.map(([file, title]) => `- [${title}](#${file})`),
  "",
];
for (const [file, title] of SECTIONS) {
  const path = join(root, "docs/benchmarks", `${file}.md`);
  parts.push(`<a id="${file}"></a>`, "", `## ${title}`, "");
  if (!existsSync(path)) {
    parts.push("_Not measured yet: run the command above._", "");
    continue;
  }
  // The section's own title is replaced by the one above; its other headings move down a level.
  const body = readFileSync(path, "utf8").replace(/^# .*\n/, "");
  parts.push(body.replace(/^(#+) /gm, "#$1 ").trim(), "");
}
writeFileSync(join(root, "docs/benchmarks.md"), `${parts.join("\n")}\n`);
console.log("wrote docs/benchmarks.md");
